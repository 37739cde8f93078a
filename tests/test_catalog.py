"""Every user-facing string in the code has an Indonesian translation, and no translation is stale."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
CATALOGS = ROOT / "core" / "locale" / "id" / "LC_MESSAGES"
KEYWORDS = {"_": None, "ngettext": (1, 2)}
METHODS = [("**.py", "python"), ("**/templates/**.html", "jinja2")]  # admin pages: {{ _("...") }}


def _extracted() -> dict[str, str]:
    found: dict[str, str] = {}
    for package in ("bot", "core"):
        for filename, lineno, message, _comments, _context in extract_from_dir(
            ROOT / package, method_map=METHODS, keywords=KEYWORDS
        ):
            for msgid in message if isinstance(message, tuple) else (message,):
                found.setdefault(msgid, f"{package}/{filename}:{lineno}")
    return found


def _catalog() -> dict[str, str]:
    entries: dict[str, str] = {}
    for path in sorted(CATALOGS.glob("*.po")):
        with path.open("rb") as handle:
            for message in read_po(handle):
                if message.id:
                    msgid = message.id[0] if isinstance(message.id, tuple) else message.id
                    msgstr = message.string[0] if isinstance(message.string, tuple) else message.string
                    assert msgid not in entries, f"{msgid!r} is translated twice ({path.name})"
                    entries[msgid] = msgstr
    return entries


def _fields(text: str) -> set[str]:
    return set(re.findall(r"\{(\w*)[^{}]*\}", text)) | set(re.findall(r"%\((\w+)\)s", text))


def test_every_message_is_translated() -> None:
    catalog = _catalog()
    missing = {msgid: where for msgid, where in _extracted().items() if not catalog.get(msgid)}
    assert not missing, f"untranslated messages: {missing}"


def test_no_stale_translations() -> None:
    stale = set(_catalog()) - set(_extracted())
    assert not stale, f"catalog entries no code uses: {sorted(stale)}"


def test_placeholders_match() -> None:
    wrong = {msgid: msgstr for msgid, msgstr in _catalog().items() if _fields(msgid) != _fields(msgstr)}
    assert not wrong, f"placeholders differ: {wrong}"
