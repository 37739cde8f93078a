"""Reads what people type in chat: Rupiah amounts and loan periods (dates: core/dates.py; NIK, phone: core/identity.py).

Every rejection is a `ParseError` whose text is a short Bahasa Indonesia sentence saying what to
type instead. Nothing here reads the clock: callers pass `today`.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Context, Decimal, localcontext

from core.formatting import rupiah
from core.i18n import _

MAX_RUPIAH = 10**12
MAX_MONTHS = 360


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


class ParseError(ValueError):
    """A chat answer that could not be read; str() is the friendly Indonesian sentence to send back."""


class _Unreadable(Exception):
    """Raised by the shared number readers; each public parser turns it into its own message."""


def clean(text: str) -> str:
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
    cleaned = clean(text)
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
    cleaned = clean(text)
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
