"""Readers of registration answers: names, the kecamatan, the NIB (business figures: core/business_answers.py)."""

from __future__ import annotations

import difflib
import re
import unicodedata

from bot.business_fields import (
    OUTSIDE_KECAMATAN,
    outside_label,
)
from core.i18n import _
from core.kabupaten import Profile, fold, kecamatan_for
from core.parsing import ParseError

_OUTSIDE_WORDS = {"lainnya", "luar", "di luar", "luar daerah", "luar kabupaten"}


def capitalised(name: str) -> str:
    """A name typed all in small or all in capital letters, capitalised: 'siti aminah' -> 'Siti Aminah'."""
    return name.title() if name in (name.lower(), name.upper()) else name


def read_name(text: str, *, example: str, longest: int = 120, letters: bool = False) -> str:
    """Reads a typed name: not empty, not too long, with letters if asked; spacing tidied."""
    value = " ".join(text.split())
    if not re.search(r"\w", value):
        raise ParseError(_("The answer is still empty. {example}").format(example=example))
    if letters and not re.search(r"[^\W\d_]", value):
        raise ParseError(_("A name needs letters. {example}").format(example=example))
    if len(value) > longest:
        message = _("That is too long (at most {count} characters). {example}")
        raise ParseError(message.format(count=longest, example=example))
    return value


def match_kecamatan(text: str, profile: Profile) -> str:
    """Finds the kecamatan meant by its number, its name, a town in it or a unique start, forgiving case and spacing."""
    names, outside = profile.kecamatan, len(profile.kecamatan) + 1
    key = re.sub(r"^(?:kecamatan|kec) ", "", fold(text))
    if key.isdigit():
        if 1 <= int(key) <= len(names):
            return names[int(key) - 1]
        if int(key) == outside:
            return OUTSIDE_KECAMATAN
        raise ParseError(
            _("Please reply with a number from 1 to {last}, for example 1.").format(last=outside)
        )
    if key in _OUTSIDE_WORDS or key == fold(outside_label(profile)):
        return OUTSIDE_KECAMATAN
    if found := kecamatan_for(text, profile):
        return found
    folded = [fold(name) for name in names]
    squeezed = [name.replace(" ", "") for name in folded]
    if key.replace(" ", "") in squeezed:
        return names[squeezed.index(key.replace(" ", ""))]
    hits = [i for i, name in enumerate(squeezed) if len(key) >= 3 and name.startswith(key.replace(" ", ""))]
    if len(hits) == 1:
        return names[hits[0]]
    if hits:
        listing = ", ".join(f"{i + 1}. {names[i]}" for i in hits)
        raise ParseError(
            _("Several kecamatan match: {listing}. Reply with the number.").format(listing=listing)
        )
    close = difflib.get_close_matches(key, folded, n=1, cutoff=0.8)
    if close:
        number = folded.index(close[0]) + 1
        message = _("That kecamatan is not on the list. Did you mean {name}? Reply {number}.")
        raise ParseError(message.format(name=names[number - 1], number=number))
    message = _(
        "That kecamatan is not in {region}. Reply with a number from the list, "
        "or {number} if the business is elsewhere."
    )
    raise ParseError(message.format(region=profile.name, number=outside))


def read_nib(text: str) -> str:
    """Reads a 13-digit NIB, ignoring spaces, dots and dashes."""
    digits = re.sub(r"[\s.\-]", "", unicodedata.normalize("NFKC", text))
    if not re.fullmatch(r"[0-9]{13}", digits):
        raise ParseError(
            _("An NIB has exactly 13 digits. Type it as on your NIB from OSS, for example 1234567890123.")
        )
    return digits


def read_desa_and_kecamatan(text: str, profile: Profile) -> tuple[str, str] | None:
    """Reads 'Pasar II, Muara Enim' (either order) as desa and kecamatan; None when it is not such a pair."""
    first, comma, second = (part.strip() for part in text.partition(","))
    if not comma or not first or not second:
        return None
    example = _("Type the name of the desa or kelurahan, for example: Sukamaju")
    for desa, place in ((first, second), (second, first)):
        try:
            kecamatan = match_kecamatan(place, profile)
        except ParseError:
            continue
        if kecamatan != OUTSIDE_KECAMATAN:
            return read_name(desa, example=example, longest=80), kecamatan
    return None
