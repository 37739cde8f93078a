"""Reads what people type in chat: Rupiah amounts, loan periods, dates, mobile numbers and NIKs.

Every rejection is a `ParseError` whose text is a short Bahasa Indonesia sentence saying what to
type instead. Nothing here reads the clock: callers pass `today`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Context, Decimal, localcontext

from core.formatting import rupiah
from core.i18n import _

MAX_RUPIAH = 10**12
MAX_MONTHS = 360
FIRST_YEAR = 1900
LAST_YEAR = 2100

PROVINCES: dict[str, str] = {
    "11": "Aceh",
    "12": "Sumatera Utara",
    "13": "Sumatera Barat",
    "14": "Riau",
    "15": "Jambi",
    "16": "Sumatera Selatan",
    "17": "Bengkulu",
    "18": "Lampung",
    "19": "Kepulauan Bangka Belitung",
    "21": "Kepulauan Riau",
    "31": "DKI Jakarta",
    "32": "Jawa Barat",
    "33": "Jawa Tengah",
    "34": "DI Yogyakarta",
    "35": "Jawa Timur",
    "36": "Banten",
    "51": "Bali",
    "52": "Nusa Tenggara Barat",
    "53": "Nusa Tenggara Timur",
    "61": "Kalimantan Barat",
    "62": "Kalimantan Tengah",
    "63": "Kalimantan Selatan",
    "64": "Kalimantan Timur",
    "65": "Kalimantan Utara",
    "71": "Sulawesi Utara",
    "72": "Sulawesi Tengah",
    "73": "Sulawesi Selatan",
    "74": "Sulawesi Tenggara",
    "75": "Gorontalo",
    "76": "Sulawesi Barat",
    "81": "Maluku",
    "82": "Maluku Utara",
    "91": "Papua",
    "92": "Papua Barat",
    "93": "Papua Selatan",
    "94": "Papua Tengah",
    "95": "Papua Pegunungan",
    "96": "Papua Barat Daya",
}

# Longer text than this is not an amount or a period; the cap also keeps Decimal arithmetic exact.
_MAX_TEXT = 200
_EXACT = Context(prec=2 * _MAX_TEXT + 20)

_SCALES = {
    "ribu": 10**3,
    "rebu": 10**3,
    "rb": 10**3,
    "k": 10**3,
    "juta": 10**6,
    "jt": 10**6,
    "miliar": 10**9,
    "milyar": 10**9,
    "m": 10**9,
    "b": 10**9,
    "triliun": 10**12,
    "trilyun": 10**12,
    "t": 10**12,
}
_PERIOD_UNITS = {"tahun": 12, "thn": 12, "th": 12, "bulan": 1, "bln": 1, "bl": 1}
_DIGIT_WORDS = {
    word: Decimal(value)
    for value, word in enumerate(
        ("satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan"), start=1
    )
}
# The place a word fills inside a number below a thousand: ratus = hundreds, puluh = tens, belas = teens.
_PLACES = {"ratus": 3, "puluh": 2, "belas": 1}
_HALF = Decimal("0.5")

_NEGATIVE = re.compile(r"(?:rp\.? ?|idr ?)?(?:[-\u2212\u2013]|minus\b)")
_CURRENCY_PREFIX = re.compile(r"^(?:rp\.?|idr) ?")
_CURRENCY_SUFFIX = re.compile(r"(?:,-|\.-| ?(?:rupiah|idr|rp))$")
_SE_PREFIX = re.compile(
    r"\bse-?(?=(?:belas|puluh|ratus|ribu|rebu|juta|miliar|milyar|triliun|trilyun|tahun|bulan)\b)"
)
_TOKEN = re.compile(r"[0-9](?:[0-9.,]*[0-9])?|[a-z]+")

_THOUSANDS_DOT = re.compile(r"[0-9]{1,3}(?:\.[0-9]{3})+")
_THOUSANDS_COMMA = re.compile(r"[0-9]{1,3}(?:,[0-9]{3}){2,}")
_UNCLEAR_COMMA = re.compile(r"[0-9]{1,3},[0-9]{3}")
_DECIMAL_COMMA = re.compile(r"(?:[0-9]+|[0-9]{1,3}(?:\.[0-9]{3})+),[0-9]+")
_DECIMAL_DOT = re.compile(r"[0-9]+\.[0-9]{1,2}")

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

_PHONE_SEPARATORS = re.compile(r"[\s().\-]")
_PHONE_SHAPE = re.compile(r"\+?[0-9]+")
_NIK_SEPARATORS = re.compile(r"[\s.\-]")
_NIK_SHAPE = re.compile(r"[0-9]{16}")


class ParseError(ValueError):
    """A chat answer that could not be read; str() is the friendly Indonesian sentence to send back."""


class _Unreadable(Exception):
    """Raised by the shared number readers; each public parser turns it into its own message."""


@dataclass(frozen=True)
class Nik:
    """A structurally valid NIK and what its digits say; repr leaves the full number out of logs."""

    nik: str = field(repr=False)
    province_code: str
    regency_code: str
    district_code: str
    birth_date: date
    sex: str

    def masked(self) -> str:
        """Shows only the first 4 and last 2 digits: '1603**********01'."""
        return f"{self.nik[:4]}{'*' * 10}{self.nik[-2:]}"

    def age_on(self, day: date) -> int:
        """Counts the full years lived on `day`."""
        born = self.birth_date
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _clean(text: str) -> str:
    """Folds width and case, collapses whitespace and drops trailing full stops."""
    return " ".join(unicodedata.normalize("NFKC", text).lower().split()).rstrip(". ")


def _tokens(text: str) -> list[str]:
    """Splits text into number literals and words; anything else (emoji, stray signs) is unreadable."""
    if len(text) > _MAX_TEXT:
        raise _Unreadable
    tokens = _TOKEN.findall(text)
    if not tokens or _TOKEN.sub(" ", text).strip():
        raise _Unreadable
    return tokens


def _split(tokens: list[str], units: dict[str, int]) -> tuple[list[tuple[list[str], int]], list[str]]:
    """Cuts tokens at unit words into (number, unit) pairs, biggest unit first, plus the unitless rest."""
    pairs: list[tuple[list[str], int]] = []
    group: list[str] = []
    for token in tokens:
        unit = units.get(token)
        if unit is None:
            group.append(token)
            continue
        if not group or (pairs and unit >= pairs[-1][1]):
            raise _Unreadable
        pairs.append((group, unit))
        group = []
    return pairs, group


def _sum_pairs(pairs: list[tuple[list[str], int]]) -> Decimal:
    """Adds 'number unit' pairs, each below the unit before it: '2 juta 500 ribu', not '1 juta 1500 ribu'."""
    total = Decimal(0)
    for index, (group, unit) in enumerate(pairs):
        part = _group_value(group, scaled=True) * unit
        if index and part >= pairs[index - 1][1]:
            raise _Unreadable
        total += part
    return total


def _group_value(group: list[str], *, scaled: bool) -> Decimal:
    """Reads one number below a unit word: '250', '2,5', 'dua ratus lima puluh', 'satu setengah'."""
    value = Decimal(0)
    pending: Decimal | None = None
    free = 4  # places still free, see _PLACES; 4 means none used yet
    for position, token in enumerate(group):
        if token == "setengah":
            if value or position != len(group) - 1 or (pending is not None and pending % 1):
                raise _Unreadable
            pending = (pending or 0) + _HALF
        elif token in _PLACES:
            place = _PLACES[token]
            if pending is None or not 1 <= pending <= 9 or pending % 1 or place >= free:
                raise _Unreadable
            value += 10 + pending if place == 1 else pending * 10 ** (place - 1)
            free, pending = place, None
        elif pending is None:
            pending = _word_or_number(token, scaled=scaled)
        else:
            raise _Unreadable
    if pending is not None:
        if free < 4 and pending >= 10 ** (free - 1):
            raise _Unreadable
        value += pending
    return value


def _word_or_number(token: str, *, scaled: bool) -> Decimal:
    """Reads 'lima' or a digit literal."""
    if token in _DIGIT_WORDS:
        return _DIGIT_WORDS[token]
    if token[0].isdigit():
        return _number(token, scaled=scaled)
    raise _Unreadable


def _number(literal: str, *, scaled: bool) -> Decimal:
    """Reads digits with Indonesian separators; a dot with 1-2 digits after it is a decimal point."""
    if literal.isdigit():
        return Decimal(literal)
    if _THOUSANDS_DOT.fullmatch(literal):
        return Decimal(literal.replace(".", ""))
    if _THOUSANDS_COMMA.fullmatch(literal):
        return Decimal(literal.replace(",", ""))
    if not scaled and _UNCLEAR_COMMA.fullmatch(literal):
        raise ParseError(
            _(
                "Sorry, {number} is unclear. For thousands use a dot or nothing, for example 5.000 or 5000."
            ).format(number=literal)
        )
    if _DECIMAL_COMMA.fullmatch(literal):
        return Decimal(literal.replace(".", "").replace(",", "."))
    if _DECIMAL_DOT.fullmatch(literal):
        return Decimal(literal)
    raise _Unreadable


def parse_rupiah(text: str) -> int:
    """Reads a whole Rupiah amount typed in chat: 'Rp 5.000.000,-', '5,5 jt', 'dua ratus ribu'."""
    cleaned = _clean(text)
    if not cleaned:
        raise ParseError(_("Please type the amount, for example 5000000 or 5 juta."))
    with localcontext(_EXACT):
        return _whole_rupiah(_read_amount(cleaned))


def _read_amount(cleaned: str) -> Decimal:
    """Reads digits, decimals, scale words and number words; refuses minus signs and anything unreadable."""
    if _NEGATIVE.match(cleaned):
        raise ParseError(_("The amount can't be negative. Type it without a minus, for example 5000000."))
    body = _CURRENCY_SUFFIX.sub("", _CURRENCY_PREFIX.sub("", cleaned))
    try:
        pairs, tail = _split(_tokens(_SE_PREFIX.sub("satu ", body)), _SCALES)
        return _sum_pairs(pairs) + _tail_amount(tail, pairs)
    except _Unreadable:
        raise ParseError(
            _("Sorry, I can't read that amount. Type just the number, for example 5000000 or 5 juta.")
        ) from None


def _tail_amount(tail: list[str], pairs: list[tuple[list[str], int]]) -> Decimal:
    """Reads what follows the last scale word, refusing slang-ambiguous tails like '1 juta 5' or '1 rb 5'."""
    if not tail:
        return Decimal(0)
    if not pairs:
        return _group_value(tail, scaled=False)
    last = pairs[-1][1]
    if tail == ["setengah"]:
        return Decimal(last) / 2
    value = _group_value(tail, scaled=False)
    if last == 1000 and 100 <= value < 1000:
        return value
    raise ParseError(_("Sorry, that amount is unclear. Write it in full, for example 2,5 juta or 2500000."))


def _whole_rupiah(amount: Decimal) -> int:
    """Accepts a positive whole amount up to MAX_RUPIAH."""
    if amount == 0:
        raise ParseError(_("The amount must be more than zero, for example 5000000."))
    if amount > MAX_RUPIAH:
        raise ParseError(
            _("That is more than {maximum}, probably a typo. Check the zeros, for example 5000000.").format(
                maximum=rupiah(MAX_RUPIAH)
            )
        )
    if amount % 1:
        raise ParseError(_("Use whole Rupiah without cents, for example 1500 or 1,5 juta."))
    return int(amount)


def parse_months(text: str) -> int:
    """Reads a loan period as whole months: '12 bln', '1,5 tahun' (18), 'setahun', '2 tahun 6 bulan'."""
    cleaned = _clean(text)
    if _NEGATIVE.match(cleaned):
        raise ParseError(_("The period must be at least 1 month, for example 12 bulan."))
    with localcontext(_EXACT):
        try:
            pairs, tail = _split(_tokens(_SE_PREFIX.sub("satu ", cleaned)), _PERIOD_UNITS)
            months = _sum_pairs(pairs) + _period_tail(tail, pairs)
        except _Unreadable:
            raise ParseError(
                _("Sorry, I can't read that period. Type months or years, for example 12 bulan or 2 tahun.")
            ) from None
        return _whole_months(months)


def _period_tail(tail: list[str], pairs: list[tuple[list[str], int]]) -> Decimal:
    """Reads what follows the last unit: a bare number of months, or 'setengah' as in 'setahun setengah'."""
    if not pairs:
        return _group_value(tail, scaled=True)
    if not tail:
        return Decimal(0)
    if tail == ["setengah"]:
        return Decimal(pairs[-1][1]) / 2
    raise _Unreadable


def _whole_months(months: Decimal) -> int:
    """Accepts a whole number of months from 1 to MAX_MONTHS."""
    if months == 0:
        raise ParseError(_("The period must be at least 1 month, for example 12 bulan."))
    if months > MAX_MONTHS:
        raise ParseError(
            _("The period can be at most {maximum} months, for example 60 bulan.").format(maximum=MAX_MONTHS)
        )
    if months % 1:
        raise ParseError(_("Use whole months, for example 18 bulan or 1,5 tahun."))
    return int(months)


def parse_date(text: str, *, today: date, latest: date | None = None) -> date:
    """Reads a day-first date: '25/12/2026', '25 Agt 26', '25 Des' (the next one, or with `latest` the last one
    on or before it: an akad or a payment lies behind), 'besok', 'kemarin'."""
    cleaned = _clean(text)
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


def parse_phone(text: str) -> str:
    """Turns an Indonesian mobile number into E.164: '0812-3456-7890' -> '+6281234567890'."""
    compact = _PHONE_SEPARATORS.sub("", unicodedata.normalize("NFKC", text))
    if not _PHONE_SHAPE.fullmatch(compact):
        raise ParseError(
            _("Sorry, I can't read that number. Type a mobile number, for example 0812-3456-7890.")
        )
    if compact.startswith("00"):
        compact = "+" + compact[2:]
    if compact.startswith(("+62", "62")):
        national = compact.removeprefix("+")[2:].removeprefix("0")
    elif compact.startswith("+"):
        raise ParseError(_("Only Indonesian numbers (+62) can be used, for example 0812-3456-7890."))
    elif compact.startswith(("0", "8")):
        national = compact.removeprefix("0")
    else:
        raise ParseError(
            _("Sorry, I can't read that number. Type a mobile number, for example 0812-3456-7890.")
        )
    if not national.startswith("8"):
        raise ParseError(
            _("That looks like a landline. Type a mobile (WhatsApp) number, for example 0812-3456-7890.")
        )
    if not 9 <= len(national) <= 12:
        raise ParseError(
            _("That number has too few or too many digits. Check it, for example 0812-3456-7890.")
        )
    return f"+62{national}"


def parse_nik(text: str, *, today: date | None = None) -> Nik:
    """Checks a 16-digit NIK (PP KK CC DDMMYY SSSS) and reads region, birth date and sex from it.

    Flows always pass `today`; without it a two-digit year up to 30 means 20yy, otherwise 19yy.
    """
    nik = _NIK_SEPARATORS.sub("", unicodedata.normalize("NFKC", text))
    if not _NIK_SHAPE.fullmatch(nik):
        raise ParseError(_("A NIK has exactly 16 digits. Type it as printed on your KTP."))
    if nik[:2] not in PROVINCES:
        raise ParseError(
            _("The first two digits ({code}) are not a province code. Check the NIK on your KTP.").format(
                code=nik[:2]
            )
        )
    if nik[2:4] == "00":
        raise ParseError(_("Digits 3-4 (regency or city code) can't be 00. Check the NIK on your KTP."))
    if nik[4:6] == "00":
        raise ParseError(_("Digits 5-6 (district code) can't be 00. Check the NIK on your KTP."))
    if nik[12:] == "0000":
        raise ParseError(_("The last four digits can't be 0000. Check the NIK on your KTP."))
    birth_date, sex = _nik_birth(nik[6:12], today)
    return Nik(nik, nik[:2], nik[:4], nik[:6], birth_date, sex)


def _nik_birth(digits: str, today: date | None) -> tuple[date, str]:
    """Reads DDMMYY, where women's days are raised by 40; the date must exist and not lie after today."""
    day, month, year = int(digits[:2]), int(digits[2:4]), int(digits[4:])
    sex = "P" if day > 40 else "L"
    day -= 40 if sex == "P" else 0
    if today is not None:
        year = today.year - (today.year - year) % 100
    else:
        year += 2000 if year <= 30 else 1900
    try:
        born = date(year, month, day)
    except ValueError:
        raise ParseError(_("Digits 7-12 are not a valid birth date. Check the NIK on your KTP.")) from None
    if today is not None and born > today:
        raise ParseError(
            _("The birth date in this NIK is after today, probably a typo. Check the NIK on your KTP.")
        )
    return born, sex
