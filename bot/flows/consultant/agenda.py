"""The consultant's chat linked by code, the agenda, and one booking's detail."""

from __future__ import annotations

from bot.bookings.access import answerable_booking
from bot.bookings.words import (
    business_name,
    consultant_summary,
    status_label,
    topic_labels,
    when,
)
from bot.flows.base import Answer, Ctx, Goto, Start, Transition, choices
from bot.flows.common import LOANS, menu_option
from bot.flows.consultant.flow import (
    AGENDA_SIZE,
    FLOW,
    agenda_option,
    not_found,
    only_agenda,
    started,
)
from bot.messages import Reply
from core.booking import (
    CONFIRMED,
    DONE,
    REQUESTED,
)
from core.formatting import clock_time
from core.i18n import _
from storage.bookings import BookingDetails, consultant_agenda
from storage.consultants import consultant_of_contact, get_consultant, link_contact

# --- linking ---------------------------------------------------------------------------------------------


@FLOW.ask("link", choice_only=True)
async def ask_link(ctx: Ctx) -> list[Reply]:
    """Links this chat to the consultant holding the code (once), or says kindly that the code is wrong."""
    consultant = None
    if ctx.data.get("linked"):
        consultant = await get_consultant(session=ctx.session, consultant_id=ctx.data["linked"])
    elif ctx.data.get("ref"):
        consultant = await link_contact(session=ctx.session, code=str(ctx.data["ref"]), contact=ctx.contact)
    if consultant is None:
        mine = await consultant_of_contact(session=ctx.session, contact_id=ctx.contact.id)
        if mine is not None:
            return only_agenda(
                _("This chat is already linked to {name}. That code is no longer needed.").format(
                    name=mine.name
                )
            )
        text = _(
            "Sorry, that code is not valid or has already been used. Please check it with the Rumah UMKM admin; "
            "a code looks like KKMB-7Q2M9X."
        )
        return [Reply(text, choices(menu_option()))]
    ctx.data["linked"] = consultant.id
    text = _(
        "Welcome, {name}! This chat is now linked to your KKMB consultant profile ({bank}). "
        "New booking requests will arrive here; send *agenda* to see your bookings."
    )
    return [
        Reply(
            text.format(name=consultant.name, bank=consultant.bank),
            choices(("agenda", _("Open my consultation agenda")), menu_option()),
        )
    ]


@FLOW.answer("link")
def answer_link(ctx: Ctx, answer: Answer) -> Goto:
    """Opens the agenda."""
    return Goto("agenda")


# --- the agenda --------------------------------------------------------------------------------------------


def _agenda_line(details: BookingDetails, ctx: Ctx, today: bool) -> str:
    """One booking in the agenda: time, business, topic and status."""
    start = details.slot.starts_at.astimezone(ctx.zone)
    moment = clock_time(start) if today else when(details.slot.starts_at, ctx.zone)
    topic = topic_labels().get(details.booking.topic, details.booking.topic)
    status = status_label(details.booking.status, for_consultant=True)
    return f"• {moment} {business_name(details)}, {topic}: {status}"


@FLOW.ask("agenda", choice_only=True)
async def ask_agenda(ctx: Ctx) -> list[Reply]:
    """Lists today's and upcoming bookings, and past ones still waiting for their outcome."""
    consultant = await consultant_of_contact(session=ctx.session, contact_id=ctx.contact.id)
    if consultant is None:
        text = _(
            "This chat is not linked to a consultant profile. Send the code you got from the admin, for example KKMB-7Q2M9X."
        )
        return [Reply(text, choices(menu_option()))]
    bookings = await consultant_agenda(
        session=ctx.session, consultant_id=consultant.id, limit=AGENDA_SIZE + 1
    )
    more, bookings = len(bookings) > AGENDA_SIZE, bookings[:AGENDA_SIZE]
    if not bookings:
        text = _("Agenda of {name}: no bookings yet. New requests will arrive here as a message.")
        return [Reply(text.format(name=consultant.name), choices(menu_option()))]
    sections: dict[str, list[str]] = {"past": [], "today": [], "later": []}
    for details in bookings:
        day = details.slot.starts_at.astimezone(ctx.zone).date()
        section = "today" if day == ctx.today else "past" if day < ctx.today else "later"
        sections[section].append(_agenda_line(details, ctx, today=section == "today"))
    headings = {
        "past": _("Agenda heading: result still to record"),
        "today": _("Agenda heading: today"),
        "later": _("Agenda heading: coming up"),
    }
    lines = [_("*Agenda of {name}*").format(name=consultant.name)]
    for section, entries in sections.items():
        if entries:
            lines += [headings[section], *entries]
    if more:
        lines.append(
            _("Showing the first {count} bookings; later ones appear as these are answered.").format(
                count=AGENDA_SIZE
            )
        )
    lines.append(_("Choose a booking to see it or answer it."))
    options = [
        (f"booking:{d.booking.id}", f"{when(d.slot.starts_at, ctx.zone)}, {business_name(d)}")
        for d in bookings
    ]
    return [Reply("\n".join(lines), choices(*options, menu_option()))]


@FLOW.answer("agenda")
def answer_agenda(ctx: Ctx, answer: Answer) -> Goto:
    """Opens the chosen booking."""
    ctx.data["ref"] = (answer.option or "").removeprefix("booking:")
    return Goto("detail")


@FLOW.ask("detail", choice_only=True)
async def ask_detail(ctx: Ctx) -> list[Reply]:
    """Shows a booking in full, with the answers its status allows."""
    details = await answerable_booking(ctx)
    if details is None:
        return not_found()
    booking = details.booking
    lines = await consultant_summary(ctx.session, details, ctx.zone)
    lines.append(
        _("Booking status line: {status}").format(status=status_label(booking.status, for_consultant=True))
    )
    options = []
    if booking.status == REQUESTED and not started(details, ctx):
        options = [("accept", _("Accept the booking")), ("decline", _("Decline the booking"))]
    elif booking.status == CONFIRMED:
        lines.append(owner_reach(details))
        if started(details, ctx):
            options = [
                ("done", _("Record the consultation result")),
                ("no_show", _("The owner did not come")),
            ]
    elif booking.status == DONE:
        options = [("record_loan", _("Record the owner's loan"))]
    return [Reply("\n".join(lines), choices(*options, agenda_option()))]


@FLOW.answer("detail")
async def answer_detail(ctx: Ctx, answer: Answer) -> Transition:
    """Goes to the chosen answer's step, starts recording the owner's loan, or goes back to the agenda."""
    if answer.option != "record_loan":
        return Goto(answer.option or "agenda")
    details = await answerable_booking(ctx)
    if details is None or details.booking.status != DONE:
        return Goto("agenda")
    text = _(
        "Recording the loan of {business}. The owner confirms it in their chat before it is saved."
    ).format(business=business_name(details))
    data = {"for_owner": details.booking.owner_contact_id, "booking": details.booking.id}
    return Start(LOANS, step="bank", data=data, say=(Reply(text),))


def owner_reach(details: BookingDetails) -> str:
    """How to reach the owner of a confirmed booking (name and phone)."""
    business = details.business
    name = business.owner_name if business else details.owner.display_name or "-"
    phone = (business.phone if business else None) or details.owner.phone or "-"
    return _("Owner's contact: {name}, {phone}").format(name=name, phone=phone)
