"""What an owner's free sentence asks for, and the amount and term in it: 'cicilan 10 juta 2 tahun berapa'.

Read at the menu, at the first message, and as whole-message words from any step. Keywords are matched per word,
tolerating one typo in words of six letters or more (rapidfuzz); the amount and term are read by core.parsing,
so a sentence gives the same Rupiah as the amount question would.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein

from core.parsing import ParseError, parse_months, parse_rupiah
from core.vocabulary import fold

REGISTER, ELIGIBILITY, SIMULATION, BOOKING = "register", "eligibility", "simulation", "booking"
LOANS, INFO, PRIVACY, HUMAN = "loans", "info", "privacy", "human"
AID = "aid"
# Keywords per intent, strongest first in ties (order of this dict). Phrases are matched as whole words.
KEYWORDS: dict[str, tuple[str, ...]] = {
    HUMAN: (
        "orang", "manusia", "petugas", "operator", "admin", "cs", "pegawai", "staf", "staff", "ngomong",
        "bicara", "berbicara", "ngobrol", "telepon", "telpon", "nelpon", "hubungi", "dihubungi", "kontak",
        "sekretariat", "pengaduan", "komplain", "mengadu", "tolong bantu", "minta tolong",
    ),
    BOOKING: (
        "konsultan", "konsultasi", "kkmb", "ketemu", "bertemu", "janji", "jadwal", "booking", "book", "pendamping",
        "didampingi", "pendampingan", "temu", "konsul",
    ),
    LOANS: (
        "pinjaman saya", "pinjamanku", "utang saya", "hutang saya", "cicilan saya", "angsuran saya",
        "pengingat", "ingatkan", "diingatkan", "jatuh tempo", "catat pinjaman", "tagihan", "pinjaman ku",
        "kredit saya", "sudah bayar", "udah bayar", "sdh bayar",
    ),
    PRIVACY: (
        "privasi", "hapus data", "hapus", "data saya", "data pribadi", "berhenti langganan", "pdp",
        "rahasia", "aman", "dihapus",
    ),
    AID: (
        "bantuan alat", "bantuan peralatan", "minta bantuan", "bantuan usaha", "mesin jahit", "sealer",
        "pelatihan", "daftar pelatihan", "ikut pelatihan", "hibah", "pirt", "sertifikat halal", "bantuan saya",
    ),
    REGISTER: (
        "daftar", "mendaftar", "daftarin", "daftarkan", "pendaftaran", "registrasi", "regis", "register", "mendaftarkan",
        "terdaftar", "didaftarkan",
    ),
    SIMULATION: (
        "cicilan", "angsuran", "simulasi", "hitung", "itung", "ngitung", "menghitung", "hitungan", "nyicil",
        "dicicil", "per bulan", "perbulan", "sebulan", "bunga", "bayar berapa", "berapa bayar",
    ),
    ELIGIBILITY: (
        "syarat", "persyaratan", "layak", "kelayakan", "memenuhi", "lolos", "cek", "bisa dapat", "bisa dapet",
        "dapat kur", "dapet kur", "bisa pinjam", "boleh pinjam", "bisa ngajuin", "mengajukan", "ajukan",
        "pengajuan", "ngajuin", "pinjam", "minjam", "pinjaman", "modal", "kur", "kredit", "dana",
    ),
    INFO: (
        "info", "informasi", "program", "apa itu", "penjelasan", "jelaskan", "gerbang serasan", "subsidi",
        "alamat", "kantor", "jenis kur", "macam", "brosur",
    ),
}  # fmt: skip
# Weaker words count for less: a sentence about "modal" or "kur" asks about eligibility only if nothing else does.
WEAK = {
    "pinjam",
    "minjam",
    "pinjaman",
    "modal",
    "kur",
    "kredit",
    "dana",
    "hapus",
    "aman",
    "temu",
    "bunga",
    "cek",
}

_AMOUNT = re.compile(
    r"(?:rp\.?\s?)?\d+(?:[.,]\d+)*\s?(?:jt|juta|jta|juta an|rb|ribu|rebu|k|m|miliar|milyar|em)\b"
    r"|rp\.?\s?\d+(?:[.,]\d+)*(?:,-)?"
    r"|\b(?:se|satu|dua|tiga|empat|lima|enam|tujuh|delapan|sembilan|sepuluh|seratus|(?:\w+ )?puluh|(?:\w+ )?ratus)"
    r"\s?(?:juta|ribu)\b"
    r"|\b\d{6,}\b",
    re.IGNORECASE,
)
_NOT_LOAN = {"omzet", "omset", "omsetnya", "omzetnya", "penghasilan", "pendapatan", "gaji", "untung", "laba"}
_MONTHS = re.compile(
    r"\b\d{1,3}\s?(?:bulan|bln|bl|tahun|thn|th|taun)\b|\b(?:se|satu|dua|tiga|empat|lima)\s?(?:tahun|taun)\b"
)


# Whole messages that open a flow from any step (when the step itself cannot use them).
WORDS = {
    "daftar": REGISTER, "daftar usaha": REGISTER, "registrasi": REGISTER,
    "cek kelayakan": ELIGIBILITY, "kelayakan": ELIGIBILITY, "syarat kur": ELIGIBILITY,
    "simulasi": SIMULATION, "simulasi angsuran": SIMULATION, "hitung cicilan": SIMULATION,
    "konsultan": BOOKING, "booking": BOOKING, "konsultasi": BOOKING, "booking konsultan": BOOKING,
    "pinjaman saya": LOANS, "pengingat": LOANS,
    "info": INFO, "info program": INFO,
    "bantuan usaha": AID, "pelatihan": AID,
    "privasi": PRIVACY, "privasi data": PRIVACY,
    "petugas": HUMAN, "admin": HUMAN, "cs": HUMAN, "bicara dengan petugas": HUMAN, "operator": HUMAN,
}  # fmt: skip


@dataclass(frozen=True)
class Intent:
    """What a sentence asks for, with the amount (whole Rupiah) and term (months) found in it."""

    name: str
    amount: int | None = None
    months: int | None = None


def _near(word: str, keyword: str) -> bool:
    """A word is a keyword (also with -nya: 'cicilannya') or, from six letters, one typo away from it."""
    if keyword in (word, word.removesuffix("nya")):
        return True
    return len(keyword) >= 6 and Levenshtein.distance(word, keyword) <= 1


def _hits(words: list[str], keyword: str) -> bool:
    """Whether a keyword (one word or a phrase) occurs among the words."""
    parts = keyword.split()
    size = len(parts)
    return any(
        all(_near(words[at + k], parts[k]) for k in range(size)) for at in range(len(words) - size + 1)
    )


def amount_in(text: str) -> int | None:
    """The loan amount written in a sentence: the first one not said of turnover or income ('omzet 9 juta')."""
    for found in _AMOUNT.finditer(text):
        before = fold(text[: found.start()]).split()[-2:]
        if _NOT_LOAN & set(before):
            continue
        try:
            return parse_rupiah(found.group(0))
        except ParseError:
            continue
    return None


def months_in(text: str) -> int | None:
    """The first loan term written in a sentence, in months, if any."""
    for found in _MONTHS.finditer(text.casefold()):
        try:
            return parse_months(found.group(0))
        except ParseError:
            continue
    return None


def word_intent(text: str) -> str | None:
    """The intent a whole message names by one of the words that work from any step ('simulasi', 'petugas')."""
    return WORDS.get(fold(text))


def read_intent(text: str) -> Intent | None:
    """The intent of a free sentence with its amount and term; None when it asks for nothing we know."""
    folded = fold(text)
    without_money = _MONTHS.sub(" ", _AMOUNT.sub(" ", text.casefold()))
    words = fold(without_money).split()
    scores: dict[str, float] = {}
    for name, keywords in KEYWORDS.items():
        for keyword in keywords:
            if _hits(words, keyword):
                scores[name] = scores.get(name, 0) + (0.5 if keyword in WEAK else 1 + keyword.count(" "))
    amount, months = amount_in(text), months_in(text)
    if not scores:
        if amount is None or not folded:
            return None
        return Intent(
            SIMULATION, amount, months
        )  # "10 juta 2 tahun": an amount alone asks for the instalment
    best = max(scores.values())
    name = next(name for name in KEYWORDS if scores.get(name) == best)
    return Intent(name, amount, months)
