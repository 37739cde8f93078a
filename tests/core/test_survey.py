"""The survey's rules without I/O: due dates, office hours, closing status, and the readers of its answers."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core import survey as rules
from core.askback import AskBack
from core.business_answers import read_employees, read_turnover
from core.formatting import rupiah
from core.parsing import ParseError

WIB = ZoneInfo("Asia/Jakarta")
HOURS = {"weekdays": (1, 2, 3, 4, 5), "opens": time(8), "closes": time(15)}


@pytest.mark.parametrize(
    ("first", "today", "ended", "last", "due"),
    [
        (date(2026, 5, 21), date(2026, 11, 20), None, None, None),  # not yet six months
        (date(2026, 5, 21), date(2026, 11, 21), None, None, date(2026, 11, 21)),
        (
            date(2026, 5, 21),
            date(2027, 2, 1),
            None,
            None,
            date(2026, 11, 21),
        ),  # late: still the latest due date
        (
            date(2026, 5, 21),
            date(2027, 5, 21),
            None,
            date(2026, 11, 21),
            date(2027, 5, 21),
        ),  # every six months
        (date(2026, 5, 21), date(2026, 11, 25), None, date(2026, 11, 21), None),  # asked already
        (
            date(2026, 5, 21),
            date(2026, 11, 25),
            None,
            date(2026, 11, 1),
            None,
        ),  # an admin's survey 20 days before
        (
            date(2026, 5, 21),
            date(2026, 11, 25),
            None,
            date(2026, 10, 1),
            date(2026, 11, 21),
        ),  # 51 days before
        (date(2025, 5, 21), date(2026, 11, 21), date(2025, 12, 1), None, date(2026, 11, 21)),  # within a year
        (
            date(2025, 5, 21),
            date(2027, 5, 21),
            date(2025, 12, 1),
            None,
            None,
        ),  # more than a year after the end
        (date(2026, 8, 31), date(2027, 2, 28), None, None, date(2027, 2, 28)),  # 31 Aug + 6 months
    ],
)
def test_due_now(first: date, today: date, ended: date | None, last: date | None, due: date | None) -> None:
    assert rules.due_now(first_loan_on=first, ended_on=ended, today=today, last_asked_on=last) == due


@given(st.dates(date(2020, 1, 1), date(2030, 12, 31)), st.integers(0, 3000))
def test_the_due_date_is_a_six_monthly_date_on_or_before_today(first: date, days: int) -> None:
    today = first + timedelta(days=days)
    due = rules.latest_due(first, today)
    if due is None:
        assert today < rules.add_months(first, 6)
        return
    steps = [rules.add_months(first, 6 * k) for k in range(1, 30)]
    assert due in steps and due <= today
    assert steps[steps.index(due) + 1] > today  # and the latest such date


@pytest.mark.parametrize(
    ("local", "asked"),
    [
        (datetime(2026, 11, 23, 8, 0), True),  # Monday, the office opens
        (datetime(2026, 11, 23, 14, 59), True),
        (datetime(2026, 11, 23, 15, 0), False),
        (datetime(2026, 11, 23, 7, 59), False),
        (datetime(2026, 11, 21, 10, 0), False),  # Saturday
    ],
)
def test_asked_only_within_office_hours(local: datetime, asked: bool) -> None:
    assert rules.may_ask(local.replace(tzinfo=WIB).astimezone(UTC), WIB, **HOURS) is asked


def test_never_in_the_quiet_hours_even_when_the_office_is_open_late() -> None:
    late = {"weekdays": (1, 2, 3, 4, 5, 6, 7), "opens": time(0), "closes": time(23, 59)}
    assert not rules.may_ask(datetime(2026, 11, 23, 21, 30, tzinfo=WIB), WIB, **late)
    assert not rules.may_ask(datetime(2026, 11, 23, 6, 30, tzinfo=WIB), WIB, **late)
    assert rules.may_ask(datetime(2026, 11, 23, 20, 59, tzinfo=WIB), WIB, **late)


@pytest.mark.parametrize(
    ("answered", "otherwise", "status"),
    [
        (0, "skipped", "skipped"),
        (0, "expired", "expired"),
        (2, "expired", "answered"),
        (1, "opted_out", "answered"),
    ],
)
def test_closing_status(answered: int, otherwise: str, status: str) -> None:
    assert rules.closing_status(answered, otherwise) == status


@given(
    st.integers(1, 999),
    st.sampled_from([("rb", 1_000), ("ribu", 1_000), ("juta", 1_000_000), ("jt", 1_000_000)]),
)
def test_a_daily_turnover_is_thirty_days_of_it(amount: int, unit: tuple[str, int]) -> None:
    word, scale = unit
    monthly, period = read_turnover(f"{amount} {word} sehari")
    assert (monthly, period) == (amount * scale * 30, "day")
    assert read_turnover(f"{amount} {word} per minggu") == (amount * scale * 4, "week")
    assert read_turnover(f"{amount} {word}") == (amount * scale, None)


@given(st.integers(1_000, 10**12))
def test_a_shown_amount_reads_back_as_itself(amount: int) -> None:
    assert read_turnover(rupiah(amount)) == (amount, None)


@pytest.mark.parametrize("text", ["0", "belum ada", "Rp 0"])
def test_no_sales_is_zero(text: str) -> None:
    assert read_turnover(text) == (0, None)


def test_a_bare_small_number_is_asked_back() -> None:
    with pytest.raises(AskBack):
        read_turnover("5")


@given(st.integers(0, 100_000))
def test_head_counts_read_back(count: int) -> None:
    assert read_employees(str(count)) == count
    assert read_employees(f"{count} orang") == count


@given(st.text(max_size=20))
def test_any_text_is_a_count_or_a_friendly_refusal(text: str) -> None:
    try:
        assert read_employees(text) >= 0
    except ParseError as error:
        assert str(error)


@pytest.mark.parametrize(
    ("text", "skip"),
    [
        ("lewati", True),
        (" Skip ", True),
        ("-", True),
        ("tidak tahu", True),
        ("lewat saja dulu", False),
        ("15 juta", False),
    ],
)
def test_skip_words(text: str, skip: bool) -> None:
    assert rules.is_skip(text) is skip


@given(st.dates(date(2020, 1, 1), date(2030, 12, 31)), st.integers(0, 400))
def test_the_sql_pre_filter_never_drops_a_due_owner(today: date, days_before: int) -> None:
    """Owners whose first loan is after latest_first_loan(today) are left out in SQL: none of them is due."""
    first = today - timedelta(days=days_before)
    if first > rules.latest_first_loan(today):
        assert rules.latest_due(first, today) is None
