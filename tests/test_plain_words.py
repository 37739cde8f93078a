"""No user-facing string uses a banned term of docs/glossary.md."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
BANNED = ("anuitas", "slik", "karakter", "pp 7/2021")


STAFF_ONLY = {"admin.po"}  # the admin workspace speaks to Dinas staff, not to owners


def _translations() -> list[str]:
    """Every Indonesian string owners can read (all catalogs but the staff's)."""
    found = []
    for path in sorted((ROOT / "core" / "locale" / "id" / "LC_MESSAGES").glob("*.po")):
        if path.name in STAFF_ONLY:
            continue
        with path.open("rb") as handle:
            for message in read_po(handle):
                strings = message.string if isinstance(message.string, tuple) else (message.string,)
                found += [text for text in strings if text]
    return found


def test_no_user_facing_string_uses_a_banned_term() -> None:
    offending = [
        (term, text)
        for text in _translations()
        for term in BANNED
        if re.search(rf"\b{re.escape(term)}\b", text.casefold())
    ]
    assert offending == []


def test_every_banned_term_is_in_the_glossary() -> None:
    glossary = (ROOT / "docs" / "glossary.md").read_text().casefold()
    for term in BANNED:
        assert term in glossary, term
