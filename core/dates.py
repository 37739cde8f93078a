"""Reads the dates owners type, day first: '25/12/2026', '25 Agt 26', '25 Des', 'besok', 'kemarin'."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta

from core.i18n import _
from core.parsing import ParseError, clean

FIRST_YEAR = 1900
LAST_YEAR = 2100
_MONTHS = {
    "januari": 1,
    "jan": 1,
    "februari": 2,
    "pebruari": 2,
    "feb": 2,
    "peb": 2,
    "maret": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "mei": 5,
    "may": 5,
    "juni": 6,
    "jun": 6,
    "juli": 7,
    "jul": 7,
    "agustus": 8,
    "agu": 8,
    "agt": 8,
    "ags": 8,
    "agust": 8,
    "aug": 8,
    "september": 9,
    "sep": 9,
    "sept": 9,
    "oktober": 10,
    "okt": 10,
    "oct": 10,
    "november": 11,
    "nopember": 11,
    "nov": 11,
    "nop": 11,
    "desember": 12,
    "des": 12,
    "dec": 12,
}
_RELATIVE_DAYS = {"kemarin": -1, "hari ini": 0, "besok": 1, "lusa": 2}
_DATE_PREFIX = r"(?:tanggal |tgl\.? ?)?"
_NUMERIC_DATE = re.compile(_DATE_PREFIX + r"([0-9]{1,2})([/.-])([0-9]{1,2})(?:\2([0-9]{4}|[0-9]{2}))?")
_NAMED_DATE = re.compile(_DATE_PREFIX + r"([0-9]{1,2})[ -]?([a-z]+)\.?(?:[ -]?([0-9]{4}|[0-9]{2}))?")


def parse_date(text: str, *, today: date, latest: date | None = None) -> date:
    """Reads a day-first date: '25/12/2026', '25 Agt 26', '25 Des' (the next one, or with `latest` the last one
    on or before it: an akad or a payment lies behind), 'besok', 'kemarin'."""
    cleaned = clean(text)
    if cleaned in _RELATIVE_DAYS:
        return today + timedelta(days=_RELATIVE_DAYS[cleaned])
    numeric = _NUMERIC_DATE.fullmatch(cleaned)
    named = None if numeric else _NAMED_DATE.fullmatch(cleaned)
    if numeric:
        day, month, year = int(numeric[1]), int(numeric[3]), numeric[4]
    elif named and named[2] in _MONTHS:
        day, month, year = int(named[1]), _MONTHS[named[2]], named[3]
    else:
        raise ParseError(
            _(
                "Sorry, I can't read that date. Type day, month and year, "
                "for example 25/12/2026 or 25 Des 2026."
            )
        )
    if year is None:
        return _next_date(day, month, today) if latest is None else _last_date(day, month, latest)
    return calendar_date(day, month, _full_year(year, today))


def _full_year(digits: str, today: date) -> int:
    """Reads a year; two digits mean the year with those digits nearest to today (within 50 years)."""
    year = int(digits)
    if len(digits) == 2:
        year += today.year - today.year % 100
        if year > today.year + 50:
            year -= 100
        elif year <= today.year - 50:
            year += 100
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ParseError(
            _("Please check the year, it must be between {first} and {last}, for example 25/12/2026.").format(
                first=FIRST_YEAR, last=LAST_YEAR
            )
        )
    return year


def calendar_date(day: int, month: int, year: int) -> date:
    """Builds the date or says it does not exist (31/02)."""
    try:
        return date(year, month, day)
    except ValueError:
        raise _no_such_date() from None


def _no_such_date() -> ParseError:
    """Says the day and month do not exist together."""
    return ParseError(_("That date doesn't exist. Check the day and month, for example 28/02/2026."))


def _next_date(day: int, month: int, today: date) -> date:
    """Finds the next such day and month on or after today (29/02 may be years away)."""
    return _first_date(day, month, range(today.year, today.year + 9), lambda day_: day_ >= today)


def _last_date(day: int, month: int, latest: date) -> date:
    """Finds the last such day and month on or before `latest`."""
    return _first_date(day, month, range(latest.year, latest.year - 9, -1), lambda day_: day_ <= latest)


def _first_date(day: int, month: int, years: range, fits: Callable[[date], bool]) -> date:
    """The first existing date with this day and month in `years` (in their order) that fits."""
    for year in years:
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if fits(candidate):
            return candidate
    raise _no_such_date()
