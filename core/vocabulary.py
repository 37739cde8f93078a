"""One vocabulary for yes, no, later and done, as owners type them: informal, shortened and misspelt forms.

Every option list and every yes/no question reads answers through `meaning`; an option's own meaning is read from
its label the same way ("Ya, kirim permintaan" is a yes, "Lewati catatan" a later, "Sudah bayar" a done).
"""

from __future__ import annotations

import re
import unicodedata
from enum import StrEnum


class Meaning(StrEnum):
    """What a short answer means."""

    YES = "yes"
    NO = "no"
    LATER = "later"
    DONE = "done"


WORDS: dict[Meaning, frozenset[str]] = {
    Meaning.YES: frozenset(
        [
            "ya",
            "iya",
            "iyaa",
            "iyaaa",
            "iyah",
            "iye",
            "iyo",
            "y",
            "yy",
            "yes",
            "yess",
            "yap",
            "yup",
            "yoi",
            "ok",
            "okey",
            "oke",
            "okee",
            "okeh",
            "okay",
            "okk",
            "sip",
            "sipp",
            "siap",
            "boleh",
            "setuju",
            "benar",
            "betul",
            "bener",
            "mau",
            "tentu",
            "pasti",
            "jadi",
            "gas",
            "punya",
            "ada",
        ]
        + ["ok deh", "oke deh", "boleh deh", "ya benar", "iya benar", "sudah punya", "udah punya", "ada dong"]
    ),
    Meaning.NO: frozenset(
        [
            "tidak",
            "tdk",
            "tak",
            "gak",
            "ga",
            "gk",
            "g",
            "nggak",
            "ngga",
            "nggk",
            "enggak",
            "engga",
            "enggk",
            "ndak",
            "nda",
            "no",
            "n",
            "nope",
            "bukan",
            "bkn",
            "jangan",
            "salah",
            "belum",
            "blm",
            "belom",
            "blom",
            "blum",
            "gada",
            "gaada",
        ]
        + [
            "gak ada",
            "ga ada",
            "tidak ada",
            "tdk ada",
            "nggak ada",
            "ngga ada",
            "enggak ada",
            "belum ada",
            "blm ada",
            "belum punya",
            "blm punya",
            "tidak punya",
            "gak punya",
            "ga punya",
            "nggak punya",
            "gak jadi",
            "ga jadi",
            "tidak jadi",
            "nggak jadi",
            "gak mau",
            "ga mau",
            "tidak mau",
        ]  # fmt: skip
    ),
    Meaning.LATER: frozenset(
        [
            "nanti",
            "nnti",
            "nti",
            "ntar",
            "entar",
            "ntaran",
            "besok",
            "skip",
            "lewati",
            "lewat",
            "lompati",
            "belakangan",
        ]
        + [
            "nanti aja",
            "nanti saja",
            "ntar aja",
            "nanti dulu",
            "lain kali",
            "besok aja",
            "besok saja",
            "kapan kapan",
            "nanti ya",
            "lain waktu",
        ]  # fmt: skip
    ),
    Meaning.DONE: frozenset(
        ["sudah", "sdh", "udah", "udh", "uda", "dah", "sudh", "sudag", "telah", "lunas", "beres", "selesai"]
        + ["sudah bayar", "udah bayar", "sdh bayar", "sudah dibayar", "udah dibayar", "sudah lunas"]
    ),
}
_PHRASES = {word: meaning for meaning, words in WORDS.items() for word in words}
_BUT = {"tapi", "tp", "tpi", "kecuali", "atau"}


def fold(text: str) -> str:
    """Folds case, width, punctuation and spacing: ' Iya, kirim! ' -> 'iya kirim'."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


def meaning(text: str) -> Meaning | None:
    """What a short answer means: the whole phrase, or a leading word of up to three ('iya kirim', 'ga jadi')."""
    words = fold(text)
    for kind, phrases in WORDS.items():
        if words in phrases:
            return kind
    tokens = words.split()
    if not tokens or len(tokens) > 3 or _BUT & set(tokens):
        return None
    for size in (2, 1):  # the longest leading phrase: 'ga jadi' in 'ga jadi kirim', then 'iya' in 'iya kirim'
        lead = _PHRASES.get(" ".join(tokens[:size])) if len(tokens) > size else None
        if lead is not None:
            others = {_PHRASES.get(token) for token in tokens[size:]} - {None, lead}
            return None if others else lead
    return None


def yes_or_no(text: str) -> bool | None:
    """A yes/no question's answer: True for yes (or done), False for no, None when it is neither."""
    found = meaning(text)
    if found in (Meaning.YES, Meaning.DONE):
        return True
    return False if found is Meaning.NO else None
