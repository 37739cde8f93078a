"""The booking job: reminders to both sides, the consultant's follow-up, and requests left unanswered (chased
by bot/bookings/nudges.py, expired here at their meeting time)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.bookings.notices import Notice, event_key, rebook_buttons, send_to_consultant, send_to_owner
from bot.bookings.nudges import chase_unanswered
from bot.bookings.words import business_name, consultant_label, place_label, topic_labels, when
from bot.flows.base import choices, go
from core.booking import DAY_BEFORE, EXPIRED, FOLLOW_UP, FOLLOW_UP_FOR, Reminder, due_reminders
from core.i18n import _
from storage.bookings import (
    BookingDetails,
    change_status,
    confirmed_between,
    existing_send_keys,
    unanswered_started,
)
from storage.db import transaction

if TYPE_CHECKING:
    from bot.services import Services

log = logging.getLogger(__name__)

LOOK_AHEAD = timedelta(days=2)


def reminder_key(details: BookingDetails, kind: str, side: str) -> str:
    """The send-once key of a reminder: booking, slot, kind and side."""
    return f"booking:{details.booking.id}:slot:{details.slot.id}:{kind}:{side}"


def reminder_notice(details: BookingDetails, reminder: Reminder, side: str, zone: ZoneInfo) -> Notice:
    """The text and buttons of one reminder to one side."""
    booking_id, start = details.booking.id, when(details.slot.starts_at, zone)
    place = place_label(details.slot.place)
    if reminder.kind == FOLLOW_UP:
        line = _("{business}, {when}. Please record how it went.").format(
            business=business_name(details), when=start
        )
        options = choices(
            (go("consultant", "done", booking_id), _("Record the consultation result")),
            (go("consultant", "no_show", booking_id), _("The owner did not come")),
        )
        return Notice(_("How did the consultation go?"), (line,), options)
    headline = (
        _("Consultation reminder") if reminder.kind == DAY_BEFORE else _("Your consultation starts soon")
    )
    if side == "owner":
        line = _("You meet KKMB consultant {consultant} on {when}, {place}.").format(
            consultant=consultant_label(details.consultant), when=start, place=place
        )
        hint = _("Bring your KTP and your business notes. Cannot come? Move or cancel the booking here.")
        return Notice(
            headline,
            (line, hint),
            choices((go("booking", "manage", booking_id), _("See my consultant booking"))),
        )
    topic = topic_labels().get(details.booking.topic, details.booking.topic)
    line = _("{when}: {business} ({topic}), {place}.").format(
        when=start, business=business_name(details), topic=topic, place=place
    )
    return Notice(headline, (line,), choices((go("consultant", "detail", booking_id), _("See the booking"))))


async def send_booking_reminders(
    *, sessions: async_sessionmaker[AsyncSession], now: datetime, zone: ZoneInfo
) -> int:
    """Queues every reminder and follow-up now due for confirmed bookings, each once; returns how many were queued."""
    async with transaction(sessions) as session:
        bookings = await confirmed_between(
            session=session, ends_after=now - FOLLOW_UP_FOR, starts_before=now + LOOK_AHEAD
        )
        planned = [
            (details, reminder, side)
            for details in bookings
            for reminder in due_reminders(details.slot.starts_at, details.slot.ends_at, now, zone)
            for side in (("owner", "consultant") if reminder.owner else ("consultant",))
        ]
        keys = [reminder_key(details, reminder.kind, side) for details, reminder, side in planned]
        done = await existing_send_keys(session=session, keys=keys)
        queued = 0
        for (details, reminder, side), key in zip(planned, keys, strict=True):
            if key in done:
                continue
            notice = reminder_notice(details, reminder, side, zone)
            if side == "owner":
                queued += await send_to_owner(session, details, notice, key, now, zone)
            else:
                queued += await send_to_consultant(
                    session, details, notice, key, now, zone, admins_if_unlinked=False
                )
        return queued


async def expire_unanswered(
    *, sessions: async_sessionmaker[AsyncSession], now: datetime, zone: ZoneInfo
) -> int:
    """Expires requests the consultant never answered before the meeting time, telling each owner; returns how many."""
    async with transaction(sessions) as session:
        stale = await unanswered_started(session=session, now=now)
        for details in stale:
            await change_status(
                session=session, booking=details.booking, status=EXPIRED, now=now, by="system"
            )
            line = _(
                "{name} could not answer your request for {when} in time, sorry. Please choose another time or another consultant."
            )
            line = line.format(name=details.consultant.name, when=when(details.slot.starts_at, zone))
            notice = Notice(_("Booking request not answered"), (line,), rebook_buttons(details.booking.id))
            await send_to_owner(session, details, notice, event_key(details, "owner"), now, zone)
        return len(stale)


def booking_job(services: Services) -> Callable[[], Awaitable[int]]:
    """The worker's every-minute booking job: expire unanswered requests, chase waiting ones, send due reminders."""

    async def run() -> int:
        """One round of the booking job; a failing part is logged and tried again next round."""
        now, zone, profile, done = services.clock.now(), services.settings.zone, services.settings.profile, 0
        works: tuple[tuple[str, Callable[[], Awaitable[int]]], ...] = (
            ("expire_unanswered", lambda: expire_unanswered(sessions=services.sessions, now=now, zone=zone)),
            (
                "chase_unanswered",
                lambda: chase_unanswered(sessions=services.sessions, now=now, profile=profile),
            ),
            (
                "send_booking_reminders",
                lambda: send_booking_reminders(sessions=services.sessions, now=now, zone=zone),
            ),
        )
        for name, work in works:
            try:
                done += await work()
            except Exception:
                log.exception("booking job: %s failed; trying again next round", name)
        return done

    return run
