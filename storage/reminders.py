"""Repayment reminder rows: each loan's one pending reminder, the scan's claim, and the scan's bulk writes.

Design. A loan waits for one reminder at a time: one row with status "pending" (the unique partial index
uq_reminder_pending_loan enforces it). When the scan sends or skips it, the row is marked "sent" or "skipped" and the
loan's next reminder is inserted as the new pending row, in the same transaction as the outbox row. So the table
never holds every future reminder of every instalment (a million loans are a million pending rows, not 48 million),
and the scan reads only due rows through the partial index ix_reminder_pending_due (due_at WHERE status =
'pending'), which stays as small as the number of active loans however long the history of done rows grows.
Changing a loan (paid, paused, closed) cancels or replaces its pending row in the change's own transaction.

Claims: the scan locks the due reminder rows and their loans with FOR UPDATE SKIP LOCKED on PostgreSQL (two scans
never take the same row; a loan being edited is left for the next scan); on SQLite every transaction is
BEGIN IMMEDIATE (storage.db), so scans and edits run one after the other.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, literal_column, update
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage import outbox
from storage.db import insert_many
from storage.models import Contact, Instalment, Loan, Outbox, Reminder
from storage.outbox import Choice
from storage.pushed import open_for_rows

PENDING = "pending"
SENT = "sent"
SKIPPED = "skipped"
CANCELLED = "cancelled"
REMINDER_KIND = "repayment_reminder"
# Written into the SQL (not bound) so both planners see the partial index's own condition and use it.
PENDING_LITERAL = literal_column("'pending'")


@dataclass(frozen=True, slots=True)
class DueReminder:
    """A claimed pending reminder with what the scan needs of its instalment, loan and contact."""

    id: int
    loan_id: int
    instalment_id: int
    kind: str
    planned_at: datetime
    number: int
    due_on: date
    amount: int
    paid_on: date | None
    bank: str
    loan_status: str
    reminders_paused: bool
    time_zone: str
    contact_id: int
    channel: str
    recipient: str
    erased: bool


@dataclass(frozen=True, slots=True)
class ReminderMessage:
    """A reminder to put in the outbox: recipient, free text, buttons, template variables and send-once key."""

    contact_id: int
    channel: str
    recipient: str
    body: str
    options: Sequence[Choice]
    variables: Mapping[str, str]
    send_key: str
    kind: str = ""  # the reminder kind (core.reminders.Kind), for previews; not stored


@dataclass(frozen=True, slots=True)
class OpenInstalment:
    """An unpaid instalment: its id, number, due date and amount."""

    id: int
    number: int
    due_on: date
    amount: int


def send_key_prefix(loan_id: int, instalment_id: int | None = None) -> str:
    """The start of the outbox send keys of a loan's (or one instalment's) reminders."""
    return f"repayment:{loan_id}:" if instalment_id is None else f"repayment:{loan_id}:{instalment_id}:"


async def pending_reminder(*, session: AsyncSession, loan_id: int) -> Reminder | None:
    """The reminder a loan is waiting for, if any."""
    query = select(Reminder).where(Reminder.loan_id == loan_id, Reminder.status == PENDING_LITERAL)
    return (await session.exec(query)).first()


async def cancel_pending(*, session: AsyncSession, loan_id: int, now: datetime) -> int:
    """Cancels the reminder a loan is waiting for; returns how many rows changed (0 or 1)."""
    statement = (
        update(Reminder)
        .where(Reminder.loan_id == loan_id, Reminder.status == PENDING_LITERAL)
        .values(status=CANCELLED, done_at=now)
    )
    return (await session.exec(statement)).rowcount


async def add_reminder(
    *,
    session: AsyncSession,
    loan_id: int,
    instalment_id: int,
    kind: str,
    planned_at: datetime,
    due_at: datetime,
    now: datetime,
) -> Reminder:
    """Adds the pending reminder of a loan (cancel the previous one first)."""
    row = Reminder(
        loan_id=loan_id,
        instalment_id=instalment_id,
        kind=kind,
        planned_at=planned_at,
        due_at=due_at,
        status=PENDING,
        created_at=now,
    )
    session.add(row)
    await session.flush()
    return row


async def cancel_queued_messages(*, session: AsyncSession, contact_id: int, key_prefix: str) -> int:
    """Cancels reminder messages still waiting in the outbox (found through the contact's index); returns how many."""
    statement = (
        update(Outbox)
        .where(
            Outbox.contact_id == contact_id,
            Outbox.status == PENDING,
            Outbox.kind == REMINDER_KIND,
            Outbox.send_key.startswith(key_prefix, autoescape=True),
        )
        .values(status=CANCELLED, last_error="loan changed")
    )
    return (await session.exec(statement)).rowcount


async def claim_due(*, session: AsyncSession, now: datetime, limit: int) -> list[DueReminder]:
    """Claims up to `limit` pending reminders due by `now`, oldest first, skipping rows another scan or edit holds."""
    query = (
        select(
            Reminder.id,
            Reminder.loan_id,
            Reminder.instalment_id,
            Reminder.kind,
            Reminder.planned_at,
            Instalment.number,
            Instalment.due_on,
            Instalment.amount,
            Instalment.paid_on,
            Loan.bank,
            Loan.status,
            Loan.reminders_paused,
            Loan.time_zone,
            Loan.contact_id,
            Contact.channel,
            Contact.external_id,
            Contact.erased_at.is_not(None),
        )
        .join(Instalment, Instalment.id == Reminder.instalment_id)
        .join(Loan, Loan.id == Reminder.loan_id)
        .join(Contact, Contact.id == Loan.contact_id)
        .where(Reminder.status == PENDING_LITERAL, Reminder.due_at <= now)
        .order_by(Reminder.due_at)
        .limit(limit)
        .with_for_update(of=[Reminder, Loan], skip_locked=True)
    )
    return [DueReminder(*row) for row in (await session.exec(query)).all()]


async def open_instalments(
    *, session: AsyncSession, loan_ids: Iterable[int], since: date, per_loan: int
) -> dict[int, list[OpenInstalment]]:
    """The first `per_loan` unpaid instalments due on or after `since` of each loan, by loan."""
    loan_ids = list(loan_ids)
    if not loan_ids:
        return {}
    ranked = (
        select(
            Instalment.loan_id,
            Instalment.id,
            Instalment.number,
            Instalment.due_on,
            Instalment.amount,
            func.row_number().over(partition_by=Instalment.loan_id, order_by=Instalment.number).label("rank"),
        )
        .where(
            Instalment.loan_id.in_(loan_ids),
            Instalment.paid_on.is_(None),
            Instalment.due_on >= since,
        )
        .subquery()
    )
    query = select(ranked.c.loan_id, ranked.c.id, ranked.c.number, ranked.c.due_on, ranked.c.amount).where(
        ranked.c.rank <= per_loan
    )
    found: dict[int, list[OpenInstalment]] = {}
    for loan_id, *fields in (await session.exec(query)).all():
        found.setdefault(loan_id, []).append(OpenInstalment(*fields))
    return found


async def finish_reminders(*, session: AsyncSession, ids: Sequence[int], status: str, now: datetime) -> None:
    """Marks claimed pending reminders sent, skipped or cancelled."""
    if ids:
        statement = update(Reminder).where(Reminder.id.in_(list(ids))).values(status=status, done_at=now)
        await session.exec(statement)


async def postpone_reminders(*, session: AsyncSession, moves: Sequence[tuple[int, datetime]]) -> None:
    """Moves claimed pending reminders to a later time (out of the quiet hours), keeping them pending."""
    if moves:
        moved = [{"id": row_id, "due_at": due_at} for row_id, due_at in moves]
        await session.exec(update(Reminder), params=moved)


async def insert_reminders(*, session: AsyncSession, rows: Sequence[dict[str, Any]]) -> None:
    """Inserts reminder rows in bulk (the next pending ones, and records of ones sent or skipped in catch-up)."""
    await insert_many(session, Reminder.__table__, rows)


async def enqueue_messages(
    *, session: AsyncSession, messages: Sequence[ReminderMessage], now: datetime
) -> int:
    """Adds reminder messages to the outbox in bulk, each at most once by its send_key; returns how many were new."""
    rows = [
        {
            "contact_id": message.contact_id,
            "channel": message.channel,
            "recipient": message.recipient,
            "kind": REMINDER_KIND,
            "priority": 0,
            "body": message.body,
            "options": [{"id": option.id, "label": option.label} for option in message.options],
            "variables": dict(message.variables),
            "send_key": message.send_key,
            "status": outbox.PENDING,
            "attempts": 0,
            "next_attempt_at": now,
            "created_at": now,
        }
        for message in messages
    ]
    inserted = await insert_many(session, Outbox.__table__, rows, unique=["send_key"])
    await open_for_rows(session=session, rows=rows)  # a reply to a reminder lands there
    return inserted
