"""Tests for core.schedule_text: exact table output, paging, the phone-width limit and the full table."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from core.schedule_text import full_schedule_table, page_count, schedule_table
from core.simulator import simulate

KUR = Decimal("0.06")
PHONE = 34


def test_table_without_dates() -> None:
    sim = simulate(1_000_000, 3, borrower_rate=KUR)
    assert schedule_table(sim) == (
        "No Angsuran   Pokok    Sisa\n"
        " 1  336.672 331.672 668.328\n"
        " 2  336.672 333.330 334.998\n"
        " 3  336.673 334.998       0"
    )


def test_table_with_dates_leaves_the_principal_out() -> None:
    sim = simulate(1_000_000, 3, borrower_rate=KUR, start=date(2026, 11, 21))
    assert schedule_table(sim) == (
        "No Tgl      Angsuran    Sisa\n"
        " 1 21/12/26  336.672 668.328\n"
        " 2 21/01/27  336.672 334.998\n"
        " 3 21/02/27  336.673       0"
    )


def test_page_is_clipped_to_the_schedule() -> None:
    sim = simulate(10_000_000, 12, borrower_rate=KUR)
    assert schedule_table(sim, first=11, count=12) == (
        "No Angsuran   Pokok    Sisa\n11  860.664 852.121 856.387\n12  860.669 856.387       0"
    )


def test_default_page_has_twelve_rows() -> None:
    table = schedule_table(simulate(10_000_000, 36, borrower_rate=KUR), first=13)
    lines = table.splitlines()
    assert len(lines) == 13
    assert lines[1].startswith("13 ")
    assert lines[-1].startswith("24 ")


@pytest.mark.parametrize(
    ("principal", "limit"),
    [(1_000_000, 34), (10_000_000, 34), (50_000_000, 34), (100_000_000, 34), (500_000_000, 36)],
)
@pytest.mark.parametrize("months", [1, 12, 36, 60])
def test_width_fits_a_phone(principal: int, limit: int, months: int) -> None:
    """Undated tables fit 34 columns up to the KUR Mikro plafond; dated ones up to the KUR Kecil plafond."""
    sim = simulate(principal, months, borrower_rate=KUR)
    dated = simulate(principal, months, borrower_rate=KUR, start=date(2026, 1, 31))
    for first in range(1, months + 1, 12):
        width = max(len(line) for line in schedule_table(sim, first=first).splitlines())
        dated_width = max(len(line) for line in schedule_table(dated, first=first).splitlines())
        assert width <= limit
        assert dated_width <= PHONE


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        pytest.param(
            None,
            "No Angsuran   Pokok Bunga Subsidi    Sisa\n"
            " 1  336.672 331.672 5.000   8.333 668.328\n"
            " 2  336.672 333.330 3.342   5.569 334.998\n"
            " 3  336.673 334.998 1.675   2.792       0",
            id="undated",
        ),
        pytest.param(
            date(2026, 11, 21),
            "No Tgl      Angsuran   Pokok Bunga Subsidi    Sisa\n"
            " 1 21/12/26  336.672 331.672 5.000   8.333 668.328\n"
            " 2 21/01/27  336.672 333.330 3.342   5.569 334.998\n"
            " 3 21/02/27  336.673 334.998 1.675   2.792       0",
            id="dated",
        ),
    ],
)
def test_full_table_has_every_column(start: date | None, expected: str) -> None:
    sim = simulate(1_000_000, 3, borrower_rate=KUR, subsidy_rate=Decimal("0.10"), start=start)
    assert full_schedule_table(sim) == expected


@pytest.mark.parametrize(("first", "count"), [(0, 12), (13, 1), (1, 0)])
def test_rejects_rows_outside_the_schedule(first: int, count: int) -> None:
    with pytest.raises(ValueError):
        schedule_table(simulate(10_000_000, 12, borrower_rate=KUR), first=first, count=count)


@pytest.mark.parametrize(
    ("months", "per_page", "pages"), [(1, 12, 1), (12, 12, 1), (13, 12, 2), (60, 12, 5), (60, 7, 9)]
)
def test_page_count(months: int, per_page: int, pages: int) -> None:
    assert page_count(simulate(10_000_000, months, borrower_rate=KUR), per_page) == pages


def test_page_count_rejects_empty_pages() -> None:
    with pytest.raises(ValueError):
        page_count(simulate(10_000_000, 12, borrower_rate=KUR), 0)
