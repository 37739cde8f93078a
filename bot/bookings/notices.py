"""Booking notices through the outbox: to the owner, to the consultant (or the admins), and cancelling with word sent.

WhatsApp templates outside the 24-hour window take `variables`: consultant_notification {"1": headline,
"2": time, "3": business}; booking_confirmation {"1": headline, "2": time, "3": consultant}.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.bookings.words import business_name, consultant_summary, slot_label, when
from bot.flows.base import Ctx, choices, go
from bot.messages import Option
from core.booking import CANCELLED, REQUESTED
from core.i18n import _
from storage.bookings import BookingDetails, change_status, owner_upcoming
from storage.contacts import contacts_with_role
from storage.models import Contact
from storage.outbox import enqueue

log = logging.getLogger(__name__)

TO_CONSULTANT = "consultant_notification"
TO_OWNER = "booking_confirmation"


@dataclass(frozen=True)
class Notice:
    """A business-initiated message about a booking: headline, lines and buttons."""

    headline: str
    lines: tuple[str, ...]
    options: tuple[Option, ...] = ()

    @property
    def body(self) -> str:
        """The full text: the headline in bold, then the lines."""
        return "\n".join([f"*{self.headline}*", *self.lines])


async def _send(
    session: AsyncSession,
    to: Contact | None,
    kind: str,
    notice: Notice,
    variables: dict[str, str],
    key: str,
    now: datetime,
) -> bool:
    """Queues a notice once for a reachable contact; False when there is nobody to send to or it was queued before."""
    if to is None or to.erased_at is not None:
        return False
    row = await enqueue(
        session=session,
        channel=to.channel,
        recipient=to.external_id,
        kind=kind,
        body=notice.body,
        send_key=key,
        now=now,
        contact_id=to.id,
        options=notice.options,
        variables=variables,
    )
    return row is not None


def event_key(details: BookingDetails, side: str) -> str:
    """The send-once key of a notice about the booking's latest event (history index and event name)."""
    booking = details.booking
    return f"booking:{booking.id}:{len(booking.history)}:{booking.history[-1]['event']}:{side}"


async def send_to_owner(
    session: AsyncSession, details: BookingDetails, notice: Notice, key: str, now: datetime, zone: ZoneInfo
) -> bool:
    """Queues a notice to the booking's owner (kind booking_confirmation)."""
    variables = {"1": notice.headline, "2": when(details.slot.starts_at, zone), "3": details.consultant.name}
    return await _send(session, details.owner, TO_OWNER, notice, variables, key, now)


async def send_to_consultant(
    session: AsyncSession,
    details: BookingDetails,
    notice: Notice,
    key: str,
    now: datetime,
    zone: ZoneInfo,
    *,
    admins_if_unlinked: bool = True,
) -> int:
    """Queues a notice to the consultant, or, when no chat is linked, to every admin; returns how many were queued."""
    variables = {"1": notice.headline, "2": when(details.slot.starts_at, zone), "3": business_name(details)}
    if details.consultant_contact is not None:
        return int(
            await _send(session, details.consultant_contact, TO_CONSULTANT, notice, variables, key, now)
        )
    if not admins_if_unlinked:
        return 0
    admins = await contacts_with_role(session=session, role="admin")
    if not admins:
        log.warning(
            "booking %s: consultant %s has no chat and there is no admin",
            details.booking.id,
            details.consultant.id,
        )
    unlinked = _(
        "For consultant {name}, who has not linked a chat yet (umkm consultant link-code {id}):"
    ).format(name=details.consultant.name, id=details.consultant.id)
    forwarded = Notice(notice.headline, (unlinked, *notice.lines), notice.options)
    sent = 0
    for admin in admins:
        sent += await _send(
            session, admin, TO_CONSULTANT, forwarded, variables, f"{key}:admin:{admin.id}", now
        )
    return sent


def answer_buttons(booking_id: int) -> tuple[Option, ...]:
    """The consultant's Terima / Tolak buttons for a request."""
    return choices(
        (go("consultant", "accept", booking_id), _("Accept the booking")),
        (go("consultant", "decline", booking_id), _("Decline the booking")),
    )


def rebook_buttons(booking_id: int) -> tuple[Option, ...]:
    """The owner's buttons after a refusal: other times with the same consultant, or another consultant."""
    return choices(
        (go("booking", "rebook", booking_id), _("Choose another consultation time")),
        (go("booking"), _("Choose another KKMB consultant")),
    )


async def notify_consultant_of_request(
    session: AsyncSession, details: BookingDetails, now: datetime, zone: ZoneInfo
) -> int:
    """Tells the consultant (or the admins) about a new request, with the business summary and Terima / Tolak."""
    lines = await consultant_summary(session, details, zone)
    notice = Notice(
        _("New booking request"),
        (*lines, _("Do you accept this booking?")),
        answer_buttons(details.booking.id),
    )
    return await send_to_consultant(session, details, notice, event_key(details, "consultant"), now, zone)


async def notify_consultant_of_move(
    session: AsyncSession, details: BookingDetails, old: str, now: datetime, zone: ZoneInfo
) -> int:
    """Tells the consultant a booking moved, with Terima / Tolak again while it is still a request."""
    moved = _("{business} moved the booking\nfrom: {old}\nto: {new}").format(
        business=business_name(details), old=old, new=slot_label(details.slot, zone)
    )
    if details.booking.status == REQUESTED:
        lines = (moved, _("Do you accept this booking?"))
        options = answer_buttons(details.booking.id)
    else:
        lines = (moved, _("The booking stays confirmed; the old time is free again."))
        options = choices((go("consultant", "agenda"), _("Open my consultation agenda")))
    notice = Notice(_("Booking moved"), lines, options)
    return await send_to_consultant(session, details, notice, event_key(details, "consultant"), now, zone)


async def cancel_and_tell(ctx: Ctx, details: BookingDetails) -> str:
    """Cancels an owner's booking (freeing the slot), tells the consultant, and returns the meeting time."""
    start = when(details.slot.starts_at, ctx.zone)
    await change_status(
        session=ctx.session, booking=details.booking, status=CANCELLED, now=ctx.now, by="owner"
    )
    line = _("{business} cancelled the booking on {when}. The time is free again.")
    notice = Notice(_("Booking cancelled"), (line.format(business=business_name(details), when=start),))
    await send_to_consultant(
        ctx.session, details, notice, event_key(details, "consultant"), ctx.now, ctx.zone
    )
    return start


async def cancel_all_bookings(ctx: Ctx) -> int:
    """Cancels every upcoming booking of the owner and tells each consultant (used before erasing data)."""
    upcoming = await owner_upcoming(session=ctx.session, owner_contact_id=ctx.contact.id, now=ctx.now)
    for details in upcoming:
        await cancel_and_tell(ctx, details)
    return len(upcoming)
