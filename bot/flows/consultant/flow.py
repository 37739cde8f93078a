"""The consultant flow object, its shortcut (link code, agenda), and the helpers its steps share."""

from __future__ import annotations

import re

from bot.flows.base import Ctx, Flow, choices, go
from bot.flows.common import CONSULTANT, menu_option
from bot.messages import Reply
from core.booking import (
    OUTCOMES,
    read_link_code,
)
from core.i18n import _
from storage.bookings import BookingDetails

AGENDA_SIZE = 9
_AGENDA_WORD = re.compile(r"^\s*/?agenda(?:@\w+)?\s*$", re.IGNORECASE)


def _menu_label(ctx: Ctx) -> str | None:
    """Offers the agenda to consultants only."""
    return _("My consultation agenda") if ctx.contact.role == "consultant" else None


def shortcut(ctx: Ctx) -> str | None:
    """The go() option a whole message stands for from any state: a link code, or 'agenda' from a consultant."""
    code = read_link_code(ctx.inbound.text)
    if code is not None:
        return go(FLOW.id, "link", code)
    if ctx.contact.role == "consultant" and _AGENDA_WORD.match(ctx.inbound.text or ""):
        return go(FLOW.id, "agenda")
    return None


FLOW = Flow(CONSULTANT, first="agenda", menu_label=_menu_label, menu_order=5, shortcut=shortcut)


def outcome_labels() -> dict[str, str]:
    """The outcomes a consultant records after a meeting."""
    labels = {
        "dirujuk_bank": _("Outcome: referred to the bank"),
        "lengkapi_dokumen": _("Outcome: needs to complete documents"),
        "belum_siap": _("Outcome: not ready yet"),
    }
    return {outcome: labels[outcome] for outcome in OUTCOMES}


def agenda_option() -> tuple[str, str]:
    """The option that goes back to the agenda."""
    return ("agenda", _("Back to my agenda"))


def only_agenda(text: str) -> list[Reply]:
    """A message with the way back to the agenda and the menu."""
    return [Reply(text, choices(agenda_option(), menu_option()))]


def not_found() -> list[Reply]:
    """Says the booking cannot be found for this chat."""
    return only_agenda(_("That booking is not in your agenda."))


def started(details: BookingDetails, ctx: Ctx) -> bool:
    """Whether the meeting has started."""
    return details.slot.starts_at <= ctx.now


def acted_by(ctx: Ctx) -> str:
    """Who acts, for the booking's history."""
    return "admin" if ctx.contact.role == "admin" else "consultant"
