"""How a booking reads: topics, places, statuses, times, and the summaries owners and consultants see."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.flows.common import mask_nik
from core.booking import CANCELLED, CONFIRMED, DECLINED, DONE, EXPIRED, NO_SHOW, REQUESTED, TOPICS
from core.classification import SizeClass
from core.eligibility import Status
from core.explain import verdict
from core.formatting import appointment, long_date, rupiah
from core.i18n import _
from storage.bookings import BookingDetails
from storage.checks import latest_check
from storage.models import Consultant, Slot


def topic_labels() -> dict[str, str]:
    """The owner-facing name of every booking topic."""
    labels = {
        "kur": _("Booking topic: KUR application"),
        "subsidi_daerah": _("Booking topic: regional credit subsidy"),
        "perizinan": _("Booking topic: business licences (NIB, SKU)"),
        "pembukuan": _("Booking topic: bookkeeping"),
        "lainnya": _("Booking topic: something else"),
    }
    return {topic: labels[topic] for topic in TOPICS}


def place_label(place: str) -> str:
    """Where a meeting happens, in words."""
    labels = {
        "secretariat": _("Meeting place: at the Rumah UMKM secretariat"),
        "phone": _("Meeting place: by phone"),
        "video": _("Meeting place: by video call"),
    }
    return labels.get(place, place)


def status_label(status: str, *, for_consultant: bool = False) -> str:
    """A booking's status, in words for the owner or for the consultant."""
    labels = {
        REQUESTED: _("Booking status: waiting for your answer")
        if for_consultant
        else _("Booking status: waiting for the consultant's answer"),
        CONFIRMED: _("Booking status: confirmed"),
        DECLINED: _("Booking status: declined"),
        CANCELLED: _("Booking status: cancelled by the owner"),
        DONE: _("Booking status: done"),
        NO_SHOW: _("Booking status: owner did not come"),
        EXPIRED: _("Booking status: expired without an answer"),
    }
    return labels.get(status, status)


def when(moment: datetime, zone: ZoneInfo) -> str:
    """A meeting time as 'Senin, 23 November 2026 09.00 WIB' in the kabupaten's zone."""
    return appointment(moment.astimezone(zone), zone.key)


def slot_label(slot: Slot, zone: ZoneInfo) -> str:
    """A slot as an option: time and place."""
    return f"{when(slot.starts_at, zone)}, {place_label(slot.place)}"


def consultant_label(consultant: Consultant) -> str:
    """A consultant as 'Siti Rahmawati (BRI Unit Muara Enim)'."""
    return f"{consultant.name} ({consultant.bank})"


def business_name(details: BookingDetails) -> str:
    """The booked business's name, or a stand-in when its data was erased."""
    return details.business.name if details.business else _("(business data not available)")


def _size_label(value: str) -> str:
    """A stored size class in words."""
    try:
        return SizeClass(value).label
    except ValueError:
        return value


async def verdict_line(session: AsyncSession, owner_contact_id: int) -> str:
    """The owner's latest eligibility verdict: best (or first-ranked) scheme, verdict and date."""
    check = await latest_check(session=session, contact_id=owner_contact_id)
    if check is None or not check.result:
        return _("Last eligibility check: none yet")
    entry = check.result.get(check.best_scheme or "") or min(check.result.values(), key=lambda e: e["rank"])
    return _("Last eligibility check: {scheme}: {verdict} ({day})").format(
        scheme=entry["name"], verdict=verdict(Status(entry["status"])), day=long_date(check.checked_on)
    )


async def consultant_summary(session: AsyncSession, details: BookingDetails, zone: ZoneInfo) -> list[str]:
    """What a consultant sees of a booking: time, place, business summary, topic, note, verdict, masked NIK."""
    booking, business = details.booking, details.business
    lines = [f"{when(details.slot.starts_at, zone)}, {place_label(details.slot.place)}"]
    if business is None:
        lines.append(business_name(details))
    else:
        lines += [
            _("Business: {name} ({size})").format(name=business.name, size=_size_label(business.size_class)),
            _("Owner: {name}, Kecamatan {kecamatan}").format(
                name=business.owner_name, kecamatan=business.kecamatan
            ),
            _("Turnover: {amount} a month").format(amount=rupiah(business.monthly_turnover)),
        ]
    lines.append(
        _("Consultation topic: {topic}").format(topic=topic_labels().get(booking.topic, booking.topic))
    )
    if booking.note:
        lines.append(_("Owner's note: {note}").format(note=booking.note))
    lines.append(await verdict_line(session, booking.owner_contact_id))
    if business is not None and business.nik:
        lines.append(_("Owner's NIK (masked): {nik}").format(nik=mask_nik(business.nik)))
    return lines


def request_lines(
    consultant: Consultant, slot: Slot, topic: str, note: str | None, zone: ZoneInfo
) -> list[str]:
    """What an owner sees of a booking or request: consultant, time and place, topic, note."""
    lines = [
        _("KKMB consultant: {consultant}").format(consultant=consultant_label(consultant)),
        _("Consultation time: {when}").format(when=slot_label(slot, zone)),
        _("Consultation topic: {topic}").format(topic=topic_labels().get(topic, topic)),
    ]
    if note:
        lines.append(_("Your note: {note}").format(note=note))
    return lines


def owner_summary(details: BookingDetails, zone: ZoneInfo) -> list[str]:
    """What an owner sees of a booking."""
    booking = details.booking
    return request_lines(details.consultant, details.slot, booking.topic, booking.note, zone)
