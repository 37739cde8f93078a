"""The consultant answers a booking: accept, decline with a reason, the meeting's outcome, or a no-show."""

from __future__ import annotations

from bot.bookings.access import answerable_booking
from bot.bookings.notices import Notice, event_key, rebook_buttons, send_to_owner
from bot.bookings.offered import offered_slots
from bot.bookings.words import (
    business_name,
    consultant_label,
    place_label,
    slot_label,
    status_label,
    when,
)
from bot.flows.base import Answer, Ctx, Goto, Transition, choices, go
from bot.flows.consultant.agenda import owner_reach
from bot.flows.consultant.flow import (
    FLOW,
    acted_by,
    agenda_option,
    not_found,
    only_agenda,
    outcome_labels,
    started,
)
from bot.messages import Reply
from core.booking import (
    CONFIRMED,
    DECLINED,
    DONE,
    NO_SHOW,
    OUTCOMES,
    REASON_LIMIT,
    REQUESTED,
)
from core.i18n import _
from core.parsing import ParseError
from storage.bookings import BookingDetails, change_status

# --- answering: accept, decline, done, no-show --------------------------------------------------------------


@FLOW.ask("accept", choice_only=True)
async def ask_accept(ctx: Ctx) -> list[Reply]:
    """Confirms a request on arrival and tells the owner; says so when it is already confirmed or too late."""
    details = await answerable_booking(ctx, lock=True)
    if details is None:
        return not_found()
    booking = details.booking
    if booking.status == CONFIRMED:
        return only_agenda(_("This booking is already confirmed."))
    if booking.status != REQUESTED or started(details, ctx):
        text = _("This booking can no longer be accepted (now: {status}).").format(
            status=status_label(booking.status)
        )
        return only_agenda(text)
    await change_status(session=ctx.session, booking=booking, status=CONFIRMED, now=ctx.now, by=acted_by(ctx))
    await _tell_owner_confirmed(ctx, details)
    done = _("Accepted: {business}, {when}. We told the owner.").format(
        business=business_name(details), when=when(details.slot.starts_at, ctx.zone)
    )
    return only_agenda("\n".join([done, owner_reach(details)]))


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
    return details.booking.status == REQUESTED and not started(details, ctx)


@FLOW.ask("decline")
async def ask_decline(ctx: Ctx) -> list[Reply]:
    """Asks why the consultant declines (the owner will read it)."""
    details = await answerable_booking(ctx)
    if details is None:
        return not_found()
    if not _can_decline(details, ctx):
        text = _("This booking can no longer be declined (now: {status}).")
        return only_agenda(text.format(status=status_label(details.booking.status)))
    text = _(
        "Why can't you take the booking of {business} on {when}? Choose or type a short reason; the owner will read it."
    )
    text = text.format(business=business_name(details), when=when(details.slot.starts_at, ctx.zone))
    return [Reply(text, choices(*_decline_reasons(), agenda_option()))]


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
        session=ctx.session,
        booking=details.booking,
        status=DECLINED,
        now=ctx.now,
        by=acted_by(ctx),
        reason=reason,
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
    return details.booking.status == CONFIRMED and started(details, ctx)


def _cannot_close(details: BookingDetails, ctx: Ctx) -> list[Reply]:
    """Says why no outcome can be recorded yet (or any more)."""
    if details.booking.status == CONFIRMED:
        return only_agenda(_("You can record the result once the meeting has started."))
    return only_agenda(
        _("This booking is closed (now: {status}).").format(status=status_label(details.booking.status))
    )


@FLOW.ask("done", choice_only=True)
async def ask_done(ctx: Ctx) -> list[Reply]:
    """Asks for the outcome of the meeting."""
    details = await answerable_booking(ctx)
    if details is None:
        return not_found()
    if not _can_close(details, ctx):
        return _cannot_close(details, ctx)
    text = _("How did the consultation with {business} on {when} end?").format(
        business=business_name(details), when=when(details.slot.starts_at, ctx.zone)
    )
    return [Reply(text, choices(*outcome_labels().items(), agenda_option()))]


@FLOW.answer("done")
async def answer_done(ctx: Ctx, answer: Answer) -> Goto:
    """Marks the booking done with its outcome."""
    outcome = answer.option or ""
    details = await answerable_booking(ctx, lock=True)
    if outcome not in OUTCOMES or details is None or not _can_close(details, ctx):
        return Goto("agenda")
    await change_status(
        session=ctx.session,
        booking=details.booking,
        status=DONE,
        now=ctx.now,
        by=acted_by(ctx),
        outcome=outcome,
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
        return not_found()
    if details.booking.status == NO_SHOW:
        return only_agenda(_("Already recorded: the owner did not come."))
    if not _can_close(details, ctx):
        return _cannot_close(details, ctx)
    await change_status(
        session=ctx.session, booking=details.booking, status=NO_SHOW, now=ctx.now, by=acted_by(ctx)
    )
    text = _("Recorded: {business} did not come on {when}.").format(
        business=business_name(details), when=when(details.slot.starts_at, ctx.zone)
    )
    return only_agenda(text)


@FLOW.answer("no_show")
def answer_no_show(ctx: Ctx, answer: Answer) -> Goto:
    """Goes back to the agenda."""
    return Goto("agenda")
