"""Reads the identity numbers owners type: Indonesian mobile numbers (to E.164) and NIKs (checked, decoded)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from core.i18n import _
from core.parsing import ParseError

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
_PHONE_SEPARATORS = re.compile(r"[\s().\-]")
_PHONE_SHAPE = re.compile(r"\+?[0-9]+")
_NIK_SEPARATORS = re.compile(r"[\s.\-]")
_NIK_SHAPE = re.compile(r"[0-9]{16}")


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
