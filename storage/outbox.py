"""The outbox: every business-initiated message is a row first, claimed and marked by the dispatcher.

Row life: pending -> sending (claimed, committed before any send) -> sent | failed | pending again (retry);
pending -> cancelled (contact erased or asked to stop). An immediate reply is written already claimed by the web
process that will send it on its fast path. A live process renews the lease on its claims every few seconds
(heartbeat); a row stuck in "sending" because its process died is claimed by another once the lease is over,
and a process restarting under the same worker id hands its previous life's claims back at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import and_, case, delete, or_, update
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.db import insert_ignoring_duplicates
from storage.models import Contact, Outbox
from storage.pushed import open_for_rows

PENDING = "pending"
SENDING = "sending"
SENT = "sent"
FAILED = "failed"
CANCELLED = "cancelled"

DEFAULT_LEASE = timedelta(seconds=15)

# Provider delivery statuses (WhatsApp via Twilio) in the order they can happen; terminal ones end the story.
DELIVERY_RANK = {
    "accepted": 0,
    "scheduled": 0,
    "queued": 0,
    "sending": 1,
    "sent": 2,
    "delivered": 3,
    "undelivered": 3,
    "failed": 3,
    "canceled": 3,
    "read": 4,
}
DELIVERY_TERMINAL = frozenset({"undelivered", "failed", "canceled", "read"})


class Choice(Protocol):
    """Anything with an id and a label, such as bot.messages.Option."""

    @property
    def id(self) -> str: ...

    @property
    def label(self) -> str: ...


def _clip(text: str, size: int = 500) -> str:
    """Cuts a reason to the width of its column."""
    return text[:size]


async def enqueue(
    *,
    session: AsyncSession,
    channel: str,
    recipient: str,
    kind: str,
    body: str,
    send_key: str,
    now: datetime,
    contact_id: int | None = None,
    options: Iterable[Choice] = (),
    variables: Mapping[str, Any] | None = None,
    priority: int = 0,
    not_before: datetime | None = None,
    claimed_by: str | None = None,
) -> Outbox | None:
    """Adds a message to send once (already claimed by `claimed_by` if given); None when its send_key exists.

    A pushed message (any kind but an immediate reply) with options opens the contact's pushed context, so a
    plain-text answer to it lands there (storage.pushed)."""
    values = {
        "channel": channel,
        "recipient": recipient,
        "kind": kind,
        "body": body,
        "send_key": send_key,
        "contact_id": contact_id,
        "options": [{"id": option.id, "label": option.label} for option in options],
        "variables": dict(variables or {}),
        "priority": priority,
        "status": SENDING if claimed_by else PENDING,
        "attempts": 1 if claimed_by else 0,
        "claimed_by": claimed_by,
        "claimed_at": now if claimed_by else None,
        "next_attempt_at": not_before or now,
        "created_at": now,
    }
    statement = insert_ignoring_duplicates(session, Outbox, ["send_key"], **values)
    row = (await session.exec(statement.returning(Outbox))).scalars().first()
    if row is not None:
        await open_for_rows(session=session, rows=[values])
    return row


def _claimable(now: datetime, lease: timedelta) -> ColumnElement[bool]:
    """Due pending rows, and 'sending' rows whose process stopped renewing its lease (it died)."""
    due = and_(Outbox.status == PENDING, Outbox.next_attempt_at <= now)
    stuck = and_(Outbox.status == SENDING, Outbox.claimed_at <= now - lease)
    return or_(due, stuck)


async def claim_due(
    *,
    session: AsyncSession,
    now: datetime,
    worker: str,
    limit: int,
    channels: Iterable[str] | None = None,
    lease: timedelta = DEFAULT_LEASE,
) -> list[Outbox]:
    """Claims up to `limit` due rows, highest priority then most overdue first; the caller commits before sending."""
    # Rows to unreachable contacts are failed instead of claimed; on PostgreSQL rows locked by another claimer
    # are skipped, so concurrent workers never share a row.
    query = (
        select(Outbox, Contact.unreachable_reason)
        .outerjoin(Contact, Contact.id == Outbox.contact_id)
        .where(_claimable(now, lease))
        .order_by(Outbox.priority.desc(), Outbox.next_attempt_at, Outbox.id)
        .limit(limit)
        .with_for_update(of=Outbox, skip_locked=True)
    )
    if channels is not None:
        query = query.where(Outbox.channel.in_(list(channels)))
    claimed = []
    for row, unreachable_reason in (await session.exec(query)).all():
        if unreachable_reason:
            row.status, row.last_error = FAILED, _clip(unreachable_reason)
        else:
            row.status, row.claimed_at, row.claimed_by = SENDING, now, worker
            row.attempts += 1
            claimed.append(row)
        session.add(row)
    await session.flush()
    return claimed


async def renew_claims(*, session: AsyncSession, worker: str, now: datetime, ids: Iterable[int]) -> int:
    """The heartbeat: renews the lease on the rows this process is working on; returns how many."""
    statement = (
        update(Outbox)
        .where(Outbox.status == SENDING, Outbox.claimed_by == worker, Outbox.id.in_(list(ids)))
        .values(claimed_at=now)
    )
    return (await session.exec(statement)).rowcount


async def release_claims(
    *, session: AsyncSession, worker: str, next_attempt_at: datetime, ids: Iterable[int] | None = None
) -> int:
    """Hands claimed rows back as pending (all of this worker's, or just `ids`); not counted as an attempt."""
    statement = update(Outbox).where(Outbox.status == SENDING, Outbox.claimed_by == worker)
    if ids is not None:
        statement = statement.where(Outbox.id.in_(list(ids)))
    statement = statement.values(
        status=PENDING,
        next_attempt_at=next_attempt_at,
        attempts=Outbox.attempts - 1,
        claimed_by=None,
        claimed_at=None,
    )
    return (await session.exec(statement)).rowcount


async def _finish_claim(*, session: AsyncSession, outbox_id: int, worker: str, **values: Any) -> bool:
    """Updates a row still claimed by `worker`; False when the claim was lost (lease over, reclaimed)."""
    statement = (
        update(Outbox)
        .where(Outbox.id == outbox_id, Outbox.status == SENDING, Outbox.claimed_by == worker)
        .values(**values)
    )
    return (await session.exec(statement)).rowcount == 1


async def mark_sent(
    *, session: AsyncSession, worker: str, now: datetime, sent: Mapping[int, str | None]
) -> set[int]:
    """Records that the provider accepted these rows (id -> provider message id), in one statement.

    Returns the ids still claimed by `worker` (a row whose claim was lost is left as it is).
    """
    if not sent:
        return set()
    provider_ids = case(*((Outbox.id == row_id, value) for row_id, value in sent.items()), else_=None)
    statement = (
        update(Outbox)
        .where(Outbox.id.in_(list(sent)), Outbox.status == SENDING, Outbox.claimed_by == worker)
        .values(status=SENT, sent_at=now, provider_message_id=provider_ids, last_error=None)
        .returning(Outbox.id)
    )
    return set((await session.exec(statement)).scalars().all())


async def mark_retry(
    *,
    session: AsyncSession,
    outbox_id: int,
    worker: str,
    next_attempt_at: datetime,
    error: str,
    throttled: bool = False,
) -> bool:
    """Puts a claimed row back to pending until next_attempt_at; a throttled try does not count as an attempt."""
    attempts = Outbox.attempts - 1 if throttled else Outbox.attempts
    return await _finish_claim(
        session=session,
        outbox_id=outbox_id,
        worker=worker,
        status=PENDING,
        next_attempt_at=next_attempt_at,
        attempts=attempts,
        last_error=_clip(error),
    )


async def mark_failed(*, session: AsyncSession, outbox_id: int, worker: str, reason: str) -> bool:
    """Gives up on a claimed row for good, keeping the reason."""
    return await _finish_claim(
        session=session, outbox_id=outbox_id, worker=worker, status=FAILED, last_error=_clip(reason)
    )


async def mark_recipient_unreachable(
    *, session: AsyncSession, channel: str, recipient: str, contact_id: int | None, reason: str
) -> int:
    """Marks a contact unreachable and fails its pending rows (and any pending row to that chat); returns how many."""
    same_chat = and_(Outbox.channel == channel, Outbox.recipient == recipient)
    target = same_chat
    if contact_id is not None:
        await session.exec(
            update(Contact).where(Contact.id == contact_id).values(unreachable_reason=_clip(reason, 200))
        )
        target = or_(same_chat, Outbox.contact_id == contact_id)
    statement = (
        update(Outbox).where(Outbox.status == PENDING, target).values(status=FAILED, last_error=_clip(reason))
    )
    return (await session.exec(statement)).rowcount


async def cancel_pending_for_contact(*, session: AsyncSession, contact_id: int, reason: str) -> int:
    """Cancels every message still waiting for a contact; returns how many."""
    statement = (
        update(Outbox)
        .where(Outbox.contact_id == contact_id, Outbox.status == PENDING)
        .values(status=CANCELLED, last_error=_clip(reason))
    )
    return (await session.exec(statement)).rowcount


async def prune_replies(*, session: AsyncSession, before: datetime) -> int:
    """Deletes finished immediate replies created before `before` (their text is no longer needed)."""
    statement = delete(Outbox).where(
        Outbox.kind == "reply", Outbox.status.in_([SENT, FAILED, CANCELLED]), Outbox.created_at < before
    )
    return (await session.exec(statement)).rowcount


def _advances(current: str | None, new: str) -> bool:
    """Tells whether a provider status moves a message forward (never back, never past a terminal one)."""
    if new not in DELIVERY_RANK or current in DELIVERY_TERMINAL:
        return False
    return current is None or DELIVERY_RANK[new] > DELIVERY_RANK.get(current, -1)


async def set_delivery_status(*, session: AsyncSession, provider_message_id: str, status: str) -> bool:
    """Applies a provider status callback; ignores unknown ids, unknown statuses and regressions."""
    query = select(Outbox).where(Outbox.provider_message_id == provider_message_id).with_for_update()
    row = (await session.exec(query)).first()
    if row is None or not _advances(row.delivery_status, status):
        return False
    row.delivery_status = status
    session.add(row)
    return True


async def note_delivery_error(*, session: AsyncSession, provider_message_id: str, reason: str) -> None:
    """Keeps the provider's reason on a row it accepted and later could not deliver."""
    await session.exec(
        update(Outbox)
        .where(Outbox.provider_message_id == provider_message_id)
        .values(last_error=_clip(reason))
    )


async def outbox_by_provider_id(*, session: AsyncSession, provider_message_id: str) -> Outbox | None:
    """Finds the outbox row the provider knows by this message id."""
    query = select(Outbox).where(Outbox.provider_message_id == provider_message_id)
    return (await session.exec(query)).first()


async def fail_after_send(*, session: AsyncSession, outbox_id: int, reason: str) -> None:
    """Marks a row the provider accepted and later rejected (a delivery report) as failed, keeping the reason."""
    await session.exec(
        update(Outbox).where(Outbox.id == outbox_id).values(status=FAILED, last_error=_clip(reason))
    )
