"""Reads the month a business started, typed in chat: '03/2022', 'Maret 2022', 'Mar 22', '2 tahun lalu'.

Every rejection is a `ParseError` with a short Bahasa Indonesia sentence saying what to type. A year alone is
refused with a question for the month (the first month of the year would be a guess). Nothing here reads the
clock: callers pass `today`.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from core.dates import FIRST_YEAR, calendar_date
from core.i18n import _
from core.parsing import ParseError, parse_months

_MONTH_NAMES = (
    ("januari", "jan"),
    ("februari", "pebruari", "feb", "peb"),
    ("maret", "mar"),
    ("april", "apr"),
    ("mei", "may"),
    ("juni", "jun"),
    ("juli", "jul"),
    ("agustus", "agu", "agt", "ags", "agust", "aug"),
    ("september", "sep", "sept"),
    ("oktober", "okt", "oct"),
    ("november", "nopember", "nov", "nop"),
    ("desember", "des", "dec"),
)
MONTHS = {name: number for number, names in enumerate(_MONTH_NAMES, start=1) for name in names}

_LEAD = re.compile(r"^(?:(?:sejak|mulai|dari|sekitar|kira[ -]kira|kurang lebih|sudah|udah|sdh|baru) )+")
_YEAR = r"(?P<year>\d{4}|\d{2})"
_NUMERIC = re.compile(r"(?:bulan |bln |(?P<day>\d{1,2})[/.-])?(?P<month>\d{1,2}) ?[/.-] ?" + _YEAR)
_SPACED = re.compile(r"(?:bulan |bln )?(?P<month>\d{1,2}) (?:tahun |thn )?(?P<year>\d{4})")
_ISO = re.compile(r"(?P<year>\d{4}) ?[/.-] ?(?P<month>\d{1,2})")
_NAMED = re.compile(r"(?:bulan |bln |(?P<day>\d{1,2}) )?(?P<name>[a-z]+)\.?[ ,/-]*(?:tahun |thn )?'?" + _YEAR)
_YEAR_ONLY = re.compile(r"(?:tahun |thn |th )?(\d{4})")
_AGO = re.compile(r"(.+?) ?(?:yang lalu|yg lalu|lalu|yang lewat|kemarin)")
_UNITS = re.compile(r"tahun|thn|bulan|bln|\bth\b|\bbl\b|\d(?:th|bl)\b")

_THIS_MONTH = {"bulan ini", "baru mulai", "baru buka", "baru", "bulan sekarang"}
_LAST_MONTH = {"bulan lalu", "bulan kemarin", "sebulan lalu", "sebulan yang lalu"}
_YEAR_WORDS = {"tahun ini": 0, "tahun lalu": -1, "tahun kemarin": -1}


def _clean(text: str) -> str:
    """Folds width and case, collapses whitespace and drops trailing full stops."""
    return " ".join(unicodedata.normalize("NFKC", text).lower().split()).rstrip(". ")


def _example() -> str:
    """The examples every message ends with."""
    return _("for example 03/2022, Maret 2022 or 2 tahun lalu")


class UnreadablePeriod(ParseError):
    """The text is neither a month and year nor a span of time."""


def _unreadable() -> ParseError:
    """Says the text is not a month and year."""
    return UnreadablePeriod(
        _("Sorry, I can't read that month. Type the month and year, {example}.").format(example=_example())
    )


def _which_month(year: int) -> ParseError:
    """Asks for the month when only the year was given."""
    return ParseError(
        _("Which month of {year}? Type the month too, for example Maret {year} or 03/{year}.").format(
            year=year
        )
    )


def _full_year(digits: str, today: date) -> int:
    """Reads a year; two digits mean the latest such year not after today ('22' -> 2022, '98' -> 1998)."""
    year = int(digits)
    if len(digits) == 2:
        year += today.year - today.year % 100
        if year > today.year:
            year -= 100
    if year < FIRST_YEAR:
        raise ParseError(_("Please check the year, {example}.").format(example=_example()))
    return year


def _month_start(year: int, month: int, today: date, day: str | None = None) -> date:
    """Builds the first day of the month, refusing month numbers outside 1-12, a day the month lacks (31/02)
    and months after this one."""
    if not 1 <= month <= 12:
        raise ParseError(_("The month must be 1 to 12, {example}.").format(example=_example()))
    if day is not None:
        calendar_date(int(day), month, year)
    start = date(year, month, 1)
    if start > today.replace(day=1):
        raise ParseError(
            _("That month has not come yet. Type the month the business started, {example}.").format(
                example=_example()
            )
        )
    return start


def months_before(today: date, months: int) -> date:
    """The first day of the month `months` months before today's month."""
    index = today.year * 12 + today.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


def parse_month_year(text: str, *, today: date) -> date:
    """Reads a past month (as its first day): '03/2022', 'Maret 2022', '2022-03', '2 tahun lalu', 'bulan ini'."""
    cleaned = _clean(text)
    if not cleaned:
        raise ParseError(_("Please type the month and year, {example}.").format(example=_example()))
    if cleaned not in _THIS_MONTH:
        cleaned = _LEAD.sub("", cleaned)
    if cleaned in _THIS_MONTH:
        return months_before(today, 0)
    if cleaned in _LAST_MONTH:
        return months_before(today, 1)
    if cleaned in _YEAR_WORDS:
        raise _which_month(today.year + _YEAR_WORDS[cleaned])
    if match := _NUMERIC.fullmatch(cleaned) or _SPACED.fullmatch(cleaned) or _ISO.fullmatch(cleaned):
        day = match.groupdict().get("day")
        return _month_start(_full_year(match["year"], today), int(match["month"]), today, day)
    if (match := _NAMED.fullmatch(cleaned)) and match["name"] in MONTHS:
        return _month_start(_full_year(match["year"], today), MONTHS[match["name"]], today, match["day"])
    if match := _YEAR_ONLY.fullmatch(cleaned):
        year = _full_year(match[1], today)
        _month_start(year, 1, today)  # a year after this one is refused as the future
        raise _which_month(year)
    if cleaned.removeprefix("bulan ").removeprefix("bln ") in MONTHS:
        raise ParseError(
            _("Which year? Type the year too, for example {month} 2022.").format(month=cleaned.title())
        )
    return _ago(cleaned, today)


def _ago(cleaned: str, today: date) -> date:
    """Reads a time span back from today: '2 tahun lalu', 'sudah 6 bulan', '1,5 tahun' (a span means 'ago')."""
    match = _AGO.fullmatch(cleaned)
    span = match[1] if match else cleaned
    if not _UNITS.search(span):
        raise _unreadable()
    try:
        months = parse_months(span)
    except ParseError:
        raise _unreadable() from None
    start = months_before(today, months)
    if start.year < FIRST_YEAR:
        raise _unreadable()
    return start


JUST_STARTED = frozenset({"0", "baru", "baru mulai", "belum", "belum 1 bulan"})


def months_between(start: date, end: date) -> int:
    """Full months from `start` to `end` (0 when `end` is earlier)."""
    months = (end.year - start.year) * 12 + end.month - start.month - (end.day < start.day)
    return max(months, 0)


def parse_business_age(text: str, *, today: date) -> int:
    """How long a business has run, in full months: '2 tahun', '8 bulan', '8', 'Maret 2024', '03/2024', 'baru'."""
    cleaned = " ".join(text.lower().split())
    if cleaned in JUST_STARTED:
        return 0
    if cleaned.isdigit():
        return parse_months(cleaned)
    try:
        return months_between(parse_month_year(cleaned, today=today), today)
    except UnreadablePeriod:
        raise ParseError(
            _(
                "Sorry, I can't read that. Type how long the business has run, for example 2 tahun or "
                "8 bulan, or the month it started, for example Maret 2024."
            )
        ) from None
