"""Tests for core.simulator: published KUR figures, worked examples, due dates and invariants."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.formatting import percent
from core.simulator import (
    Method,
    PremiumPayer,
    Simulation,
    compare_with_moneylender,
    flat_equivalent_rate,
    simulate,
)

KUR = Decimal("0.06")
SUPER_MIKRO = Decimal("0.03")
TEN_JUTA = 10_000_000


@pytest.mark.parametrize(
    ("rate", "months", "instalment"),
    [
        (KUR, 12, 860_664),
        (KUR, 24, 443_206),
        (KUR, 36, 304_219),
        (SUPER_MIKRO, 12, 846_937),
        (SUPER_MIKRO, 24, 429_812),
        (SUPER_MIKRO, 36, 290_812),
    ],
)
def test_published_annuity_instalments(rate: Decimal, months: int, instalment: int) -> None:
    sim = simulate(TEN_JUTA, months, borrower_rate=rate)
    assert sim.monthly_instalment == instalment
    assert all(row.payment == instalment for row in sim.schedule[:-1])


def test_annuity_last_row_absorbs_rounding() -> None:
    sim = simulate(TEN_JUTA, 12, borrower_rate=KUR)
    assert sim.schedule[0].interest == 50_000
    assert sim.schedule[0].principal == 810_664
    assert sim.schedule[-1].payment == 860_669
    assert sim.schedule[-1].principal == 856_387
    assert sim.total_interest == 327_973
    assert sim.total_paid == 10_327_973


def test_flat_worked_example() -> None:
    sim = simulate(12_000_000, 12, borrower_rate=KUR, method="flat")
    assert sim.method is Method.FLAT
    assert {(row.principal, row.interest, row.payment) for row in sim.schedule} == {
        (1_000_000, 60_000, 1_060_000)
    }
    assert sim.total_interest == 720_000
    assert sim.total_paid == 12_720_000


def test_flat_uneven_principal_last_row_absorbs() -> None:
    sim = simulate(TEN_JUTA, 12, borrower_rate=KUR, method="flat")
    assert sim.monthly_instalment == 883_333
    assert sim.schedule[-1].principal == 833_337
    assert sim.total_interest == 600_000


def test_declining_worked_example() -> None:
    sim = simulate(12_000_000, 12, borrower_rate=KUR, method="declining")
    assert [row.interest for row in sim.schedule] == [5_000 * k for k in range(12, 0, -1)]
    assert {row.principal for row in sim.schedule} == {1_000_000}
    assert sim.monthly_instalment == 1_060_000
    assert sim.schedule[-1].payment == 1_005_000
    assert sim.total_interest == 390_000


@pytest.mark.parametrize("method", list(Method))
def test_zero_rate_divides_principal(method: Method) -> None:
    sim = simulate(TEN_JUTA, 12, borrower_rate=Decimal(0), method=method)
    assert sim.monthly_instalment == 833_333
    assert sim.schedule[-1].payment == 833_337
    assert sim.total_interest == 0
    assert sim.total_paid == TEN_JUTA


def test_subsidy_and_saving() -> None:
    sim = simulate(TEN_JUTA, 12, borrower_rate=KUR, subsidy_rate=Decimal("0.10"))
    assert sim.monthly_instalment == 860_664
    assert sim.instalment_without_subsidy == 907_309  # annuity at 16%: 907.308,58
    assert sim.monthly_saving == 46_645
    assert sim.schedule[0].subsidy == 83_333
    assert sim.schedule[1].subsidy == 76_578  # 10%/12 of 9.189.336
    assert sim.total_subsidy == sum(row.subsidy for row in sim.schedule) == 546_619


def test_subsidy_on_flat_loan_follows_outstanding_balance() -> None:
    sim = simulate(12_000_000, 12, borrower_rate=KUR, subsidy_rate=Decimal("0.12"), method="flat")
    assert [row.subsidy for row in sim.schedule][:2] == [120_000, 110_000]
    assert sim.instalment_without_subsidy == 1_000_000 + 180_000


@pytest.mark.parametrize(
    ("payer", "total_paid"),
    [
        ("borrower", 10_327_973 + 150_000),
        ("government", 10_327_973),
        ("pemda", 10_327_973),
        ("bank", 10_327_973),
    ],
)
def test_insurance_premium(payer: str, total_paid: int) -> None:
    sim = simulate(
        TEN_JUTA, 12, borrower_rate=KUR, insurance_premium_rate=Decimal("0.015"), premium_paid_by=payer
    )
    assert sim.insurance_premium == 150_000
    assert sim.premium_paid_by == payer
    assert sim.total_paid == total_paid


def test_premium_rounds_half_up() -> None:
    sim = simulate(1_001_000, 12, borrower_rate=KUR, insurance_premium_rate=Decimal("0.0005"))
    assert sim.insurance_premium == 501  # 500,5


def test_single_month_loan() -> None:
    sim = simulate(100, 1, borrower_rate=KUR)  # interest 0,5 rounds half-up
    assert [(row.payment, row.principal, row.interest, row.balance) for row in sim.schedule] == [
        (101, 100, 1, 0)
    ]


def test_principal_smaller_than_months_never_overpays() -> None:
    sim = simulate(60, 120, borrower_rate=Decimal(0))
    assert sum(row.principal for row in sim.schedule) == 60
    assert min(row.balance for row in sim.schedule) == 0
    assert sim.schedule[60].payment == 0


@pytest.mark.parametrize(
    ("start", "due_day", "expected"),
    [
        (
            date(2026, 1, 31),
            None,
            [date(2026, 2, 28), date(2026, 3, 31), date(2026, 4, 30), date(2026, 5, 31)],
        ),
        (
            date(2028, 1, 31),
            None,
            [date(2028, 2, 29), date(2028, 3, 31), date(2028, 4, 30), date(2028, 5, 31)],
        ),
        (
            date(2028, 1, 30),
            None,
            [date(2028, 2, 29), date(2028, 3, 30), date(2028, 4, 30), date(2028, 5, 30)],
        ),
        (
            date(2026, 11, 21),
            None,
            [date(2026, 12, 21), date(2027, 1, 21), date(2027, 2, 21), date(2027, 3, 21)],
        ),
        (date(2026, 11, 21), 5, [date(2026, 12, 5), date(2027, 1, 5), date(2027, 2, 5), date(2027, 3, 5)]),
        (date(2026, 12, 1), 31, [date(2027, 1, 31), date(2027, 2, 28), date(2027, 3, 31), date(2027, 4, 30)]),
    ],
)
def test_due_dates(start: date, due_day: int | None, expected: list[date]) -> None:
    sim = simulate(TEN_JUTA, 4, borrower_rate=KUR, start=start, due_day=due_day)
    assert [row.due_date for row in sim.schedule] == expected


def test_leap_day_start_keeps_day_29() -> None:
    sim = simulate(TEN_JUTA, 12, borrower_rate=KUR, start=date(2028, 2, 29))
    assert sim.schedule[0].due_date == date(2028, 3, 29)
    assert sim.schedule[-1].due_date == date(2029, 2, 28)


def test_no_start_means_no_dates() -> None:
    sim = simulate(TEN_JUTA, 3, borrower_rate=KUR, due_day=5)
    assert [row.due_date for row in sim.schedule] == [None, None, None]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"principal": 0},
        {"principal": -1},
        {"months": 0},
        {"months": 361},
        {"borrower_rate": Decimal("-0.01")},
        {"borrower_rate": Decimal("NaN")},
        {"subsidy_rate": Decimal("-0.01")},
        {"insurance_premium_rate": Decimal("Infinity")},
        {"method": "balloon"},
        {"premium_paid_by": "nobody"},
        {"due_day": 0},
        {"due_day": 32},
    ],
)
def test_rejects_bad_input(kwargs: dict[str, object]) -> None:
    args: dict[str, object] = {"principal": TEN_JUTA, "months": 12, "borrower_rate": KUR} | kwargs
    with pytest.raises(ValueError):
        simulate(**args)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "kwargs",
    [{"principal": 1e7}, {"principal": True}, {"months": 12.0}, {"borrower_rate": 0.06}],
)
def test_rejects_floats_and_bools(kwargs: dict[str, object]) -> None:
    args: dict[str, object] = {"principal": TEN_JUTA, "months": 12, "borrower_rate": KUR} | kwargs
    with pytest.raises(TypeError):
        simulate(**args)  # type: ignore[arg-type]


def test_moneylender_ten_juta_twelve_months() -> None:
    rentenir = compare_with_moneylender(TEN_JUTA, 12)
    assert rentenir.monthly_rate == Decimal("0.20")
    assert rentenir.total_interest == 24_000_000  # Rp2.000.000 a month
    assert rentenir.total_paid == 34_000_000
    assert rentenir.monthly_instalment == 2_833_333
    kur = simulate(TEN_JUTA, 12, borrower_rate=KUR)
    assert rentenir.extra_cost_vs(kur) == 34_000_000 - 10_327_973 == 23_672_027


def test_moneylender_custom_rate_and_mismatch() -> None:
    rentenir = compare_with_moneylender(1_000_000, 1, monthly_rate=Decimal("0.015"))
    assert (rentenir.total_interest, rentenir.monthly_instalment) == (15_000, 1_015_000)
    with pytest.raises(ValueError):
        rentenir.extra_cost_vs(simulate(2_000_000, 1, borrower_rate=KUR))
    with pytest.raises(ValueError):
        compare_with_moneylender(1_000_000, 12, monthly_rate=Decimal("-0.2"))


@pytest.mark.parametrize(("months", "shown"), [(12, "3,28%"), (36, "3,17%"), (60, "3,2%")])
def test_flat_equivalent_rate(months: int, shown: str) -> None:
    rate = flat_equivalent_rate(simulate(TEN_JUTA, months, borrower_rate=KUR))
    assert percent(rate) == shown


def test_flat_equivalent_of_ten_juta_twelve_months() -> None:
    assert flat_equivalent_rate(simulate(TEN_JUTA, 12, borrower_rate=KUR)) == Decimal("0.032797")


def test_flat_equivalent_of_flat_loan_is_its_rate() -> None:
    assert flat_equivalent_rate(simulate(12_000_000, 12, borrower_rate=KUR, method="flat")) == KUR


rates = st.decimals(min_value=0, max_value=Decimal("0.30"), places=4)


@given(
    principal=st.integers(min_value=1, max_value=5_000_000_000),
    months=st.integers(min_value=1, max_value=120),
    borrower_rate=rates,
    subsidy_rate=rates,
    method=st.sampled_from(list(Method)),
    payer=st.sampled_from(list(PremiumPayer)),
)
def test_invariants(
    principal: int,
    months: int,
    borrower_rate: Decimal,
    subsidy_rate: Decimal,
    method: Method,
    payer: PremiumPayer,
) -> None:
    sim = simulate(
        principal,
        months,
        borrower_rate=borrower_rate,
        subsidy_rate=subsidy_rate,
        method=method,
        insurance_premium_rate=Decimal("0.01"),
        premium_paid_by=payer,
    )
    _check_invariants(sim)
    if subsidy_rate == 0:
        assert sim.total_subsidy == 0
        assert sim.monthly_saving == 0


def _check_invariants(sim: Simulation) -> None:
    rows = sim.schedule
    assert [row.number for row in rows] == list(range(1, sim.months + 1))
    assert rows[-1].balance == 0
    assert sum(row.principal for row in rows) == sim.principal
    assert sim.total_interest == sum(row.interest for row in rows)
    assert sim.total_subsidy == sum(row.subsidy for row in rows)
    assert sim.monthly_instalment == rows[0].payment
    assert sim.instalment_without_subsidy >= sim.monthly_instalment
    assert sim.monthly_saving == sim.instalment_without_subsidy - sim.monthly_instalment >= 0
    premium = sim.insurance_premium if sim.premium_paid_by is PremiumPayer.BORROWER else 0
    assert sim.total_paid == sim.principal + sim.total_interest + premium
    balance = sim.principal
    for row in rows:
        amounts = (row.payment, row.principal, row.interest, row.subsidy, row.balance)
        assert all(type(amount) is int and amount >= 0 for amount in amounts)
        assert row.payment == row.principal + row.interest
        balance -= row.principal
        assert row.balance == balance
    headline = (
        sim.monthly_instalment,
        sim.instalment_without_subsidy,
        sim.monthly_saving,
        sim.total_interest,
        sim.total_subsidy,
        sim.insurance_premium,
        sim.total_paid,
    )
    assert all(type(amount) is int for amount in headline)
