"""The reply path shared by every push channel: once a webhook answers 2xx, the message and its answer are safe.

The engine's work runs inside the webhook request: the state change, the provider message id and the replies
(outbox rows at reply priority, already claimed by this process) commit in one transaction before the webhook
answers. Right after the commit the replies are sent at once, in order, on a fast path; whatever the fast path
does not finish (this process died, the channel is throttled) the outbox dispatcher sends later, exactly once.
A provider that resends a message finds its id already processed: the answer it is owed is already in the outbox.
"""

from __future__ import annotations

import asyncio
import logging

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.delivery import Dispatcher, OutboxMessage, Sender
from bot.governor import PRIORITY_REPLY
from bot.messages import Inbound, Reply
from bot.services import Services
from storage import outbox

log = logging.getLogger(__name__)


class ReplyPipeline:
    """Handles a channel's inbound messages durably and sends their replies ahead of bulk traffic."""

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
        self._fast = Dispatcher(
            services.sessions,
            {channel: sender},
            services.governors,
            services.clock,
            services.worker_id,
            max_pause=max_wait,
            held=services.held,
        )
        # Bounds the transactions a burst of webhooks starts at once (a reply waiting out a per-chat limit
        # holds no slot: sending happens after the commit).
        self._engine_slots = asyncio.Semaphore(engine_slots)
        self._tasks: set[asyncio.Task[None]] = set()

    async def accept(self, inbound: Inbound) -> None:
        """Runs the engine and commits its answer as claimed outbox rows, then starts sending them."""
        claimed: list[OutboxMessage] = []

        async def keep(session: AsyncSession, contact_id: int | None, replies: list[Reply]) -> None:
            """Writes the replies as outbox rows in the message's own transaction."""
            claimed.clear()  # the engine may retry the message after an internal error
            key = inbound.message_id or f"{inbound.sender_id}:{inbound.received_at.isoformat()}"
            for index, reply in enumerate(replies):
                row = await outbox.enqueue(
                    session=session,
                    channel=self.channel,
                    recipient=inbound.sender_id,
                    kind="reply",
                    body=reply.text,
                    options=reply.options,
                    send_key=f"reply:{self.channel}:{key}:{index}",
                    now=self.services.clock.now(),
                    contact_id=contact_id,
                    priority=PRIORITY_REPLY,
                    claimed_by=self.services.worker_id,
                )
                if row is not None:
                    claimed.append(OutboxMessage.from_row(row))

        async with self._engine_slots:
            await self.services.engine.handle(inbound, keep=keep)
        if claimed:
            self._fast.hold(claimed)  # committed: from now on the heartbeat renews their lease
            task = asyncio.create_task(self._fast.send_in_order(list(claimed)))
            self._tasks.add(task)
            task.add_done_callback(self._finished)

    def _finished(self, task: asyncio.Task[None]) -> None:
        """Forgets a finished send, logging its failure (its rows stay claimed for the dispatcher to take over)."""
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("sending a %s reply failed", self.channel, exc_info=task.exception())

    async def idle(self) -> None:
        """Waits until every reply started so far has been sent or handed to the outbox (shutdown and tests)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)
