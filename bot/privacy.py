"""Personal data (UU PDP): masking for logs, broadcast opt-out, and the follow-up of erasures (storage/erasure.py)."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from bot.messages import Reply
from core.i18n import _
from storage.db import transaction
from storage.erasure import erase_late_messages
from storage.models import Contact

if TYPE_CHECKING:
    from bot.services import Services


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


def erasure_job(services: Services) -> Callable[[], Awaitable[int]]:
    """The worker's job that erases what was sent to erased contacts after their erasure (its confirmation)."""

    async def run() -> int:
        """Erases the messages that went out since the last run; returns for how many contacts."""
        async with transaction(services.sessions) as session:
            return await erase_late_messages(session=session, now=services.clock.now())

    return run
