"""Requests a consultant leaves unanswered: reminded once after 4 office hours; after a working day the secretariat
is told (a request for a person, listed by `umkm requests`) and the owner is offered another consultant.

Both times are counted in office time (core/office_time.py, core/rules/booking_hours.toml), so a request sent on
Friday evening is chased on Monday, not over the weekend. Each step happens once: it is written to the booking's
history, and its message goes through the outbox with a send-once key.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.bookings.notices import Notice, answer_buttons, send_to_consultant, send_to_owner
from bot.bookings.offered import office_of
from bot.bookings.words import business_name, when
from bot.flows.base import choices, go
from core.i18n import _
from core.kabupaten import Profile
from core.office_time import Office, booking_hours, office_time_after, working_days_after
from storage.bookings import BookingDetails, has_event, note_event, waiting_requests
from storage.db import transaction
from storage.help_requests import add_request

NUDGED = "nudged"
ESCALATED = "escalated"


def _asked_at(details: BookingDetails) -> datetime:
    """When the request was made, as aware UTC."""
    moment = details.booking.created_at
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _next_step(details: BookingDetails, now: datetime, office: Office) -> str | None:
    """What is due for a waiting request at `now`: escalate, nudge, or nothing."""
    rules, asked, booking = booking_hours(), _asked_at(details), details.booking
    if has_event(booking, ESCALATED):
        return None
    if now >= working_days_after(asked, rules.escalate_after_working_days, office):
        return ESCALATED
    if not has_event(booking, NUDGED) and now >= office_time_after(asked, rules.remind_after, office):
        return NUDGED
    return None


async def _nudge(session: AsyncSession, details: BookingDetails, now: datetime, profile: Profile) -> None:
    """Reminds the consultant (or the admins, when no chat is linked) once, with Terima / Tolak again."""
    zone = office_of(profile).zone
    line = _("{business} is still waiting for your answer about {when}.").format(
        business=business_name(details), when=when(details.slot.starts_at, zone)
    )
    notice = Notice(
        _("A request is waiting for your answer"),
        (line, _("Do you accept this booking?")),
        answer_buttons(details.booking.id),
    )
    key = f"booking:{details.booking.id}:{NUDGED}:consultant"
    await send_to_consultant(session, details, notice, key, now, zone)
    await note_event(session=session, booking=details.booking, event=NUDGED, now=now, by="system")


async def _escalate(session: AsyncSession, details: BookingDetails, now: datetime, profile: Profile) -> None:
    """Records a request for the secretariat and offers the owner another consultant."""
    zone = office_of(profile).zone
    start = when(details.slot.starts_at, zone)
    for_staff = _(
        "Consultation request {id} of {business} to {consultant} for {when} has had no answer for a working day."
    ).format(
        id=details.booking.id, business=business_name(details), consultant=details.consultant.name, when=start
    )
    await add_request(session=session, contact=details.owner, text=for_staff, now=now)
    line = _(
        "{name} has not answered your request for {when} yet. The Rumah UMKM team has been told and will follow it up."
    ).format(name=details.consultant.name, when=start)
    options = choices(
        (go("booking"), _("Choose another KKMB consultant")),
        (go("booking", "manage", details.booking.id), _("See my consultant booking")),
    )
    notice = Notice(
        _("No answer from the consultant yet"),
        (line, _("You may keep waiting, or choose another consultant.")),
        options,
    )
    await send_to_owner(
        session, details, notice, f"booking:{details.booking.id}:{ESCALATED}:owner", now, zone
    )
    await note_event(session=session, booking=details.booking, event=ESCALATED, now=now, by="system")


async def chase_unanswered(
    *, sessions: async_sessionmaker[AsyncSession], now: datetime, profile: Profile
) -> int:
    """Reminds consultants of requests waiting 4 office hours and escalates those waiting a working day; returns
    how many requests were chased."""
    office, chased = office_of(profile), 0
    async with transaction(sessions) as session:
        for details in await waiting_requests(session=session, now=now):
            step = _next_step(details, now, office)
            if step == ESCALATED:
                await _escalate(session, details, now, profile)
            elif step == NUDGED:
                await _nudge(session, details, now, profile)
            chased += step is not None
    return chased
