"""Repayment reminders at run time: the scan job that turns due reminders into outbox rows, and loan changes.

The scan runs every 60 s on the leading process only (bot/leader.py); it is one periodic job, never one APScheduler
job per reminder. Each round claims due pending reminders in batches (storage.reminders.claim_due: partial index,
SKIP LOCKED), decides each with core.reminders.resolve (send; skip when stale after downtime; wait for 07.00 in
quiet hours), and in the batch's one transaction writes the outbox rows, marks the reminder rows and inserts each
loan's next pending reminder. Outbox rows are the boundary: once a batch commits, delivery is the dispatcher's job,
and a scan after a crash (or a second scan running at once) finds nothing left to write; were it to try, the send
key repayment:<loan>:<instalment>:<kind> would refuse the duplicate.

A change to a loan (paid, paused, resumed, closed, confirmed, snoozed) puts its pending reminder right in the
change's own transaction (`after_change`, `snooze`), and withdraws reminder messages still queued about it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.flows.base import go
from bot.messages import Option
from core import reminders as rules
from core.formatting import long_date, rupiah
from core.i18n import _
from storage import loans, reminders
from storage.db import transaction
from storage.models import Instalment, Loan, Reminder

if TYPE_CHECKING:
    from bot.services import Services

BATCH = 1000
PER_LOAN = 3  # unpaid instalments read per loan: enough for any catch-up (instalments are a month apart)


@dataclass
class ScanReport:
    """What one scan did."""

    sent: int = 0
    skipped: int = 0
    cancelled: int = 0
    postponed: int = 0
    duplicates: int = 0


@dataclass
class _Batch:
    """The writes one batch of claimed reminders needs, gathered before they are made in bulk."""

    done: dict[str, list[int]] = field(
        default_factory=lambda: {reminders.SENT: [], reminders.SKIPPED: [], reminders.CANCELLED: []}
    )
    moves: list[tuple[int, datetime]] = field(default_factory=list)
    rows: list[dict[str, Any]] = field(default_factory=list)
    messages: list[reminders.ReminderMessage] = field(default_factory=list)


def reminder_options(instalment_id: int) -> tuple[Option, ...]:
    """The reminder's buttons: they open the loans flow's paid and snooze steps about the instalment."""
    return (
        Option(go("loans", "paid", instalment_id), _("Paid already (reminder button)")),
        Option(go("loans", "snooze", instalment_id), _("Remind me tomorrow (reminder button)")),
    )


def reminder_text(*, kind: str, number: int, bank: str, amount: str, due: str, days: int) -> str:
    """The reminder's free text (amount and due date already formatted), worded by how far the due date is."""
    facts = {"number": number, "bank": bank, "amount": amount, "date": due, "days": days}
    if days > 0:
        lead = _(
            "Repayment reminder: instalment {number} of your {bank} loan, {amount}, is due on {date} "
            "({days} days from now)."
        )
    elif days == 0:
        lead = _("Today is the due date of instalment {number} of your {bank} loan: {amount}.")
    else:
        lead = _(
            "Instalment {number} of your {bank} loan, {amount}, was due on {date} and is not recorded as paid yet."
        )
    lines = [lead.format(**facts), _("Already paid? Press *Sudah bayar* so the reminders stop.")]
    if kind == rules.Kind.AFTER_3:
        lines.append(
            _(
                "This is the last reminder for this instalment. If paying is hard right now, talk to a KKMB "
                "consultant or your bank soon, before arrears grow. Do not turn to a loan shark."
            )
        )
    return "\n".join(lines)


# Formatting with Babel costs tens of microseconds; a morning's scan repeats the same amounts and dates.
_money = lru_cache(maxsize=65_536)(rupiah)
_day = lru_cache(maxsize=4_096)(long_date)


def send_key(loan_id: int, instalment_id: int, planned: rules.Planned) -> str:
    """The outbox send-once key of one reminder (a snooze also carries its time: one may snooze again)."""
    key = f"{reminders.send_key_prefix(loan_id, instalment_id)}{planned.kind}"
    return f"{key}:{planned.at:%Y%m%d%H%M}" if planned.kind == rules.Kind.SNOOZE else key


async def scan(
    sessions: async_sessionmaker[AsyncSession], now: datetime, *, batch: int = BATCH
) -> ScanReport:
    """Turns every reminder due by `now` into an outbox row (or skips it when stale), batch by batch."""
    report = ScanReport()
    while True:
        async with transaction(sessions) as session:
            claimed = await reminders.claim_due(session=session, now=now, limit=batch)
            if claimed:
                await settle(session, claimed, now, report)
        if len(claimed) < batch:
            return report


async def settle(
    session: AsyncSession, claimed: list[reminders.DueReminder], now: datetime, report: ScanReport
) -> list[reminders.ReminderMessage]:
    """Decides a batch of claimed reminders, writes the outcome in bulk and returns the messages it queued."""
    live = [
        row
        for row in claimed
        if row.loan_status == loans.ACTIVE and not row.reminders_paused and not row.erased
    ]
    work = _Batch()
    work.done[reminders.CANCELLED] = sorted({row.id for row in claimed} - {row.id for row in live})
    # Most reminders are decided by their own instalment (H-3 is followed by its H-0). Instalments fall a month
    # apart and one instalment's reminders span a week, so no other instalment's reminder sorts in between; the
    # loan's next unpaid instalments are read only when the chain leaves the instalment (after H+3, or paid).
    decided = {row.id: _resolve(row, _unpaid(row, []), now) for row in live}
    wider = {row.loan_id for row in live if decided[row.id].wait is None or decided[row.id].cancelled}
    opened = await reminders.open_instalments(
        session=session, loan_ids=wider, since=rules.horizon(now), per_loan=PER_LOAN
    )
    for row in live:
        unpaid = _unpaid(row, opened.get(row.loan_id, []))
        result = _resolve(row, unpaid, now) if row.loan_id in wider else decided[row.id]
        _record(row, unpaid, result, now, work)
    for status, ids in work.done.items():
        await reminders.finish_reminders(session=session, ids=ids, status=status, now=now)
    await reminders.postpone_reminders(session=session, moves=work.moves)
    await reminders.insert_reminders(session=session, rows=work.rows)
    written = await reminders.enqueue_messages(session=session, messages=work.messages, now=now)
    report.sent += written
    report.duplicates += len(work.messages) - written
    report.skipped += len(work.done[reminders.SKIPPED]) + sum(
        row["status"] == reminders.SKIPPED for row in work.rows
    )
    report.cancelled += len(work.done[reminders.CANCELLED])
    report.postponed += len(work.moves)
    return work.messages


def _unpaid(
    row: reminders.DueReminder, opened: list[reminders.OpenInstalment]
) -> dict[int, reminders.OpenInstalment]:
    """The unpaid instalments a claimed reminder is decided on, by number: its own (if unpaid) and those read."""
    unpaid = {item.number: item for item in opened}
    if row.paid_on is None:
        unpaid.setdefault(
            row.number, reminders.OpenInstalment(row.instalment_id, row.number, row.due_on, row.amount)
        )
    return unpaid


def _resolve(
    row: reminders.DueReminder, unpaid: dict[int, reminders.OpenInstalment], now: datetime
) -> rules.Resolution:
    """Decides a claimed reminder over the given unpaid instalments."""
    pending = rules.Planned.of(row.kind, row.planned_at, row.number, row.due_on)
    zone = ZoneInfo(row.time_zone)
    return rules.resolve(pending, [(item.number, item.due_on) for item in unpaid.values()], now, zone)


def _record(
    row: reminders.DueReminder,
    unpaid: dict[int, reminders.OpenInstalment],
    result: rules.Resolution,
    now: datetime,
    work: _Batch,
) -> None:
    """Notes what a decision writes: the claimed row's fate, the rows that follow it, the message that goes out."""
    pending = rules.Planned.of(row.kind, row.planned_at, row.number, row.due_on)
    if result.cancelled:
        work.done[reminders.CANCELLED].append(row.id)
    elif result.send == pending:
        work.done[reminders.SENT].append(row.id)
    elif pending in result.skipped:
        work.done[reminders.SKIPPED].append(row.id)
    else:
        work.moves.append((row.id, result.wait_until))
    follows = [(planned, reminders.SKIPPED, now) for planned in result.skipped]
    if result.send is not None:
        follows.append((result.send, reminders.SENT, now))
        work.messages.append(_message(row, unpaid[result.send.number], result.send, now))
    if result.wait is not None:
        follows.append((result.wait, reminders.PENDING, result.wait_until))
    for planned, status, due_at in follows:
        if planned != pending:
            work.rows.append(_row(row.loan_id, unpaid[planned.number].id, planned, status, due_at, now))


def _row(
    loan_id: int, instalment_id: int, planned: rules.Planned, status: str, due_at: datetime, now: datetime
) -> dict[str, Any]:
    """A reminder row to insert."""
    return {
        "loan_id": loan_id,
        "instalment_id": instalment_id,
        "kind": str(planned.kind),
        "planned_at": planned.at,
        "due_at": due_at,
        "status": status,
        "done_at": None if status == reminders.PENDING else now,
        "created_at": now,
    }


def _message(
    row: reminders.DueReminder,
    instalment: reminders.OpenInstalment,
    planned: rules.Planned,
    now: datetime,
) -> reminders.ReminderMessage:
    """The outbox message of a reminder: free text, buttons, and the WhatsApp template's variables."""
    amount, due = _money(instalment.amount), _day(instalment.due_on)
    body = reminder_text(
        kind=planned.kind,
        number=instalment.number,
        bank=row.bank,
        amount=amount,
        due=due,
        days=(instalment.due_on - now.astimezone(ZoneInfo(row.time_zone)).date()).days,
    )
    return reminders.ReminderMessage(
        contact_id=row.contact_id,
        channel=row.channel,
        recipient=row.recipient,
        body=body,
        options=reminder_options(instalment.id),
        variables={"1": amount, "2": due, "3": row.bank},
        send_key=send_key(row.loan_id, instalment.id, planned),
        kind=str(planned.kind),
    )


def _planned(row: Reminder, instalment: Instalment) -> rules.Planned:
    """A stored pending reminder as a planned one."""
    return rules.Planned.of(row.kind, row.planned_at, instalment.number, instalment.due_on)


async def after_change(
    *, session: AsyncSession, loan: Loan, now: datetime, paid_instalment_id: int | None = None
) -> Reminder | None:
    """Puts a loan's pending reminder right after a change, and withdraws queued reminder messages it made wrong."""
    stopped = loan.status != loans.ACTIVE or loan.reminders_paused
    if stopped or paid_instalment_id is not None:
        await withdraw_messages(
            session=session, loan=loan, instalment_id=None if stopped else paid_instalment_id
        )
    current = await reminders.pending_reminder(session=session, loan_id=loan.id)
    if stopped:
        if current is not None:
            await reminders.cancel_pending(session=session, loan_id=loan.id, now=now)
        return None
    instalments = await loans.instalments_of(session=session, loan_id=loan.id)
    by_id = {item.id: item for item in instalments}
    unpaid = {item.number: item for item in instalments if item.paid_on is None}
    pending = _planned(current, by_id[current.instalment_id]) if current is not None else None
    wanted = rules.resume(
        pending, [(item.number, item.due_on) for item in unpaid.values()], now, ZoneInfo(loan.time_zone)
    )
    if wanted is not None and wanted == pending:
        return current
    return await _replace(session, loan, current, wanted, unpaid[wanted.number] if wanted else None, now)


async def withdraw_messages(*, session: AsyncSession, loan: Loan, instalment_id: int | None = None) -> int:
    """Cancels reminder messages about a loan (or one of its instalments) still waiting in the outbox."""
    return await reminders.cancel_queued_messages(
        session=session,
        contact_id=loan.contact_id,
        key_prefix=reminders.send_key_prefix(loan.id, instalment_id),
    )


async def snooze(
    *, session: AsyncSession, loan: Loan, instalment: Instalment, now: datetime
) -> rules.Planned:
    """'Ingatkan besok': the loan's next reminder becomes tomorrow 08.00 about this instalment."""
    wanted = rules.snooze(instalment.number, instalment.due_on, now, ZoneInfo(loan.time_zone))
    current = await reminders.pending_reminder(session=session, loan_id=loan.id)
    if current is None or current.instalment_id != instalment.id or _planned(current, instalment) != wanted:
        await _replace(session, loan, current, wanted, instalment, now)
    return wanted


async def _replace(
    session: AsyncSession,
    loan: Loan,
    current: Reminder | None,
    wanted: rules.Planned | None,
    instalment: Instalment | None,
    now: datetime,
) -> Reminder | None:
    """Cancels the loan's pending reminder and adds the wanted one (if any)."""
    if current is not None:
        await reminders.cancel_pending(session=session, loan_id=loan.id, now=now)
    if wanted is None or instalment is None:
        return None
    return await reminders.add_reminder(
        session=session,
        loan_id=loan.id,
        instalment_id=instalment.id,
        kind=str(wanted.kind),
        planned_at=wanted.at,
        due_at=wanted.at,
        now=now,
    )


def build_job(services: Services) -> Callable[[], Awaitable[ScanReport]]:
    """The periodic job: one scan for due reminders (the scheduler runs it only in the leading process)."""

    async def scan_now() -> ScanReport:
        """One tick of the scan."""
        return await scan(services.sessions, services.clock.now())

    return scan_now
