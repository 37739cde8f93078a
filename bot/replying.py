"""The reply path shared by every push channel: run the engine, send the answers at once, never lose them."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

from bot.delivery import DeliveryError, OutboxMessage, RecipientUnreachable, RetryLater, Sender
from bot.governor import PRIORITY_REPLY, ChannelPaused
from bot.messages import Inbound, Reply
from bot.privacy import mask
from bot.services import Services
from storage import outbox
from storage.contacts import get_contact
from storage.db import transaction

log = logging.getLogger(__name__)


def _delay_of(error: Exception) -> float | None:
    """How long the channel asked us to wait, if it did."""
    if isinstance(error, RetryLater):
        return error.retry_after
    if isinstance(error, ChannelPaused):
        return error.remaining
    return None


class ReplyPipeline:
    """Handles inbound messages in the background and sends their replies ahead of bulk traffic.

    A reply that cannot be sent right away (provider error, throttling) goes to the outbox with the rest of that
    answer, at reply priority, so the dispatcher retries it; nothing the bot meant to say is lost.
    """

    def __init__(
        self,
        *,
        services: Services,
        channel: str,
        sender: Sender,
        max_wait: float = 10.0,
        engine_slots: int = 8,
    ) -> None:
        self.services = services
        self.channel = channel
        self.sender = sender
        self.max_wait = max_wait
        # The webhook answers before the engine runs, so a burst could start any number of transactions at once;
        # only the engine step is bounded (a reply waiting out a per-chat limit must not hold a slot).
        self._engine_slots = asyncio.Semaphore(engine_slots)
        self._tasks: set[asyncio.Task[None]] = set()

    def submit(self, inbound: Inbound) -> None:
        """Handles a message in the background (the webhook can answer at once)."""
        task = asyncio.create_task(self.handle(inbound))
        self._tasks.add(task)
        task.add_done_callback(self._finished)

    def _finished(self, task: asyncio.Task[None]) -> None:
        """Forgets a finished message task, logging its failure (a background task has no caller to raise to)."""
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("handling a %s message failed", self.channel, exc_info=task.exception())

    async def idle(self) -> None:
        """Waits until every submitted message is handled (for shutdown and tests)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def handle(self, inbound: Inbound) -> None:
        """Runs the engine for one message and delivers its replies."""
        async with self._engine_slots:
            replies = await self.services.engine.handle(inbound)
        for index, reply in enumerate(replies):
            try:
                await self.services.governors[self.channel].acquire(
                    inbound.sender_id, PRIORITY_REPLY, self.max_wait
                )
                await self.sender.send(self._message(inbound, reply))
            except RecipientUnreachable as error:
                log.info("reply to %s not sent: %s", mask(inbound.sender_id), error.reason)
                await self._unreachable(inbound, error.reason)
                return
            except Exception as error:
                reason = error.reason if isinstance(error, DeliveryError) else type(error).__name__
                log.warning(
                    "reply to %s not sent now (%s); queued for retry", mask(inbound.sender_id), reason
                )
                delay = _delay_of(error)
                if delay:
                    self.services.governors[self.channel].pause(delay)
                await self._queue(inbound, replies, index, delay=delay or 0.0)
                return

    async def _unreachable(self, inbound: Inbound, reason: str) -> None:
        """Records that the user can no longer be reached (blocked the bot, opted out): nothing is retried."""
        async with transaction(self.services.sessions) as session:
            contact = await get_contact(session=session, channel=self.channel, external_id=inbound.sender_id)
            await outbox.mark_recipient_unreachable(
                session=session,
                channel=self.channel,
                recipient=inbound.sender_id,
                contact_id=contact.id if contact else None,
                reason=reason,
            )

    def _message(self, inbound: Inbound, reply: Reply) -> OutboxMessage:
        """An immediate reply in the shape senders take."""
        return OutboxMessage(
            id=0,
            channel=self.channel,
            recipient=inbound.sender_id,
            kind="reply",
            body=reply.text,
            options=reply.options,
            variables={},
            contact_id=None,
            priority=PRIORITY_REPLY,
        )

    async def _queue(self, inbound: Inbound, replies: list[Reply], first: int, *, delay: float) -> None:
        """Puts the unsent rest of an answer in the outbox, in order, at reply priority, after `delay` seconds."""
        key = inbound.message_id or f"{inbound.sender_id}:{inbound.received_at.isoformat()}"
        now = self.services.clock.now()
        async with transaction(self.services.sessions) as session:
            contact = await get_contact(session=session, channel=self.channel, external_id=inbound.sender_id)
            for index in range(first, len(replies)):
                await outbox.enqueue(
                    session=session,
                    channel=self.channel,
                    recipient=inbound.sender_id,
                    kind="reply",
                    body=replies[index].text,
                    options=replies[index].options,
                    send_key=f"reply:{self.channel}:{key}:{index}",
                    now=now,
                    contact_id=contact.id if contact else None,
                    priority=PRIORITY_REPLY,
                    not_before=now + timedelta(seconds=delay),
                )
