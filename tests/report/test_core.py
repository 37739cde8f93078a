"""The report's pure parts: the "< 5" rule, periods, subsidy and premium arithmetic, the impact figures."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.report_facts import Answer
from core.report_impact import turnover_changes
from core.report_money import LoanGroup, group_subsidy, premium
from core.report_period import Period, period_of
from core.report_table import SUPPRESSED, share, suppress


@pytest.mark.parametrize(("count", "shown"), [(0, 0), (1, SUPPRESSED), (4, SUPPRESSED), (5, 5), (1234, 1234)])
def test_small_counts_are_hidden(count: int, shown: object) -> None:
    assert suppress(count) == shown


def test_a_figure_about_few_businesses_is_hidden_whatever_its_value() -> None:
    assert suppress(3, 750_000) == SUPPRESSED
    assert suppress(5, 750_000) == 750_000
    assert suppress(0, None) is None


def test_shares() -> None:
    assert share(49, 52) == Decimal("0.9423")
    assert share(1, 0) is None


@pytest.mark.parametrize(
    ("kind", "anchor", "start", "end"),
    [
        ("month", date(2026, 2, 14), date(2026, 2, 1), date(2026, 2, 28)),
        ("month", date(2026, 12, 31), date(2026, 12, 1), date(2026, 12, 31)),
        ("quarter", date(2026, 11, 21), date(2026, 10, 1), date(2026, 12, 31)),
        ("quarter", date(2026, 5, 1), date(2026, 4, 1), date(2026, 6, 30)),
        ("year", date(2024, 7, 7), date(2024, 1, 1), date(2024, 12, 31)),
    ],
)
def test_periods(kind: str, anchor: date, start: date, end: date) -> None:
    assert period_of(kind, anchor) == Period(start, end)


def test_a_period_lists_its_months_and_refuses_to_end_before_it_starts() -> None:
    assert Period(date(2025, 12, 15), date(2026, 2, 1)).months() == [
        date(2025, 12, 1),
        date(2026, 1, 1),
        date(2026, 2, 1),
    ]
    with pytest.raises(ValueError, match="ends"):
        Period(date(2026, 2, 1), date(2026, 1, 31))


def _group(due_before: int, due_by_end: int, *, running: bool = True, loans: int = 1) -> LoanGroup:
    return LoanGroup(
        principal=10_000_000,
        months=12,
        borrower_rate=Decimal("0.03"),
        subsidy_rate=Decimal("0.09"),
        method="annuity",
        due_before=due_before,
        due_by_end=due_by_end,
        running=running,
        new=True,
        loans=loans,
    )


def test_the_subsidy_of_one_regional_loan_to_the_rupiah() -> None:
    # Rp10.000.000 over 12 months: at 12% 11 x Rp888.488 and Rp888.485, at 3% 12 x Rp846.937.
    subsidy = group_subsidy(_group(0, 11))
    assert (subsidy.in_period, subsidy.to_date, subsidy.committed) == (457_061, 457_061, 41_548)
    later = group_subsidy(_group(11, 12, loans=5))
    assert (later.in_period, later.to_date, later.committed) == (207_740, 2_493_045, 0)
    assert group_subsidy(_group(0, 4, running=False)).committed == 0  # closed early: nothing more is owed


@given(st.integers(0, 12), st.integers(0, 12))
def test_the_subsidy_adds_up(before: int, after: int) -> None:
    before, by_end = min(before, after), max(before, after)
    whole = group_subsidy(_group(0, 12)).to_date
    part = group_subsidy(_group(before, by_end))
    assert part.to_date + part.committed == whole
    assert part.in_period == part.to_date - group_subsidy(_group(0, before)).to_date


def test_premium_rounds_each_loan_half_up() -> None:
    assert premium(10_000_000, Decimal("0.015")) == 150_000
    assert premium(1_000_033, Decimal("0.015")) == 15_000  # 15.000,495
    assert premium(1_000_034, Decimal("0.015")) == 15_001  # 15.000,51


def test_turnover_change_skips_a_skipped_question_and_a_zero_baseline() -> None:
    answers = [
        Answer(4_000_000, 6_000_000, 1, 1, None, None),
        Answer(0, 6_000_000, 1, 1, None, None),
        Answer(4_000_000, None, 1, 1, None, None),
    ]
    assert turnover_changes(answers) == [Decimal("0.5")]
