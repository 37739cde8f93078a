"""The programme report's figures, aggregated in SQL (see docs/report.md), and the follow-up list of owners."""

from __future__ import annotations

from asyncio import gather
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TypeVar

from sqlalchemy import func, text
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.report_facts import Facts, Finance, Money
from storage import report_finance, report_reach, report_repay
from storage.aid import aid_figures
from storage.models import Business, Contact, Instalment, Loan
from storage.report_scope import Scope, is_postgres

T = TypeVar("T")


async def facts(
    *,
    sessions: async_sessionmaker[AsyncSession],
    scope: Scope,
    months: list[datetime],
    regional_scheme: str | None,
    premium_rate: Decimal | None,
) -> Facts:
    """Every aggregate of the report for one period and area (`months`: the UTC start of each month in it).

    The sections' queries are independent: each runs on its own connection, so PostgreSQL runs them side by side.
    """

    async def run(work: Callable[[AsyncSession], Awaitable[T]]) -> T:
        """One query (or a few) on its own session, read-only."""
        async with sessions() as session:
            if is_postgres(session):
                # One-off aggregates cost more to JIT-compile (about 0.3 s each) than to run; this transaction only.
                await session.exec(text("SET LOCAL jit = off"))  # type: ignore[call-overload]
            return await work(session)

    (
        reach,
        (checks, reasons),
        (bookings, hours),
        loans,
        (regional, kur),
        repayment,
        answers,
        demo,
        aid,
    ) = await gather(
        run(lambda s: report_reach.reach(s, scope, months)),
        run(lambda s: report_finance.checks(s, scope)),
        run(lambda s: report_finance.bookings(s, scope)),
        run(lambda s: report_finance.loans(s, scope)),
        run(lambda s: report_repay.loan_groups(s, scope, regional_scheme)),
        run(lambda s: report_repay.repayment(s, scope)),
        run(lambda s: report_repay.answers(s, scope)),
        run(report_reach.demo_businesses),
        run(lambda s: aid_figures(s, scope.since, scope.until, scope.kecamatan)),
    )
    return Facts(
        reach=reach,
        finance=Finance(checks=checks, reasons=reasons, bookings=bookings, answer_hours=hours, loans=loans),
        money=Money(regional=regional, kur=kur, premium_rate=premium_rate),
        repayment=repayment,
        answers=answers,
        demo_businesses=demo,
        aid=aid,
    )


@dataclass(frozen=True)
class Overdue:
    """An owner with an instalment at least three days late and unpaid: who to follow up (personal data)."""

    owner_name: str
    phone: str | None
    business: str
    kecamatan: str
    bank: str
    number: int
    due_on: date
    amount: int


async def overdue_owners(*, session: AsyncSession, today: date, kecamatan: str | None) -> list[Overdue]:
    """Owners of active loans with an instalment unpaid three days or more after its due date, oldest first."""
    query = (
        select(
            Business.owner_name,
            func.coalesce(Business.phone, Contact.phone),
            Business.name,
            Business.kecamatan,
            Loan.bank,
            Instalment.number,
            Instalment.due_on,
            Instalment.amount,
        )
        .join(Loan, Loan.id == Instalment.loan_id)
        .join(Business, Business.contact_id == Loan.contact_id)
        .join(Contact, Contact.id == Loan.contact_id)
        .where(
            col(Instalment.paid_on).is_(None),
            Instalment.due_on <= today - timedelta(days=3),
            Loan.status == "active",
        )
        .order_by(Instalment.due_on, Business.owner_name)
    )
    if kecamatan is not None:
        query = query.where(Business.kecamatan == kecamatan)
    return [Overdue(*row) for row in await session.exec(query)]
