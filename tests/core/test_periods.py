"""Tests for core.periods: every accepted way to say when a business started, and each rejection's message."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from core.parsing import ParseError
from core.periods import months_before, months_between, parse_business_age, parse_month_year

TODAY = date(2026, 11, 21)

ACCEPTED = [
    ("03/2022", date(2022, 3, 1), "numeric"),
    ("3-22", date(2022, 3, 1), "numeric-two-digit-year"),
    ("03.2022", date(2022, 3, 1), "numeric-dot"),
    ("3 2022", date(2022, 3, 1), "numeric-space"),
    ("bulan 3 tahun 2022", date(2022, 3, 1), "bulan-tahun-words"),
    ("15/03/2022", date(2022, 3, 1), "full-date-keeps-month"),
    ("2022-03", date(2022, 3, 1), "iso"),
    ("Maret 2022", date(2022, 3, 1), "month-name"),
    ("Mar 22", date(2022, 3, 1), "abbreviation-two-digit-year"),
    ("mar'22", date(2022, 3, 1), "apostrophe-year"),
    ("maret, 2022", date(2022, 3, 1), "comma"),
    ("bulan maret tahun 2022", date(2022, 3, 1), "name-with-words"),
    ("15 Maret 2022", date(2022, 3, 1), "named-date-keeps-month"),
    ("Nopember 2019", date(2019, 11, 1), "old-spelling"),
    ("agt 2020", date(2020, 8, 1), "agt"),
    ("sejak Maret 2022", date(2022, 3, 1), "sejak"),
    ("  MARET   2022. ", date(2022, 3, 1), "case-spaces-period"),
    ("Des 98", date(1998, 12, 1), "two-digit-year-last-century"),
    ("11/2026", date(2026, 11, 1), "this-month-numeric"),
    ("bulan ini", date(2026, 11, 1), "bulan-ini"),
    ("baru mulai", date(2026, 11, 1), "baru-mulai"),
    ("bulan lalu", date(2026, 10, 1), "bulan-lalu"),
    ("2 tahun lalu", date(2024, 11, 1), "years-ago"),
    ("dua tahun yang lalu", date(2024, 11, 1), "words-yang-lalu"),
    ("setahun lalu", date(2025, 11, 1), "setahun"),
    ("1,5 tahun lalu", date(2025, 5, 1), "decimal-years"),
    ("sudah 6 bulan", date(2026, 5, 1), "sudah-months"),
    ("baru 3 bulan", date(2026, 8, 1), "baru-months"),
    ("6bln lalu", date(2026, 5, 1), "joined-unit"),
    ("2 thn", date(2024, 11, 1), "bare-span-means-ago"),
    ("2 tahun 3 bulan lalu", date(2024, 8, 1), "years-and-months"),
]


@pytest.mark.parametrize(
    ("text", "expected"), [row[:2] for row in ACCEPTED], ids=[row[2] for row in ACCEPTED]
)
def test_accepted(text: str, expected: date) -> None:
    assert parse_month_year(text, today=TODAY) == expected


REJECTED = [
    ("", "masih kosong", "empty"),
    ("2022", "Bulan apa di tahun 2022?", "year-only-asks-month"),
    ("tahun 2019", "Bulan apa di tahun 2019?", "tahun-year-asks-month"),
    ("tahun lalu", "Bulan apa di tahun 2025?", "last-year-asks-month"),
    ("maret", "Tahun berapa?", "month-only-asks-year"),
    ("12/2026", "belum tiba", "next-month"),
    ("Januari 2027", "belum tiba", "next-year-named"),
    ("2030", "belum tiba", "future-year-only"),
    ("13/2022", "1 sampai 12", "month-13"),
    ("00/2022", "1 sampai 12", "month-0"),
    ("03/1899", "Periksa lagi tahunnya", "before-1900"),
    ("abc", "belum bisa saya baca", "garbage"),
    ("3", "belum bisa saya baca", "bare-number"),
    ("lalu", "belum bisa saya baca", "lalu-alone"),
    ("500 tahun lalu", "belum bisa saya baca", "span-too-long"),
]


@pytest.mark.parametrize(
    ("text", "fragment"), [row[:2] for row in REJECTED], ids=[row[2] for row in REJECTED]
)
def test_rejected_with_a_helpful_message(text: str, fragment: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_month_year(text, today=TODAY)
    assert fragment in str(caught.value)
    assert "misalnya" in str(caught.value)


@pytest.mark.parametrize(
    ("months", "expected"),
    [(0, date(2026, 11, 1)), (10, date(2026, 1, 1)), (11, date(2025, 12, 1)), (23, date(2024, 12, 1))],
)
def test_months_before_crosses_year_ends(months: int, expected: date) -> None:
    assert months_before(TODAY, months) == expected


@pytest.mark.parametrize(
    ("text", "months"),
    [
        ("2 tahun", 24),
        ("8 bulan", 8),
        ("8", 8),
        ("Maret 2024", 32),
        ("03/2024", 32),
        ("nov 2026", 0),
        ("0", 0),
        ("baru mulai", 0),
    ],
)
def test_parse_business_age(text: str, months: int) -> None:
    assert parse_business_age(text, today=TODAY) == months


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("sudah lama", "belum bisa saya baca"),
        ("Desember 2026", "belum"),
    ],
)
def test_parse_business_age_rejects(text: str, fragment: str) -> None:
    with pytest.raises(ParseError, match=fragment):
        parse_business_age(text, today=TODAY)


@pytest.mark.parametrize(
    ("start", "end", "months"),
    [
        (date(2024, 11, 21), TODAY, 24),
        (date(2024, 11, 22), TODAY, 23),
        (date(2026, 12, 1), TODAY, 0),
        (date(2024, 2, 29), date(2025, 2, 28), 11),
    ],
)
def test_months_between(start: date, end: date, months: int) -> None:
    assert months_between(start, end) == months


@given(
    day=st.integers(min_value=0, max_value=32),
    month=st.integers(min_value=1, max_value=12),
    year=st.integers(min_value=2000, max_value=2026),
    style=st.sampled_from(["{d:02}/{m:02}/{y}", "{d}-{m}-{y}", "{d} {name} {y}", "{d:02}.{m:02}.{yy:02}"]),
)
@example(day=31, month=2, year=2021, style="{d:02}/{m:02}/{y}")
def test_a_full_date_keeps_its_month_only_when_the_day_exists(
    day: int, month: int, year: int, style: str
) -> None:
    """'31/02/2021' is refused with the calendar message; an existing day gives its month's first day."""
    names = [
        "Januari",
        "Februari",
        "Maret",
        "April",
        "Mei",
        "Juni",
        "Juli",
        "Agustus",
        "September",
        "Oktober",
        "November",
        "Desember",
    ]
    text = style.format(d=day, m=month, y=year, yy=year % 100, name=names[month - 1])
    try:
        exists = date(year, month, day) <= TODAY
    except ValueError:
        with pytest.raises(ParseError, match="Tanggal itu tidak ada di kalender"):
            parse_month_year(text, today=TODAY)
        return
    if exists:
        assert parse_month_year(text, today=TODAY) == date(year, month, 1)
