"""Tests for core.schedule_text: exact table output, paging and the phone-width limit."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from core.schedule_text import page_count, schedule_table
from core.simulator import simulate

KUR = Decimal("0.06")
DATE_COLUMN = len(" 21/12/26")


def test_table_without_dates() -> None:
    sim = simulate(1_000_000, 3, borrower_rate=KUR)
    assert schedule_table(sim) == (
        "No Angsuran   Pokok    Sisa\n"
        " 1  336.672 331.672 668.328\n"
        " 2  336.672 333.330 334.998\n"
        " 3  336.673 334.998       0"
    )


def test_table_with_dates() -> None:
    sim = simulate(1_000_000, 3, borrower_rate=KUR, start=date(2026, 11, 21))
    assert schedule_table(sim) == (
        "No Tgl      Angsuran   Pokok    Sisa\n"
        " 1 21/12/26  336.672 331.672 668.328\n"
        " 2 21/01/27  336.672 333.330 334.998\n"
        " 3 21/02/27  336.673 334.998       0"
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
    """Undated tables fit 34 columns up to the KUR Mikro plafond (Rp100 juta); dates add 9 more."""
    sim = simulate(principal, months, borrower_rate=KUR)
    dated = simulate(principal, months, borrower_rate=KUR, start=date(2026, 1, 31))
    for first in range(1, months + 1, 12):
        width = max(len(line) for line in schedule_table(sim, first=first).splitlines())
        dated_width = max(len(line) for line in schedule_table(dated, first=first).splitlines())
        assert width <= limit
        assert dated_width == width + DATE_COLUMN


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
