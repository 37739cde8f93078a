"""Asking back instead of guessing: a reading the owner confirms with a yes ("5" at an amount: "Rp5 juta?")."""

from __future__ import annotations

import re

from core.formatting import rupiah
from core.i18n import _
from core.parsing import ParseError

_BARE = re.compile(r"\s*(?:rp\.?\s*)?([0-9]{1,3})\s*", re.IGNORECASE)


class AskBack(ParseError):
    """An answer we can read two ways: the message asks which; a yes answers with `suggestion`."""

    def __init__(self, message: str, suggestion: str) -> None:
        super().__init__(message)
        self.suggestion = suggestion


def check_bare_amount(text: str) -> None:
    """Asks back at a bare number under 1,000 at an amount ('5' is rarely Rp5): raises AskBack for 'Rp5 juta?'."""
    found = _BARE.fullmatch(text)
    if found is None or int(found[1]) == 0:
        return
    number = int(found[1])
    message = _("Do you mean {amount}? Reply *ya*, or type the full amount, for example {number} juta.")
    raise AskBack(message.format(amount=rupiah(number * 1_000_000), number=number), f"{number} juta")
