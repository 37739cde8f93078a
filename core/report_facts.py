"""What the database hands the report: counts and sums per group, already aggregated (storage/report*.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from core.report_money import LoanGroup


@dataclass(frozen=True)
class Count:
    """A group's label (an id such as a kecamatan or sector) and its counts: in the period and in all."""

    label: str
    new: int
    total: int = 0


@dataclass(frozen=True)
class Reach:
    """Registered businesses by dimension and month, and the owners who wrote in the period."""

    by: dict[str, list[Count]]
    months: list[tuple[date, int]]
    new: int
    total: int
    active_users: int


@dataclass(frozen=True)
class CheckCount:
    """Eligibility results of one scheme and status (or one reason code): checks and the owners behind them."""

    scheme: str
    status: str
    checks: int
    owners: int


@dataclass(frozen=True)
class LoanCount:
    """Loans recorded in the period for one scheme and bank."""

    scheme: str
    bank: str
    loans: int
    principal: int
    owners: int


@dataclass(frozen=True)
class Finance:
    """Checks and their verdicts, "not eligible" reasons, appointments and recorded loans."""

    checks: list[CheckCount]
    reasons: list[CheckCount]
    bookings: dict[str, int]
    answer_hours: list[Decimal]
    loans: list[LoanCount]


@dataclass(frozen=True)
class Money:
    """Loan groups of the regional programme and of KUR, and the regional premium rate (None: not paid)."""

    regional: list[LoanGroup]
    kur: list[LoanGroup]
    premium_rate: Decimal | None


@dataclass(frozen=True)
class Repayment:
    """Instalments due in the period and how they were paid, and reminders sent per kind."""

    due: int = 0
    on_time: int = 0
    late_1: int = 0
    late_3: int = 0
    overdue_unpaid: int = 0
    paid_late: int = 0
    paid_late_after_reminder: int = 0
    borrowers: int = 0
    reminders: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Answer:
    """One answered follow-up survey against its baseline; None where a question was skipped."""

    baseline_turnover: int
    turnover: int | None
    baseline_employees: int | None
    employees: int | None
    new_line: bool | None
    helped: str | None


@dataclass(frozen=True)
class Facts:
    """Everything the report shows, for one period and area."""

    reach: Reach
    finance: Finance
    money: Money
    repayment: Repayment
    answers: list[Answer]
    demo_businesses: int = 0
    aid: dict[str, dict[str, int]] = field(default_factory=dict)  # per aid id: applied, approved, ... counts
