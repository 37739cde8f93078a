"""Report queries about loans' money and repayment, reminders, and follow-up survey answers."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import and_, case, exists, func, or_
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.report_facts import Answer, Repayment
from core.report_money import LoanGroup
from storage.models import FollowUpSurvey, Instalment, Loan, Reminder
from storage.report_scope import Scope, days_late, in_area

LATE_KINDS = ("after_1", "after_3")


def _count(condition: Any) -> Any:
    """SUM(CASE WHEN condition THEN 1 ELSE 0 END)."""
    return func.sum(case((condition, 1), else_=0))


async def loan_groups(
    session: AsyncSession, scope: Scope, regional_scheme: str | None
) -> tuple[list[LoanGroup], list[LoanGroup]]:
    """Regional-programme and KUR loans disbursed by the period's end, grouped by terms and position (one scan)."""
    programme = case((Loan.scheme == (regional_scheme or ""), "regional"), else_="kur").label("programme")
    chosen = or_(Loan.scheme == (regional_scheme or ""), col(Loan.scheme).startswith("kur_"))
    per_loan = (
        select(
            programme,
            Loan.principal,
            Loan.months,
            Loan.borrower_rate,
            Loan.subsidy_rate,
            Loan.method,
            (Loan.status == "active").label("running"),
            (Loan.disbursed_on >= scope.start).label("new"),
            _count(Instalment.due_on < scope.start).label("due_before"),
            _count(Instalment.due_on <= scope.end).label("due_by_end"),
        )
        .join(Instalment, Instalment.loan_id == Loan.id)
        .where(chosen, Loan.disbursed_on <= scope.end, Loan.status != "proposed")
        .group_by(Loan.id)
    )
    loans = in_area(per_loan, Loan.contact_id, scope).subquery()
    keys = [loans.c[name] for name in ("programme", "principal", "months", "borrower_rate", "subsidy_rate")]
    keys += [loans.c[name] for name in ("method", "running", "new", "due_before", "due_by_end")]
    groups: dict[str, list[LoanGroup]] = {"regional": [], "kur": []}
    for found, *terms in await session.exec(select(*keys, func.count()).group_by(*keys)):
        groups[found].append(_group(*terms))
    return groups["regional"], groups["kur"]


def _group(*row: Any) -> LoanGroup:
    """One row of grouped loans."""
    principal, months, borrower_rate, subsidy_rate, method, running, new, before, by_end, n = row
    return LoanGroup(
        principal=int(principal),
        months=int(months),
        borrower_rate=borrower_rate,
        subsidy_rate=subsidy_rate,
        method=method,
        due_before=int(before),
        due_by_end=int(by_end),
        running=bool(running),
        new=bool(new),
        loans=int(n),
    )


async def repayment(session: AsyncSession, scope: Scope) -> Repayment:
    """Instalments due in the period (up to today) and how they were paid; reminders sent in the period."""
    last = min(scope.end, scope.today)
    late = days_late(session)
    unpaid = col(Instalment.paid_on).is_(None)
    reminded = exists().where(
        Reminder.loan_id == Instalment.loan_id,
        Reminder.instalment_id == Instalment.id,
        Reminder.status == "sent",
        col(Reminder.kind).in_(LATE_KINDS),
    )
    query = (
        select(
            func.count(),
            _count(and_(~unpaid, late <= 0)),
            _count(or_(late >= 1, and_(unpaid, Instalment.due_on < scope.today))),
            _count(or_(late >= 3, and_(unpaid, Instalment.due_on <= scope.today - timedelta(days=3)))),
            _count(and_(unpaid, Instalment.due_on < scope.today)),
            _count(late >= 1),
            _count(and_(late >= 1, reminded)),
            func.count(col(Loan.contact_id).distinct()),
        )
        .join(Loan, Loan.id == Instalment.loan_id)
        .where(Instalment.due_on >= scope.start, Instalment.due_on <= last, Loan.status != "proposed")
    )
    row = (await session.exec(in_area(query, Loan.contact_id, scope))).one()
    due, on_time, late_1, late_3, overdue, paid_late, after_reminder, borrowers = (int(v or 0) for v in row)
    return Repayment(
        due=due,
        on_time=on_time,
        late_1=late_1,
        late_3=late_3,
        overdue_unpaid=overdue,
        paid_late=paid_late,
        paid_late_after_reminder=after_reminder,
        borrowers=borrowers,
        reminders=await _reminders(session, scope),
    )


async def _reminders(session: AsyncSession, scope: Scope) -> dict[str, int]:
    """Reminders sent in the period, per kind."""
    query = (
        select(Reminder.kind, func.count())
        .join(Loan, Loan.id == Reminder.loan_id)
        .where(Reminder.status == "sent", Reminder.done_at >= scope.since, Reminder.done_at < scope.until)
        .group_by(Reminder.kind)
    )
    return {str(kind): int(n) for kind, n in await session.exec(in_area(query, Loan.contact_id, scope))}


async def answers(session: AsyncSession, scope: Scope) -> list[Answer]:
    """Follow-up surveys answered in the period (in the kecamatan copied onto the survey)."""
    s = FollowUpSurvey
    query = select(
        s.baseline_turnover, s.turnover, s.baseline_employees, s.employees, s.new_line, s.helped
    ).where(s.status == "answered", s.answered_at >= scope.since, s.answered_at < scope.until)
    if scope.kecamatan is not None:
        query = query.where(s.kecamatan == scope.kecamatan)
    return [Answer(*row) for row in await session.exec(query)]
