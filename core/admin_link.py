"""Admin chat link codes such as 'ADMIN-7Q2M9X': made once by `umkm admin link`, read back from a whole message."""

from __future__ import annotations

import re
import secrets

from core.booking import LINK_ALPHABET, LINK_LENGTH

PREFIX = "ADMIN"
_IN_SENTENCE = re.compile(rf"\b{PREFIX}-([0-9a-z]{{{LINK_LENGTH}}})\b", re.I)
_WHOLE = re.compile(rf"^\s*(?:/start\s+)?{PREFIX}[\s\-_:]*([0-9a-z]{{{LINK_LENGTH}}})\s*$", re.I)


def new_code() -> str:
    """A fresh one-time code such as 'ADMIN-7Q2M9X'."""
    return f"{PREFIX}-{''.join(secrets.choice(LINK_ALPHABET) for _ in range(LINK_LENGTH))}"


def read_code(text: str | None) -> str | None:
    """Finds an admin link code in a whole message ('admin 7q2m9x', '/start ADMIN-7Q2M9X') or in a sentence."""
    match = _WHOLE.match(text or "") or _IN_SENTENCE.search(text or "")
    return f"{PREFIX}-{match.group(1).upper()}" if match else None
