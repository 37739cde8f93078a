"""The consultant's side: linking a chat with a one-time code, the agenda, and answering bookings.

Linking: the admin runs `umkm consultant link-code ID` and passes the code on. The consultant sends it in any
form ("kkmb 7Q2M9X", "KKMB-7Q2M9X", or the Telegram deep link "/start KKMB-7Q2M9X"); the engine asks
`shortcut` first, from any state (even a first message), so the code is never taken as an answer. A used code is
cleared; an unknown one gets a kind message. "agenda" or "/agenda" opens the agenda from anywhere too.

Steps reached by buttons on notices (go("consultant", step, booking_id)) act on arrival and are safe to repeat:
`accept` confirms (a second press says it already is), `no_show` records the no-show. `decline` asks for a short
reason and `done` for the outcome. Admins may answer for a consultant who has not linked a chat yet.

After a meeting is done the consultant may record the owner's loan ("Catat pinjaman pemilik"): the loans flow asks
its questions (data "for_owner" and "booking"), then `bot.bookings.proposals.propose_for_owner` stores it as proposed and sends the owner a
button to confirm it (go("loans", "confirm_proposed", loan_id)).
"""

from __future__ import annotations

import re

from bot.bookings.access import answerable_booking
from bot.bookings.notices import Notice, event_key, rebook_buttons, send_to_owner
from bot.bookings.offered import offered_slots
from bot.bookings.words import (
    business_name,
    consultant_label,
    consultant_summary,
    place_label,
    slot_label,
    status_label,
    topic_labels,
    when,
)
from bot.flows.base import Answer, Ctx, Flow, Goto, Start, Transition, choices, go
from bot.flows.common import CONSULTANT, LOANS, menu_option
from bot.messages import Reply
from core.booking import (
    CONFIRMED,
    DECLINED,
    DONE,
    NO_SHOW,
    OUTCOMES,
    REASON_LIMIT,
    REQUESTED,
    read_link_code,
)
from core.formatting import clock_time
from core.i18n import _
from core.parsing import ParseError
from storage.bookings import BookingDetails, change_status, consultant_agenda
from storage.consultants import consultant_of_contact, get_consultant, link_contact

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


def _agenda_option() -> tuple[str, str]:
    """The option that goes back to the agenda."""
    return ("agenda", _("Back to my agenda"))


def _only_agenda(text: str) -> list[Reply]:
    """A message with the way back to the agenda and the menu."""
    return [Reply(text, choices(_agenda_option(), menu_option()))]


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
            return _only_agenda(
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


def _not_found() -> list[Reply]:
    """Says the booking cannot be found for this chat."""
    return _only_agenda(_("That booking is not in your agenda."))


def _started(details: BookingDetails, ctx: Ctx) -> bool:
    """Whether the meeting has started."""
    return details.slot.starts_at <= ctx.now


def _by(ctx: Ctx) -> str:
    """Who acts, for the booking's history."""
    return "admin" if ctx.contact.role == "admin" else "consultant"


@FLOW.ask("detail", choice_only=True)
async def ask_detail(ctx: Ctx) -> list[Reply]:
    """Shows a booking in full, with the answers its status allows."""
    details = await answerable_booking(ctx)
    if details is None:
        return _not_found()
    booking = details.booking
    lines = await consultant_summary(ctx.session, details, ctx.zone)
    lines.append(
        _("Booking status line: {status}").format(status=status_label(booking.status, for_consultant=True))
    )
    options = []
    if booking.status == REQUESTED and not _started(details, ctx):
        options = [("accept", _("Accept the booking")), ("decline", _("Decline the booking"))]
    elif booking.status == CONFIRMED:
        lines.append(_owner_reach(details))
        if _started(details, ctx):
            options = [
                ("done", _("Record the consultation result")),
                ("no_show", _("The owner did not come")),
            ]
    elif booking.status == DONE:
        options = [("record_loan", _("Record the owner's loan"))]
    return [Reply("\n".join(lines), choices(*options, _agenda_option()))]


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


def _owner_reach(details: BookingDetails) -> str:
    """How to reach the owner of a confirmed booking (name and phone)."""
    business = details.business
    name = business.owner_name if business else details.owner.display_name or "-"
    phone = (business.phone if business else None) or details.owner.phone or "-"
    return _("Owner's contact: {name}, {phone}").format(name=name, phone=phone)


# --- answering: accept, decline, done, no-show --------------------------------------------------------------


@FLOW.ask("accept", choice_only=True)
async def ask_accept(ctx: Ctx) -> list[Reply]:
    """Confirms a request on arrival and tells the owner; says so when it is already confirmed or too late."""
    details = await answerable_booking(ctx, lock=True)
    if details is None:
        return _not_found()
    booking = details.booking
    if booking.status == CONFIRMED:
        return _only_agenda(_("This booking is already confirmed."))
    if booking.status != REQUESTED or _started(details, ctx):
        text = _("This booking can no longer be accepted (now: {status}).").format(
            status=status_label(booking.status)
        )
        return _only_agenda(text)
    await change_status(session=ctx.session, booking=booking, status=CONFIRMED, now=ctx.now, by=_by(ctx))
    await _tell_owner_confirmed(ctx, details)
    done = _("Accepted: {business}, {when}. We told the owner.").format(
        business=business_name(details), when=when(details.slot.starts_at, ctx.zone)
    )
    return _only_agenda("\n".join([done, _owner_reach(details)]))


async def _tell_owner_confirmed(ctx: Ctx, details: BookingDetails) -> None:
    """Tells the owner the booking is confirmed: who, when, where, and what to bring."""
    line = _("{consultant} will meet you on {when}, {place}.").format(
        consultant=consultant_label(details.consultant),
        when=when(details.slot.starts_at, ctx.zone),
        place=place_label(details.slot.place),
    )
    lines = [line]
    if details.slot.place == "secretariat":
        lines.append(_("Secretariat address: {address}").format(address=ctx.profile.secretariat_address))
    lines.append(_("Bring your KTP and any notes of your sales and spending."))
    options = choices((go("booking", "manage", details.booking.id), _("See my consultant booking")))
    notice = Notice(_("Booking confirmed"), tuple(lines), options)
    await send_to_owner(ctx.session, details, notice, event_key(details, "owner"), ctx.now, ctx.zone)


@FLOW.answer("accept")
def answer_accept(ctx: Ctx, answer: Answer) -> Goto:
    """Goes back to the agenda."""
    return Goto("agenda")


def _decline_reasons() -> list[tuple[str, str]]:
    """Quick reasons to decline."""
    return [
        ("reason:busy", _("Decline reason: my schedule clashes")),
        ("reason:away", _("Decline reason: I am out of town")),
        ("reason:topic", _("Decline reason: the topic is outside my field")),
    ]


def _can_decline(details: BookingDetails, ctx: Ctx) -> bool:
    """Whether the booking is a request still open to an answer."""
    return details.booking.status == REQUESTED and not _started(details, ctx)


@FLOW.ask("decline")
async def ask_decline(ctx: Ctx) -> list[Reply]:
    """Asks why the consultant declines (the owner will read it)."""
    details = await answerable_booking(ctx)
    if details is None:
        return _not_found()
    if not _can_decline(details, ctx):
        text = _("This booking can no longer be declined (now: {status}).")
        return _only_agenda(text.format(status=status_label(details.booking.status)))
    text = _(
        "Why can't you take the booking of {business} on {when}? Choose or type a short reason; the owner will read it."
    )
    text = text.format(business=business_name(details), when=when(details.slot.starts_at, ctx.zone))
    return [Reply(text, choices(*_decline_reasons(), _agenda_option()))]


@FLOW.answer("decline")
async def answer_decline(ctx: Ctx, answer: Answer) -> Transition:
    """Declines with the reason, tells the owner and offers them other times."""
    if answer.option == "agenda":
        return Goto("agenda")
    reason = dict(_decline_reasons()).get(answer.option or "") or " ".join(answer.text.split())
    if not reason:
        raise ParseError(_("Please type a short reason, for example: sedang dinas luar kota."))
    if len(reason) > REASON_LIMIT:
        raise ParseError(_("Please keep the reason under {limit} characters.").format(limit=REASON_LIMIT))
    details = await answerable_booking(ctx, lock=True)
    if details is None or not _can_decline(details, ctx):
        return Goto("agenda", say=(Reply(_("This booking was already answered or cancelled.")),))
    await change_status(
        session=ctx.session, booking=details.booking, status=DECLINED, now=ctx.now, by=_by(ctx), reason=reason
    )
    await _tell_owner_declined(ctx, details, reason)
    return Goto("agenda", say=(Reply(_("Declined. We told the owner your reason and offered other times.")),))


async def _tell_owner_declined(ctx: Ctx, details: BookingDetails, reason: str) -> None:
    """Tells the owner the reason and the consultant's next free times, with buttons to book again."""
    start = when(details.slot.starts_at, ctx.zone)
    lines = [
        _("{name} cannot meet you on {when}.").format(name=details.consultant.name, when=start),
        _("Decline reason given: {reason}").format(reason=reason),
    ]
    others = await offered_slots(
        session=ctx.session,
        consultant_id=details.consultant.id,
        now=ctx.now,
        profile=ctx.profile,
        limit=3,
        exclude=[details.slot.id],
    )
    if others:
        lines.append(_("Other free times with {name}:").format(name=details.consultant.name))
        lines += [f"• {slot_label(slot, ctx.zone)}" for slot in others]
    notice = Notice(_("Booking not accepted"), tuple(lines), rebook_buttons(details.booking.id))
    await send_to_owner(ctx.session, details, notice, event_key(details, "owner"), ctx.now, ctx.zone)


def _can_close(details: BookingDetails, ctx: Ctx) -> bool:
    """Whether a meeting's outcome can be recorded: confirmed and started."""
    return details.booking.status == CONFIRMED and _started(details, ctx)


def _cannot_close(details: BookingDetails, ctx: Ctx) -> list[Reply]:
    """Says why no outcome can be recorded yet (or any more)."""
    if details.booking.status == CONFIRMED:
        return _only_agenda(_("You can record the result once the meeting has started."))
    return _only_agenda(
        _("This booking is closed (now: {status}).").format(status=status_label(details.booking.status))
    )


@FLOW.ask("done", choice_only=True)
async def ask_done(ctx: Ctx) -> list[Reply]:
    """Asks for the outcome of the meeting."""
    details = await answerable_booking(ctx)
    if details is None:
        return _not_found()
    if not _can_close(details, ctx):
        return _cannot_close(details, ctx)
    text = _("How did the consultation with {business} on {when} end?").format(
        business=business_name(details), when=when(details.slot.starts_at, ctx.zone)
    )
    return [Reply(text, choices(*outcome_labels().items(), _agenda_option()))]


@FLOW.answer("done")
async def answer_done(ctx: Ctx, answer: Answer) -> Goto:
    """Marks the booking done with its outcome."""
    outcome = answer.option or ""
    details = await answerable_booking(ctx, lock=True)
    if outcome not in OUTCOMES or details is None or not _can_close(details, ctx):
        return Goto("agenda")
    await change_status(
        session=ctx.session, booking=details.booking, status=DONE, now=ctx.now, by=_by(ctx), outcome=outcome
    )
    text = _("Recorded: {business}, {outcome}. Thank you!").format(
        business=business_name(details), outcome=outcome_labels()[outcome]
    )
    return Goto("detail", say=(Reply(text),))


@FLOW.ask("no_show", choice_only=True)
async def ask_no_show(ctx: Ctx) -> list[Reply]:
    """Records on arrival that the owner did not come (safe to repeat)."""
    details = await answerable_booking(ctx, lock=True)
    if details is None:
        return _not_found()
    if details.booking.status == NO_SHOW:
        return _only_agenda(_("Already recorded: the owner did not come."))
    if not _can_close(details, ctx):
        return _cannot_close(details, ctx)
    await change_status(
        session=ctx.session, booking=details.booking, status=NO_SHOW, now=ctx.now, by=_by(ctx)
    )
    text = _("Recorded: {business} did not come on {when}.").format(
        business=business_name(details), when=when(details.slot.starts_at, ctx.zone)
    )
    return _only_agenda(text)


@FLOW.answer("no_show")
def answer_no_show(ctx: Ctx, answer: Answer) -> Goto:
    """Goes back to the agenda."""
    return Goto("agenda")
