"""Personal data (UU PDP): masking for logs and broadcast opt-out (erasure: storage/erasure.py)."""

from __future__ import annotations

import re

from bot.messages import Reply
from core.i18n import _
from storage.models import Contact


def mask(value: str | None) -> str:
    """Masks an identifier for logs: keeps only enough to tell people apart."""
    if not value:
        return "-"
    digits = re.sub(r"\D", "", value)
    if len(digits) == 16 and digits == value:
        return f"{value[:4]}{'*' * 10}{value[-2:]}"
    if len(value) <= 4:
        return "*" * len(value)
    keep = 5 if value.startswith("+") else 0
    return f"{value[:keep]}{'*' * (len(value) - keep - 3)}{value[-3:]}"


def stop_broadcasts(contact: Contact) -> Reply:
    """Opts a contact out of programme announcements."""
    contact.broadcasts_opt_out = True
    return Reply(_("Done: you will get no more programme announcements. Send *mulai* to turn them back on."))


def resume_broadcasts(contact: Contact) -> Reply | None:
    """Opts a contact back in to announcements; says so only when it was opted out."""
    if not contact.broadcasts_opt_out:
        return None
    contact.broadcasts_opt_out = False
    return Reply(_("Programme announcements are on again."))
