"""Readers of the business figures owners type, shared by registration and the follow-up survey."""

from __future__ import annotations

import re

from core.askback import check_bare_amount
from core.formatting import rupiah
from core.i18n import _
from core.kabupaten import fold
from core.parsing import ParseError, parse_rupiah
from core.turnover import monthly_turnover

MAX_EMPLOYEES = 100_000
_ZERO_WORDS = {"0", "nol", "kosong", "belum", "belum ada", "tidak ada", "tdk ada", "gak ada"}
_ALONE_WORDS = {"sendiri", "sendirian", "saya sendiri", "hanya saya", "tidak punya", "belum punya"}
_NUMBER_WORDS = ("satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan", "sepuluh")


def is_zero(text: str) -> bool:
    """Whether an amount is nothing: '0', 'Rp 0', 'belum ada'."""
    words = fold(text)
    return words in _ZERO_WORDS or re.fullmatch(r"(?:rp ?)?0+(?: (?:rupiah|rp))?", words) is not None


def read_amount_or_zero(text: str) -> int:
    """Reads a Rupiah amount, where '0', 'Rp 0' or 'belum ada' mean zero."""
    return 0 if is_zero(text) else parse_rupiah(text)


def read_turnover(text: str) -> tuple[int, str | None]:
    """A monthly turnover and how it was said ('day', 'week', None): '500rb sehari' -> 15,000,000; '0' -> 0.

    A bare small number ('5') is asked back (core.askback) rather than read as Rp5."""
    if is_zero(text):
        return 0, None
    check_bare_amount(text)
    return monthly_turnover(text)


def read_employees(text: str) -> int:
    """Reads a head count: '3', '3 orang', 'tiga', 'tidak ada' or 'sendiri' (0); refuses negatives."""
    example = _("Type a whole number, for example 3, or 0 if there are none.")
    if re.match(r"\s*(?:[-\u2212\u2013]|minus\b)", text.casefold()):
        raise ParseError(_("The number of employees can't be negative. {example}").format(example=example))
    words = re.sub(r" ?\b(?:orang|org|karyawan|pegawai|pekerja)$", "", fold(text))
    if words in _ZERO_WORDS or words in _ALONE_WORDS:
        return 0
    if words in _NUMBER_WORDS:
        return _NUMBER_WORDS.index(words) + 1
    if not words.isdigit():
        raise ParseError(_("Sorry, I can't read that number of employees. {example}").format(example=example))
    if int(words) > MAX_EMPLOYEES:
        raise ParseError(_("That is a lot of employees, probably a typo. {example}").format(example=example))
    return int(words)


def turnover_note(amount: int, period: str | None) -> str | None:
    """Shows back a turnover said per day or week as the monthly amount it became (None for a monthly one)."""
    if period is None:
        return None
    said = {"day": _("a day"), "week": _("a week")}[period]
    return _("Noted: about {amount} a month (from your turnover {per}).").format(
        amount=rupiah(amount), per=said
    )
