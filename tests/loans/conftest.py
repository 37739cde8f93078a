"""Helpers for loan and reminder tests: an owner with a recorded loan, and readers of what the scan wrote."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot import reminders
from bot.clock import FixedClock
from core.simulator import simulate
from storage import loans
from storage.contacts import get_or_create_contact
from storage.db import transaction
from storage.models import Instalment, Loan, Outbox, Reminder


@dataclass
class Owner:
    """A contact who records loans, on one channel."""

    sessions: async_sessionmaker[AsyncSession]
    clock: FixedClock
    user: str = "owner-1"
    channel: str = "telegram"

    async def contact_id(self) -> int:
        """The owner's contact id (created on first use)."""
        async with transaction(self.sessions) as session:
            contact = await get_or_create_contact(
                session=session, channel=self.channel, external_id=self.user, now=self.clock.now()
            )
            return contact.id

    async def add_loan(
        self,
        *,
        disbursed_on: date = date(2026, 11, 21),
        months: int = 12,
        due_day: int | None = None,
        zone: str = "Asia/Jakarta",
        principal: int = 20_000_000,
        bank: str = "BRI",
        status: str = loans.ACTIVE,
    ) -> int:
        """Records an active loan as the flow does (schedule and first reminder) and returns its id."""
        contact_id = await self.contact_id()
        sim = simulate(principal, months, borrower_rate=Decimal("0.06"), start=disbursed_on, due_day=due_day)
        async with transaction(self.sessions) as session:
            loan = await loans.add_loan(
                session=session,
                contact_id=contact_id,
                bank=bank,
                scheme="kur_mikro",
                principal=principal,
                borrower_rate=Decimal("0.06"),
                subsidy_rate=Decimal("0.10"),
                months=months,
                method="annuity",
                disbursed_on=disbursed_on,
                due_day=due_day or disbursed_on.day,
                time_zone=zone,
                schedule=sim.schedule,
                now=self.clock.now(),
                status=status,
            )
            await reminders.after_change(session=session, loan=loan, now=self.clock.now())
            return loan.id


async def outbox_rows(sessions: async_sessionmaker[AsyncSession]) -> list[Outbox]:
    """Every outbox row, oldest first."""
    async with sessions() as session:
        return list((await session.exec(select(Outbox).order_by(Outbox.id))).all())


async def reminder_rows(
    sessions: async_sessionmaker[AsyncSession], loan_id: int | None = None
) -> list[Reminder]:
    """Every reminder row (of one loan), oldest first."""
    query = select(Reminder).order_by(Reminder.id)
    if loan_id is not None:
        query = query.where(Reminder.loan_id == loan_id)
    async with sessions() as session:
        return list((await session.exec(query)).all())


async def instalments(sessions: async_sessionmaker[AsyncSession], loan_id: int) -> list[Instalment]:
    """A loan's instalments in order."""
    async with sessions() as session:
        return await loans.instalments_of(session=session, loan_id=loan_id)


async def loan_row(sessions: async_sessionmaker[AsyncSession], loan_id: int) -> Loan | None:
    """A loan as stored."""
    async with sessions() as session:
        return await session.get(Loan, loan_id)


def sent_keys(rows: list[Outbox]) -> list[tuple[int, str]]:
    """(instalment id, kind) of every repayment reminder in the outbox, in order."""
    keys = []
    for row in rows:
        _prefix, _loan, instalment, kind, *_rest = row.send_key.split(":")
        keys.append((int(instalment), kind))
    return keys


def local(zone: str, *parts: int) -> datetime:
    """A local wall-clock time in a zone, as aware UTC."""
    return datetime(*parts, tzinfo=ZoneInfo(zone)).astimezone(UTC)


@pytest.fixture
def owner(sessions, clock) -> Owner:
    """An owner on Telegram."""
    return Owner(sessions, clock)
