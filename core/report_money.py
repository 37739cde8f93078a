"""The report's money: interest subsidy from each loan's schedule, and the credit insurance premium.

The subsidy of one instalment is its amount at the full rate (borrower's rate + subsidy rate) minus its amount at
the borrower's rate, both from core.simulator (whole Rupiah, rounded half-up, last instalment absorbs rounding).
Loans with the same terms share one schedule, so a report over thousands of loans simulates each term once.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from itertools import accumulate

from core.simulator import simulate


@dataclass(frozen=True)
class LoanGroup:
    """Loans with the same terms and the same position in the period, with how many there are.

    `due_before` instalments fall before the period, `due_by_end` up to its last day; `running` tells whether
    the loan still runs (active), so its later instalments are still owed; `new` whether it was disbursed in
    the period.
    """

    principal: int
    months: int
    borrower_rate: Decimal
    subsidy_rate: Decimal
    method: str
    due_before: int
    due_by_end: int
    running: bool
    new: bool
    loans: int


@dataclass(frozen=True)
class Subsidy:
    """Interest subsidy in Rupiah: due in the period, due up to its end, and still committed after it."""

    in_period: int = 0
    to_date: int = 0
    committed: int = 0

    def __add__(self, other: Subsidy) -> Subsidy:
        """Adds two subsidies field by field."""
        return Subsidy(
            self.in_period + other.in_period, self.to_date + other.to_date, self.committed + other.committed
        )


@cache
def cumulative_subsidy(
    principal: int, months: int, borrower_rate: Decimal, subsidy_rate: Decimal, method: str
) -> tuple[int, ...]:
    """Subsidy of the first n instalments, for n = 0..months (full-rate instalments minus borrower's)."""
    full = simulate(principal, months, borrower_rate=borrower_rate + subsidy_rate, method=method).schedule
    own = simulate(principal, months, borrower_rate=borrower_rate, method=method).schedule
    return (0, *accumulate(a.payment - b.payment for a, b in zip(full, own, strict=True)))


def group_subsidy(group: LoanGroup) -> Subsidy:
    """The subsidy of a group of alike loans."""
    if group.subsidy_rate <= 0:
        return Subsidy()
    sums = cumulative_subsidy(
        group.principal, group.months, group.borrower_rate, group.subsidy_rate, group.method
    )
    before, by_end = (sums[min(n, group.months)] for n in (group.due_before, group.due_by_end))
    committed = sums[-1] - by_end if group.running else 0
    return Subsidy((by_end - before) * group.loans, by_end * group.loans, committed * group.loans)


def total_subsidy(groups: list[LoanGroup]) -> Subsidy:
    """The subsidy of every group."""
    return sum((group_subsidy(group) for group in groups), Subsidy())


def premium(principal: int, rate: Decimal) -> int:
    """The one-off insurance premium of one loan, whole Rupiah rounded half-up."""
    return int((principal * rate).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def total_premium(groups: list[LoanGroup], rate: Decimal | None, *, new_only: bool) -> int:
    """The premium of every loan (or only those disbursed in the period), each rounded on its own."""
    if not rate:
        return 0
    return sum(premium(g.principal, rate) * g.loans for g in groups if g.new or not new_only)
