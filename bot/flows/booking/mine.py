"""Booking saya: the owner's upcoming bookings, and cancelling or moving one."""

from __future__ import annotations

from bot.bookings.access import booking_of_ref
from bot.bookings.notices import (
    cancel_and_tell,
    notify_consultant_of_move,
)
from bot.bookings.offered import may_book
from bot.bookings.words import (
    owner_summary,
    slot_label,
    status_label,
    when,
)
from bot.flows.base import Answer, Ctx, Finish, Goto, Transition, choices, go
from bot.flows.booking.flow import (
    FLOW,
    paged,
    picked_slot,
    slot_question,
    taken,
)
from bot.flows.common import menu_option
from bot.messages import Reply
from core.booking import ACTIVE, REQUESTED
from core.i18n import _
from storage.bookings import (
    BookingDetails,
    SlotTaken,
    booking_details,
    get_slot,
    move_to_slot,
    owner_upcoming,
)


@FLOW.ask("mine", choice_only=True)
async def ask_mine(ctx: Ctx) -> list[Reply]:
    """Lists the owner's upcoming bookings with their status."""
    upcoming = await owner_upcoming(session=ctx.session, owner_contact_id=ctx.contact.id, now=ctx.now)
    new = (go(FLOW.id), _("Make a new booking"))
    if not upcoming:
        return [Reply(_("You have no upcoming consultant bookings."), choices(new, menu_option()))]
    lines = [_("*My consultant bookings*")]
    options = []
    for number, details in enumerate(upcoming, start=1):
        start = when(details.slot.starts_at, ctx.zone)
        lines.append(f"{number}. {start}, {details.consultant.name}: {status_label(details.booking.status)}")
        options.append((f"booking:{details.booking.id}", f"{start}, {details.consultant.name}"))
    lines.append(_("Choose a booking to move or cancel it."))
    return [Reply("\n".join(lines), choices(*options, new, menu_option()))]


@FLOW.answer("mine")
def answer_mine(ctx: Ctx, answer: Answer) -> Goto:
    """Opens the chosen booking."""
    ctx.data["ref"] = (answer.option or "").removeprefix("booking:")
    return Goto("manage")


async def _own_booking(ctx: Ctx, *, lock: bool = False) -> BookingDetails | None:
    """The booking of `ref` when it is this owner's, active and not started yet."""
    details = await booking_of_ref(ctx, lock=lock)
    if details is None or details.booking.owner_contact_id != ctx.contact.id:
        return None
    if details.booking.status not in ACTIVE or details.slot.starts_at <= ctx.now:
        return None
    return details


def _gone_text() -> str:
    """Says a booking can no longer be changed."""
    return _("That booking can no longer be changed (it was cancelled, declined or has already started).")


def _gone() -> list[Reply]:
    """Says a booking can no longer be changed, with the way back to the list."""
    return [Reply(_gone_text(), choices(("mine", _("Back to my bookings")), menu_option()))]


@FLOW.ask("manage", choice_only=True)
async def ask_manage(ctx: Ctx) -> list[Reply]:
    """Shows one booking with its status and offers to move or cancel it."""
    details = await _own_booking(ctx)
    if details is None:
        return _gone()
    lines = [
        *owner_summary(details, ctx.zone),
        _("Booking status line: {status}").format(status=status_label(details.booking.status)),
    ]
    options = choices(
        ("move", _("Change the booking time")),
        ("cancel", _("Cancel this booking")),
        ("mine", _("Back to my bookings")),
    )
    return [Reply("\n".join(lines), options)]


@FLOW.answer("manage")
def answer_manage(ctx: Ctx, answer: Answer) -> Goto:
    """Goes to moving, cancelling, or back to the list."""
    step = {"move": "reschedule", "cancel": "cancel"}.get(answer.option or "", "mine")
    ctx.data.pop("after", None)
    return Goto(step)


@FLOW.ask("cancel", choice_only=True)
async def ask_cancel(ctx: Ctx) -> list[Reply]:
    """Asks to confirm the cancellation."""
    details = await _own_booking(ctx)
    if details is None:
        return _gone()
    text = _("Cancel your booking with {name} on {when}?").format(
        name=details.consultant.name, when=when(details.slot.starts_at, ctx.zone)
    )
    return [Reply(text, choices(("yes", _("Yes, cancel the booking")), ("no", _("No, keep the booking"))))]


@FLOW.answer("cancel")
async def answer_cancel(ctx: Ctx, answer: Answer) -> Transition:
    """Cancels the booking (freeing the slot) and tells the consultant."""
    if answer.option == "mine":
        return Goto("mine")
    if answer.option != "yes":
        return Goto("manage")
    details = await _own_booking(ctx, lock=True)
    if details is None:
        return Goto("mine", say=(Reply(_gone_text()),))
    start = await cancel_and_tell(ctx, details)
    done = _("Your booking on {when} is cancelled and {name} has been told. You can book again any time.")
    return Finish(say=(Reply(done.format(when=start, name=details.consultant.name)),))


@FLOW.ask("reschedule", choice_only=True)
async def ask_reschedule(ctx: Ctx) -> list[Reply]:
    """Offers the consultant's other free times for the booking."""
    details = await _own_booking(ctx)
    if details is None:
        return _gone()
    start = when(details.slot.starts_at, ctx.zone)
    heading = _("Choose a new time with {name}. Your booking now: {when}.").format(
        name=details.consultant.name, when=start
    )
    empty = _("{name} has no other free times right now, so your booking stays on {when}.")
    keep = Reply(
        empty.format(name=details.consultant.name, when=start),
        choices(("keep", _("Keep my booking as it is"))),
    )
    return await slot_question(ctx, details.consultant.id, heading, keep)


@FLOW.answer("reschedule")
def answer_reschedule(ctx: Ctx, answer: Answer) -> Goto:
    """Pages, keeps the booking, or stores the new slot and asks to confirm the move."""
    if answer.option in ("keep", "mine"):
        return Goto("manage" if answer.option == "keep" else "mine")
    slot_id = picked_slot(answer)
    if slot_id is None:
        return paged(ctx, answer, "reschedule") or Goto("reschedule")
    ctx.data["new_slot_id"] = slot_id
    return Goto("move")


@FLOW.ask("move", choice_only=True)
async def ask_move(ctx: Ctx) -> list[Reply]:
    """Asks to confirm moving the booking to the new time."""
    details = await _own_booking(ctx)
    slot = await get_slot(session=ctx.session, slot_id=ctx.data.get("new_slot_id") or 0)
    if details is None or slot is None:
        return _gone()
    text = _("Move your booking with {name}\nfrom: {old}\nto: {new}?").format(
        name=details.consultant.name,
        old=when(details.slot.starts_at, ctx.zone),
        new=slot_label(slot, ctx.zone),
    )
    return [Reply(text, choices(("yes", _("Yes, move my booking")), ("other", _("Choose another new time"))))]


@FLOW.answer("move")
async def answer_move(ctx: Ctx, answer: Answer) -> Transition:
    """Moves the booking to the new slot (the database decides), frees the old one and tells the consultant."""
    if answer.option == "mine":
        return Goto("mine")
    if answer.option != "yes":
        ctx.data.pop("after", None)
        return Goto("reschedule")
    details = await _own_booking(ctx, lock=True)
    slot = await get_slot(session=ctx.session, slot_id=ctx.data.get("new_slot_id") or 0)
    if details is None or slot is None:
        return Goto("mine", say=(Reply(_gone_text()),))
    old = when(details.slot.starts_at, ctx.zone)
    try:
        if not may_book(slot, ctx.now, ctx.profile):
            raise SlotTaken
        await move_to_slot(session=ctx.session, booking=details.booking, slot=slot, now=ctx.now, by="owner")
    except SlotTaken:
        ctx.data.pop("after", None)
        return Goto("reschedule", say=(taken(),))
    details = await booking_details(session=ctx.session, booking_id=details.booking.id)
    assert details is not None
    new = when(details.slot.starts_at, ctx.zone)
    await notify_consultant_of_move(ctx.session, details, old, ctx.now, ctx.zone)
    done = _("Done! Your booking with {name} is moved to {when}, and {name} has been told.")
    lines = [done.format(name=details.consultant.name, when=new)]
    if details.booking.status == REQUESTED:
        lines.append(_("We will tell you here as soon as the new time is confirmed."))
    return Finish(say=(Reply("\n".join(lines)),))
