"""Message catalogs: every user-facing string goes through `_` and comes out in Bahasa Indonesia."""

from __future__ import annotations

import io
from functools import cache
from importlib import resources

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

DEFAULT_LOCALE = "id"


@cache
def translations(locale: str = DEFAULT_LOCALE) -> Translations:
    """Loads and merges every `core/locale/<locale>/LC_MESSAGES/*.po` catalog, compiled in memory."""
    merged = Translations()
    folder = resources.files("core") / "locale" / locale / "LC_MESSAGES"
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".po"):
            continue
        with entry.open("rb") as handle:
            catalog = read_po(handle, locale=locale)
        buffer = io.BytesIO()
        write_mo(buffer, catalog, use_fuzzy=False)
        buffer.seek(0)
        merged.merge(Translations(fp=buffer))
    return merged


def _(message: str) -> str:
    """Translates one message into the default locale (Bahasa Indonesia)."""
    return translations().gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """Translates a message with a count."""
    return translations().ngettext(singular, plural, n)
