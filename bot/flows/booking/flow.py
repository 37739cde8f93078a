"""The booking flow object and the slot paging its request and reschedule steps share."""

from __future__ import annotations

from datetime import datetime

from bot.bookings.offered import offered_slots
from bot.bookings.words import (
    consultant_label,
    slot_label,
)
from bot.flows.base import Answer, Ctx, Flow, Goto, choices, go
from bot.flows.common import BOOKING, menu_option
from bot.messages import Reply
from core.i18n import _
from storage.consultants import get_consultant
from storage.models import Consultant, Slot

PAGE = 5


def _menu_label(ctx: Ctx) -> str | None:
    """Offers booking to business owners only (consultants and admins have their own entries)."""
    return _("Book a KKMB consultant") if ctx.contact.role == "owner" else None


FLOW = Flow(BOOKING, first="topic", menu_label=_menu_label, menu_order=50)


def restart() -> list[Reply]:
    """What a step says when the data it needs is gone (an old button): start the booking again."""
    text = _("Sorry, I lost track of this booking. Let's start it again.")
    return [Reply(text, choices((go(FLOW.id), _("Start a new booking")), menu_option()))]


def my_bookings_option() -> tuple[str, str]:
    """The option that opens the owner's bookings."""
    return (go(FLOW.id, "mine"), _("My consultant bookings"))


def already_booked() -> Goto:
    """Sends an owner who already has a booking with the consultant to their bookings."""
    notice = _("You already have a booking with this consultant. You can move or cancel it here.")
    return Goto("mine", say=(Reply(notice),))


async def _slot_page(ctx: Ctx, consultant_id: int) -> tuple[list[Slot], bool]:
    """One page of offered slots after the cursor (working days, no break, a working day's notice, never a
    just-declined one); more to come?"""
    after = datetime.fromisoformat(ctx.data["after"]) if ctx.data.get("after") else None
    exclude = [ctx.data["declined_slot"]] if ctx.data.get("declined_slot") else []
    slots = await offered_slots(
        session=ctx.session,
        consultant_id=consultant_id,
        now=ctx.now,
        profile=ctx.profile,
        limit=PAGE + 1,
        after=after,
        exclude=exclude,
    )
    return slots[:PAGE], len(slots) > PAGE


async def slot_question(ctx: Ctx, consultant_id: int, heading: str, empty: Reply) -> list[Reply]:
    """Offers one page of free slots with paging options, or `empty` when the consultant has none."""
    slots, more = await _slot_page(ctx, consultant_id)
    if not slots and ctx.data.pop("after", None):
        slots, more = await _slot_page(ctx, consultant_id)
    if not slots:
        return [empty]
    options = [(f"slot:{slot.id}", slot_label(slot, ctx.zone)) for slot in slots]
    if more:
        ctx.data["page_end"] = slots[-1].starts_at.isoformat()
        options.append(("more", _("Later free times")))
    if ctx.data.get("after"):
        options.append(("first", _("Earliest free times")))
    return [Reply(heading, choices(*options))]


def paged(ctx: Ctx, answer: Answer, step: str) -> Goto | None:
    """Turns 'Later times' / 'Earliest free times' into the next page of the same step."""
    if answer.option == "more":
        ctx.data["after"] = ctx.data.get("page_end")
        return Goto(step)
    if answer.option == "first":
        ctx.data.pop("after", None)
        return Goto(step)
    return None


def picked_slot(answer: Answer) -> int | None:
    """The slot id of a picked slot option."""
    if answer.option and answer.option.startswith("slot:"):
        return int(answer.option.removeprefix("slot:"))
    return None


async def chosen_consultant(ctx: Ctx) -> Consultant | None:
    """The consultant chosen in this booking."""
    consultant_id = ctx.data.get("consultant_id")
    return await get_consultant(session=ctx.session, consultant_id=consultant_id) if consultant_id else None


def _no_slots(consultant: Consultant) -> Reply:
    """Says the consultant has no free time and offers another consultant."""
    text = _(
        "{name} has no free times in the coming weeks. Please choose another consultant, or try again later."
    )
    other = ("other", _("Choose another KKMB consultant"))
    return Reply(text.format(name=consultant.name), choices(other, menu_option()))


async def consultant_slots(ctx: Ctx, consultant: Consultant) -> list[Reply]:
    """Offers a consultant's next free times for a new request."""
    heading = _("Free times with {consultant}. Choose one:").format(consultant=consultant_label(consultant))
    return await slot_question(ctx, consultant.id, heading, _no_slots(consultant))


def taken() -> Reply:
    """Tells kindly that the chosen time went to someone else."""
    return Reply(
        _(
            "Sorry, that time is no longer free; someone else may have just booked it. Here are the next free times:"
        )
    )
