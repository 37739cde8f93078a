"""Loans and their instalments: recording, payments, corrections, pausing, closing, deleting.

Statuses: "proposed" (recorded by a consultant, waiting for the owner's confirmation; no reminders), "active",
"paid_off" (every instalment paid), "closed" (paid off early). Deleting removes the loan, its instalments and its
reminders (ON DELETE CASCADE). Callers lock the loan (`for_update`) before changing it, so a change and the reminder
scan never cross; after a change they let bot.reminders.reschedule put the loan's pending reminder right.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import delete, func, update
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.simulator import ScheduleRow
from storage.models import Instalment, Loan

PROPOSED = "proposed"
ACTIVE = "active"
PAID_OFF = "paid_off"
CLOSED = "closed"
LISTED = (PROPOSED, ACTIVE)


async def add_loan(
    *,
    session: AsyncSession,
    contact_id: int,
    bank: str,
    scheme: str,
    principal: int,
    borrower_rate: Decimal,
    subsidy_rate: Decimal,
    months: int,
    method: str,
    disbursed_on: date,
    due_day: int,
    time_zone: str,
    schedule: Iterable[ScheduleRow],
    now: datetime,
    paid_before: date | None = None,
    status: str = ACTIVE,
    proposed_by: int | None = None,
) -> Loan:
    """Records a loan and its schedule; instalments due before `paid_before` are recorded as paid on their due date."""
    loan = Loan(
        contact_id=contact_id,
        bank=bank,
        scheme=scheme,
        principal=principal,
        borrower_rate=borrower_rate,
        subsidy_rate=subsidy_rate,
        months=months,
        method=method,
        disbursed_on=disbursed_on,
        due_day=due_day,
        time_zone=time_zone,
        status=status,
        proposed_by=proposed_by,
        created_at=now,
    )
    session.add(loan)
    await session.flush()
    for row in schedule:
        paid = paid_before is not None and row.due_date < paid_before
        session.add(
            Instalment(
                loan_id=loan.id,
                number=row.number,
                due_on=row.due_date,
                amount=row.payment,
                principal=row.principal,
                interest=row.interest,
                paid_on=row.due_date if paid else None,
                paid_amount=row.payment if paid else None,
            )
        )
    await session.flush()
    return loan


async def listed_loans(*, session: AsyncSession, contact_id: int) -> list[Loan]:
    """A contact's active loans and the ones waiting for confirmation, oldest first."""
    query = select(Loan).where(Loan.contact_id == contact_id, Loan.status.in_(LISTED)).order_by(Loan.id)
    return list((await session.exec(query)).all())


async def loan_of(
    *, session: AsyncSession, contact_id: int, loan_id: int, for_update: bool = False
) -> Loan | None:
    """One of a contact's loans (None when it is not theirs or is gone); `for_update` locks it."""
    query = select(Loan).where(Loan.id == loan_id, Loan.contact_id == contact_id)
    if for_update:
        query = query.with_for_update()
    return (await session.exec(query)).first()


async def instalments_of(*, session: AsyncSession, loan_id: int) -> list[Instalment]:
    """A loan's instalments in order."""
    query = select(Instalment).where(Instalment.loan_id == loan_id).order_by(Instalment.number)
    return list((await session.exec(query)).all())


async def loan_id_of_instalment(*, session: AsyncSession, instalment_id: int) -> int | None:
    """The loan an instalment belongs to (callers then check it is the contact's with loan_of)."""
    query = select(Instalment.loan_id).where(Instalment.id == instalment_id)
    return (await session.exec(query)).first()


async def record_payment(*, session: AsyncSession, loan: Loan, instalment: Instalment, paid_on: date) -> None:
    """Marks an instalment paid in full on a day; the loan becomes paid off with its last unpaid instalment."""
    instalment.paid_on, instalment.paid_amount = paid_on, instalment.amount
    session.add(instalment)
    await session.flush()
    unpaid = select(func.count()).where(Instalment.loan_id == loan.id, Instalment.paid_on.is_(None))
    if (await session.exec(unpaid)).one() == 0:
        loan.status, loan.closed_on = PAID_OFF, paid_on
        session.add(loan)


async def correct_amounts(
    *, session: AsyncSession, loan_id: int, from_number: int, amount: int, only_one: bool
) -> int:
    """Sets the amount of one unpaid instalment, or of it and every later unpaid one; returns how many changed."""
    numbers = Instalment.number == from_number if only_one else Instalment.number >= from_number
    statement = (
        update(Instalment)
        .where(Instalment.loan_id == loan_id, Instalment.paid_on.is_(None), numbers)
        .values(amount=amount)
    )
    return (await session.exec(statement)).rowcount


async def set_status(*, session: AsyncSession, loan: Loan, status: str, on: date | None = None) -> None:
    """Moves a loan to another status (active on confirmation, closed early on a day)."""
    loan.status = status
    if on is not None:
        loan.closed_on = on
    session.add(loan)
    await session.flush()


async def set_paused(*, session: AsyncSession, loan: Loan, paused: bool) -> None:
    """Pauses or resumes a loan's reminders."""
    loan.reminders_paused = paused
    session.add(loan)
    await session.flush()


async def delete_loan(*, session: AsyncSession, loan_id: int) -> None:
    """Deletes a loan with its instalments and reminders."""
    await session.exec(delete(Loan).where(Loan.id == loan_id))


async def propose_loan(
    *, session: AsyncSession, owner_contact_id: int, consultant_contact_id: int, **loan
) -> Loan:
    """Records a loan a consultant entered for an owner: it waits for the owner's confirmation, without reminders."""
    return await add_loan(
        session=session,
        contact_id=owner_contact_id,
        status=PROPOSED,
        proposed_by=consultant_contact_id,
        **loan,
    )
