"""Delivery of outbox rows: the dispatcher claims what is due and sends it through each channel's governor.

Guarantees. A row is claimed (status "sending", claimed_by, attempts + 1) in a committed transaction before any
send, and marked in its own transaction right after the provider answers. A crash before the send leaves the row
"sending": its lease (15 s, renewed every few seconds while the process lives: bot/claims.py) runs out and another
process claims it, or the same worker id hands it back when it restarts, and it is sent exactly once. Immediate
replies take the same road: written already claimed in the message's own transaction, then sent at once in order
(`send_in_order`). The sender never touches the ORM: it gets a frozen OutboxMessage.

Residual window, said plainly: if the process dies after the provider accepted a message but before mark_sent
commits, the row is sent a second time after restart. Neither Telegram nor Twilio accepts an idempotency key, so
this window (one HTTP response plus one small commit) cannot be closed from our side; it is kept as short as
possible by marking each row on its own as soon as its answer arrives.

Failures: RetryLater(retry_after) reschedules the row at exactly now + retry_after (not counted as an attempt)
and pauses the whole channel for that long; RecipientUnreachable marks the contact and fails its other waiting
rows; PermanentFailure fails the row; anything else is transient and retried with BACKOFF until MAX_ATTEMPTS.
Logs mask recipients and never contain message bodies.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.clock import Clock
from bot.governor import ChannelPaused, Governor
from bot.messages import Option
from bot.privacy import mask
from storage import outbox
from storage.db import quick_transaction, transaction
from storage.models import Outbox

logger = logging.getLogger(__name__)

BACKOFF = (
    timedelta(seconds=30),
    timedelta(minutes=2),
    timedelta(minutes=10),
    timedelta(hours=1),
    timedelta(hours=3),
    timedelta(hours=6),
)
MAX_ATTEMPTS = 8


class DeliveryError(Exception):
    """A sender's verdict on one message, with a reason safe to store and log (no body, no token)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class RetryLater(DeliveryError):
    """The provider is throttling: try again later, after retry_after seconds when it says so."""

    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.retry_after = retry_after


class RecipientUnreachable(DeliveryError):
    """The recipient can no longer be reached (blocked the bot, deactivated, Twilio 21610)."""


class PermanentFailure(DeliveryError):
    """This message can never be sent as it is."""


@dataclass(frozen=True)
class OutboxMessage:
    """What a sender needs of an outbox row, copied so senders never touch the ORM."""

    id: int
    channel: str
    recipient: str
    kind: str
    body: str
    options: tuple[Option, ...]
    variables: dict[str, Any]
    contact_id: int | None
    priority: int = 0
    attempt: int = 1

    @classmethod
    def from_row(cls, row: Outbox) -> OutboxMessage:
        """Copies a claimed outbox row."""
        assert row.id is not None
        return cls(
            id=row.id,
            channel=row.channel,
            recipient=row.recipient,
            kind=row.kind,
            body=row.body,
            options=tuple(Option(id=option["id"], label=option["label"]) for option in row.options),
            variables=dict(row.variables),
            contact_id=row.contact_id,
            priority=row.priority,
            attempt=row.attempts,
        )


class Sender(Protocol):
    """Sends outbox messages on one channel; returns the provider's message id, raises DeliveryError subclasses."""

    channel: str

    async def send(self, message: OutboxMessage) -> str | None:
        """Hands one message to the provider."""
        ...


def retry_delay(attempt: int) -> timedelta:
    """How long to wait before trying again after failed attempt number `attempt` (1-based)."""
    return BACKOFF[min(max(attempt, 1), len(BACKOFF)) - 1]


class Dispatcher:
    """Drains the outbox: claims due rows in batches, paces them through governors, records each outcome."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        senders: Mapping[str, Sender],
        governors: Mapping[str, Governor],
        clock: Clock,
        worker_id: str,
        *,
        batch: int = 50,
        lease: timedelta = outbox.DEFAULT_LEASE,
        max_attempts: int = MAX_ATTEMPTS,
        max_pause: float = 30.0,
        held: set[int] | None = None,
    ) -> None:
        missing = set(senders) - set(governors)
        if missing:
            raise ValueError(f"no governor for channel(s) {sorted(missing)}")
        self._sessions = sessions
        self._senders = dict(senders)
        self._governors = governors  # looked up per send: a channel's governor may be replaced (tests)
        self._clock = clock
        self._worker = worker_id
        self._batch = batch
        self._lease = lease
        self._max_attempts = max_attempts
        self._max_pause = max_pause
        self._lock = asyncio.Lock()
        self._held = held if held is not None else set()  # renewed by the heartbeat while we work on them
        self._marks: list[tuple[int, str | None, asyncio.Future[bool]]] = []
        self._marking: asyncio.Task[None] | None = None

    async def run_once(self) -> int:
        """Claims one batch of due rows and delivers it, chats side by side, each chat's rows in order."""
        async with self._lock:
            messages = await self._claim()
            chats: dict[tuple[str, str], list[OutboxMessage]] = {}
            for message in messages:
                chats.setdefault((message.channel, message.recipient), []).append(message)
            results = await asyncio.gather(
                *(self.send_in_order(rows) for rows in chats.values()), return_exceptions=True
            )
            for rows, result in zip(chats.values(), results, strict=True):
                if isinstance(result, BaseException):
                    logger.error(
                        "outbox %s: delivery broke off; another round takes it after the lease",
                        ", ".join(str(m.id) for m in rows),
                        exc_info=result,
                    )
            return len(messages)

    def hold(self, messages: list[OutboxMessage]) -> None:
        """Marks rows claimed elsewhere (the reply path) as worked on here, so the heartbeat renews them."""
        self._held.update(m.id for m in messages)

    async def send_in_order(self, messages: list[OutboxMessage]) -> None:
        """Sends claimed rows to one chat one after the other (a batch's chat, or the reply fast path).

        When one has to wait (throttled, provider error), the rest are handed back to wait behind it, so the
        dispatcher later sends them in the same order.
        """
        unreachable: dict[tuple[str, str], str] = {}
        try:
            for index, message in enumerate(messages):
                retry_at = await self._deliver(message, unreachable)
                if retry_at is not None and index + 1 < len(messages):
                    async with transaction(self._sessions) as session:
                        await outbox.release_claims(
                            session=session,
                            worker=self._worker,
                            next_attempt_at=retry_at,
                            ids=[m.id for m in messages[index + 1 :]],
                        )
                    return
        finally:
            self._held.difference_update(m.id for m in messages)

    async def drain(self) -> int:
        """Delivers batch after batch while full ones keep coming (one scheduler tick); returns how many rows."""
        total = 0
        while (claimed := await self._run_logged()) > 0:
            total += claimed
            if claimed < self._batch:
                break
        return total

    async def run_forever(self, stop_event: asyncio.Event, poll_interval: float = 1.0) -> None:
        """Drains the outbox until stop_event is set, resting poll_interval seconds whenever a batch is not full."""
        while not stop_event.is_set():
            if await self._run_logged() < self._batch:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop_event.wait(), poll_interval)

    async def _run_logged(self) -> int:
        """One round that never kills the loop (the database may be briefly away)."""
        try:
            return await self.run_once()
        except Exception:
            logger.exception("outbox round failed; trying again next round")
            return 0

    async def _claim(self) -> list[OutboxMessage]:
        """Claims due rows of our channels and commits the claim before anything is sent."""
        async with transaction(self._sessions) as session:
            rows = await outbox.claim_due(
                session=session,
                now=self._clock.now(),
                worker=self._worker,
                limit=self._batch,
                channels=list(self._senders),
                lease=self._lease,
            )
            messages = [OutboxMessage.from_row(row) for row in rows]
        self.hold(messages)
        return messages

    async def _deliver(
        self, message: OutboxMessage, unreachable: dict[tuple[str, str], str]
    ) -> datetime | None:
        """Waits for a slot, sends, records the outcome; returns when the row is tried again (None: done)."""
        try:
            return await self._deliver_held(message, unreachable)
        finally:
            self._held.discard(message.id)

    async def _deliver_held(
        self, message: OutboxMessage, unreachable: dict[tuple[str, str], str]
    ) -> datetime | None:
        """The delivery itself, while the heartbeat keeps the row's lease."""
        try:
            await self._governors[message.channel].acquire(
                message.recipient, message.priority, self._max_pause
            )
        except ChannelPaused as paused:
            return await self._retry(
                message, timedelta(seconds=paused.remaining), "channel paused", throttled=True
            )
        reason = unreachable.get((message.channel, message.recipient))
        if reason is not None:
            await self._fail(message, reason)
            return None
        return await self._send(message, unreachable)

    async def _send(self, message: OutboxMessage, unreachable: dict[tuple[str, str], str]) -> datetime | None:
        """Calls the channel's sender and turns its answer into the row's next state."""
        try:
            provider_id = await self._senders[message.channel].send(message)
        except RetryLater as exc:
            return await self._throttled(message, exc)
        except RecipientUnreachable as exc:
            unreachable[message.channel, message.recipient] = exc.reason
            await self._recipient_unreachable(message, exc.reason)
        except PermanentFailure as exc:
            await self._fail(message, exc.reason)
        except (
            Exception
        ) as exc:  # anything else is transient by contract; only its type is kept (no URL, no token)
            return await self._transient(message, f"unexpected {type(exc).__name__}")
        else:
            await self._sent(message, provider_id)
        return None

    async def _sent(self, message: OutboxMessage, provider_id: str | None) -> None:
        """Records an accepted message; sends finishing meanwhile are recorded in the same commit."""
        done = asyncio.get_running_loop().create_future()
        self._marks.append((message.id, provider_id, done))
        if self._marking is None:
            self._marking = asyncio.create_task(self._record_marks())
        self._log(message, "sent", await done)

    async def _record_marks(self) -> None:
        """Commits waiting 'sent' marks batch after batch (lost only to a crash of the database server)."""
        try:
            while self._marks:
                batch, self._marks = self._marks, []
                try:
                    async with quick_transaction(self._sessions) as session:
                        kept = await outbox.mark_sent(
                            session=session,
                            worker=self._worker,
                            now=self._clock.now(),
                            sent={row_id: provider_id for row_id, provider_id, _ in batch},
                        )
                except Exception as error:
                    for _, _, done in batch:
                        done.set_exception(error)
                else:
                    for row_id, _, done in batch:
                        done.set_result(row_id in kept)
        finally:
            self._marking = None

    async def _throttled(self, message: OutboxMessage, exc: RetryLater) -> datetime | None:
        """Obeys retry_after exactly: pauses the channel and reschedules the row for when the pause ends."""
        if exc.retry_after is None:
            return await self._transient(message, exc.reason)
        self._governors[message.channel].pause(exc.retry_after)
        return await self._retry(message, timedelta(seconds=exc.retry_after), exc.reason, throttled=True)

    async def _transient(self, message: OutboxMessage, reason: str) -> datetime | None:
        """Retries with backoff, or fails the row once it has had all its attempts."""
        if message.attempt >= self._max_attempts:
            await self._fail(message, f"gave up after {message.attempt} attempts: {reason}")
            return None
        return await self._retry(message, retry_delay(message.attempt), reason, throttled=False)

    async def _retry(
        self, message: OutboxMessage, delay: timedelta, reason: str, *, throttled: bool
    ) -> datetime:
        """Puts the row back to pending for `delay` from now; returns when it is due again."""
        next_attempt_at = self._clock.now() + delay
        async with transaction(self._sessions) as session:
            kept = await outbox.mark_retry(
                session=session,
                outbox_id=message.id,
                worker=self._worker,
                next_attempt_at=next_attempt_at,
                error=reason,
                throttled=throttled,
            )
        self._log(message, f"retry in {delay.total_seconds():g} s ({reason})", kept)
        return next_attempt_at

    async def _fail(self, message: OutboxMessage, reason: str) -> None:
        """Fails the row for good."""
        async with transaction(self._sessions) as session:
            kept = await outbox.mark_failed(
                session=session, outbox_id=message.id, worker=self._worker, reason=reason
            )
        self._log(message, f"failed ({reason})", kept)

    async def _recipient_unreachable(self, message: OutboxMessage, reason: str) -> None:
        """Stops all sending to this recipient: this row, its waiting rows, and the rest of this batch."""
        async with transaction(self._sessions) as session:
            kept = await outbox.mark_failed(
                session=session, outbox_id=message.id, worker=self._worker, reason=reason
            )
            others = await outbox.mark_recipient_unreachable(
                session=session,
                channel=message.channel,
                recipient=message.recipient,
                contact_id=message.contact_id,
                reason=reason,
            )
        self._log(message, f"recipient unreachable ({reason}); {others} waiting row(s) failed", kept)

    def _log(self, message: OutboxMessage, outcome: str, kept: bool) -> None:
        """Logs an outcome without the body; warns when another worker had taken the row over."""
        if kept:
            logger.info(
                "outbox %s %s to %s: %s", message.id, message.channel, mask(message.recipient), outcome
            )
        else:
            logger.warning("outbox %s: claim lost before recording %r (lease over?)", message.id, outcome)
