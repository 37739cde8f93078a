"""A booking request: topic, consultant, free time, note, check and send; and rebooking after a refusal."""

from __future__ import annotations

from bot.bookings.access import booking_of_ref
from bot.bookings.notices import (
    notify_consultant_of_request,
)
from bot.bookings.offered import may_book
from bot.bookings.words import (
    consultant_label,
    request_lines,
    topic_labels,
)
from bot.flows.base import Answer, Ctx, Finish, Goto, Retry, Transition, choices, go_then
from bot.flows.booking.flow import (
    FLOW,
    already_booked,
    chosen_consultant,
    consultant_slots,
    my_bookings_option,
    paged,
    picked_slot,
    restart,
    taken,
)
from bot.flows.common import BOOKING, REGISTRATION, menu_option, scam_warning
from bot.messages import Reply
from core.booking import NOTE_LIMIT, TOPICS
from core.i18n import _
from core.parsing import ParseError
from storage.bookings import (
    AlreadyBooked,
    SlotTaken,
    active_booking_with,
    book_slot,
    booking_details,
    get_slot,
    owner_upcoming,
)
from storage.businesses import get_business
from storage.consultants import consultants_for
from storage.models import Consultant


@FLOW.ask("topic", choice_only=True)
async def ask_topic(ctx: Ctx) -> list[Reply]:
    """Asks the topic (mentioning upcoming bookings), or sends an unregistered owner to register first."""
    if await get_business(session=ctx.session, contact_id=ctx.contact.id) is None:
        text = _(
            "To book a KKMB consultant, please register your business first. It takes about 3 minutes, "
            "and the consultant can prepare for your meeting."
        )
        return [
            Reply(
                text,
                choices(
                    (go_then(REGISTRATION, BOOKING), _("Register my business before booking")), menu_option()
                ),
            )
        ]
    options = list(topic_labels().items())
    lines = [_("What would you like to discuss with the KKMB consultant?")]
    upcoming = await owner_upcoming(session=ctx.session, owner_contact_id=ctx.contact.id, now=ctx.now)
    if upcoming:
        notice = _(
            "You have {count} upcoming booking(s). Choose *My consultant bookings* to see, move or cancel them."
        )
        lines.insert(0, notice.format(count=len(upcoming)))
        options.append(my_bookings_option())
    return [Reply("\n".join(lines), choices(*options))]


@FLOW.answer("topic")
async def answer_topic(ctx: Ctx, answer: Answer) -> Transition:
    """Stores the topic and lists the consultants; when only one can be chosen, goes straight to their times."""
    ctx.data["topic"] = answer.option
    found = await _consultant_choices(ctx)
    if found is None or len(found[1]) != 1:
        return Goto("consultant")
    return await answer_consultant(ctx, Answer(text="", option=f"consultant:{found[1][0].id}"))


async def _consultant_choices(ctx: Ctx) -> tuple[str, list[Consultant]] | None:
    """The heading and the consultants to offer: those covering the owner's kecamatan, else all others."""
    business = await get_business(session=ctx.session, contact_id=ctx.contact.id)
    if business is None or ctx.data.get("topic") not in TOPICS:
        return None
    covering, others = await consultants_for(
        session=ctx.session, kecamatan=business.kecamatan, topic=ctx.data["topic"]
    )
    if covering:
        return _("Choose a consultant for Kecamatan {kecamatan}:").format(
            kecamatan=business.kecamatan
        ), covering
    if business.kecamatan in ctx.profile.kecamatan:
        heading = _("No consultant covers Kecamatan {kecamatan} yet. These consultants nearby can help you:")
    else:
        heading = _("Your business is outside {region}. These consultants of {region} can still help you:")
    return heading.format(kecamatan=business.kecamatan, region=ctx.profile.name), others


@FLOW.ask("consultant", choice_only=True)
async def ask_consultant(ctx: Ctx) -> list[Reply]:
    """Offers the consultants for the owner's kecamatan and topic."""
    found = await _consultant_choices(ctx)
    if found is None:
        return restart()
    heading, consultants = found
    if not consultants:
        text = _(
            "Sorry, no KKMB consultant takes bookings right now. Please contact the secretariat: {name}, {address}."
        )
        text = text.format(name=ctx.profile.secretariat_name, address=ctx.profile.secretariat_address)
        return [Reply(text, choices(menu_option()))]
    return [Reply(heading, choices(*((f"consultant:{c.id}", consultant_label(c)) for c in consultants)))]


@FLOW.answer("consultant")
async def answer_consultant(ctx: Ctx, answer: Answer) -> Transition:
    """Stores the consultant and shows their free times; an owner already booked with them goes to their bookings."""
    consultant_id = int((answer.option or "").removeprefix("consultant:"))
    existing = await active_booking_with(
        session=ctx.session, owner_contact_id=ctx.contact.id, consultant_id=consultant_id
    )
    if existing is not None:
        return already_booked()
    ctx.data["consultant_id"] = consultant_id
    ctx.data.pop("after", None)
    return Goto("slot")


@FLOW.ask("slot", choice_only=True)
async def ask_slot(ctx: Ctx) -> list[Reply]:
    """Offers the chosen consultant's next free times."""
    consultant = await chosen_consultant(ctx)
    if consultant is None:
        return restart()
    return await consultant_slots(ctx, consultant)


@FLOW.answer("slot")
def answer_slot(ctx: Ctx, answer: Answer) -> Goto:
    """Pages, goes back to the consultants, or stores the picked slot and asks for a note."""
    if answer.option == "other":
        return Goto("consultant")
    slot_id = picked_slot(answer)
    if slot_id is None:
        return paged(ctx, answer, "slot") or Goto("slot")
    ctx.data["slot_id"] = slot_id
    return Goto("note")


@FLOW.ask("note")
def ask_note(ctx: Ctx) -> list[Reply]:
    """Asks for an optional short note for the consultant."""
    text = _(
        "Want to tell the consultant what you need help with? Type a short note "
        "(for example: modal untuk tambah etalase), or choose Skip."
    )
    return [Reply(text, choices(("skip", _("Skip the note"))))]


@FLOW.answer("note")
def answer_note(ctx: Ctx, answer: Answer) -> Transition:
    """Stores the note (or none) and shows the summary."""
    if answer.option == "skip":
        ctx.data["note"] = None
        return Goto("confirm")
    note = " ".join(answer.text.split())
    if not note:
        return Retry(_("The note is empty. Type a short note, or choose Skip."))
    if len(note) > NOTE_LIMIT:
        raise ParseError(_("Please keep the note under {limit} characters.").format(limit=NOTE_LIMIT))
    ctx.data["note"] = note
    return Goto("confirm")


@FLOW.ask("confirm", choice_only=True)
async def ask_confirm(ctx: Ctx) -> list[Reply]:
    """Shows the booking to check before the request is sent."""
    consultant = await chosen_consultant(ctx)
    slot = await get_slot(session=ctx.session, slot_id=ctx.data.get("slot_id") or 0)
    if consultant is None or slot is None or ctx.data.get("topic") not in TOPICS:
        return restart()
    lines = [
        _("*Check your booking request*"),
        *request_lines(consultant, slot, ctx.data["topic"], ctx.data.get("note"), ctx.zone),
    ]
    options = choices(
        ("book", _("Yes, send the booking request")),
        ("slot", _("Choose another consultation time")),
        ("global:cancel", _("Cancel the booking request")),
    )
    return [Reply("\n".join(lines), options)]


@FLOW.answer("confirm")
async def answer_confirm(ctx: Ctx, answer: Answer) -> Transition:
    """Books the slot (the database decides who gets it) and tells the consultant; or picks another time."""
    if answer.option == "slot":
        ctx.data.pop("after", None)
        return Goto("slot")
    slot = await get_slot(session=ctx.session, slot_id=ctx.data.get("slot_id") or 0)
    business = await get_business(session=ctx.session, contact_id=ctx.contact.id)
    if slot is None or not may_book(slot, ctx.now, ctx.profile):
        ctx.data.pop("after", None)
        return Goto("slot", say=(taken(),))
    try:
        booking = await book_slot(
            session=ctx.session,
            owner_contact_id=ctx.contact.id,
            business_id=business.id if business else None,
            slot=slot,
            topic=ctx.data["topic"],
            note=ctx.data.get("note"),
            now=ctx.now,
        )
    except SlotTaken:
        ctx.data.pop("after", None)
        return Goto("slot", say=(taken(),))
    except AlreadyBooked:
        return already_booked()
    details = await booking_details(session=ctx.session, booking_id=booking.id)
    assert details is not None
    await notify_consultant_of_request(ctx.session, details, ctx.now, ctx.zone)
    sent = _("Your request has been sent to {name}. We will tell you here as soon as it is confirmed.")
    return Finish(say=(Reply("\n".join([sent.format(name=details.consultant.name), scam_warning()])),))


@FLOW.ask("rebook", choice_only=True)
async def ask_rebook(ctx: Ctx) -> list[Reply]:
    """After a refusal: offers the same consultant's free times for a new request on the same topic."""
    details = await booking_of_ref(ctx)
    if details is None or details.booking.owner_contact_id != ctx.contact.id:
        return restart()
    booking = details.booking
    ctx.data.update(
        topic=booking.topic,
        consultant_id=details.consultant.id,
        note=booking.note,
        declined_slot=booking.slot_id,
    )
    return await consultant_slots(ctx, details.consultant)


FLOW.answer("rebook")(answer_slot)
