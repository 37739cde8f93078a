"""Consultant bookings: free slots, booking and rescheduling under the database's uniqueness rules, status changes.

The partial unique indexes (see models.Booking) are the real guard against two people taking one slot and against
two active bookings of one owner with one consultant: inserts and slot moves run in a SAVEPOINT and a violation
comes back as SlotTaken or AlreadyBooked, with the surrounding transaction still usable.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import exists
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.booking import ACTIVE, CONFIRMED, REQUESTED, check_move
from storage.models import Booking, Business, Consultant, Contact, Outbox, Slot

OwnerContact = aliased(Contact)
ConsultantContact = aliased(Contact)


class SlotTaken(Exception):
    """The slot already holds an active booking (someone was quicker)."""


class AlreadyBooked(Exception):
    """The owner already has an active booking with this consultant."""

    def __init__(self, booking: Booking) -> None:
        """Keeps the booking the owner already has."""
        super().__init__(f"owner already has booking {booking.id} with this consultant")
        self.booking = booking


@dataclass(frozen=True)
class BookingDetails:
    """A booking with everything shown about it: its slot, consultant, owner, business and consultant's chat."""

    booking: Booking
    slot: Slot
    consultant: Consultant
    owner: Contact
    business: Business | None
    consultant_contact: Contact | None


def _event(now: datetime, event: str, by: str, **extra: Any) -> dict[str, Any]:
    """One entry of a booking's history."""
    return {"at": now.isoformat(), "event": event, "by": by, **extra}


def _details_query() -> Any:
    """Bookings joined with what is shown about them."""
    return (
        select(Booking, Slot, Consultant, OwnerContact, Business, ConsultantContact)
        .join(Slot, col(Slot.id) == Booking.slot_id)
        .join(Consultant, col(Consultant.id) == Booking.consultant_id)
        .join(OwnerContact, col(OwnerContact.id) == Booking.owner_contact_id)
        .outerjoin(Business, col(Business.id) == Booking.business_id)
        .outerjoin(ConsultantContact, col(ConsultantContact.id) == Consultant.contact_id)
    )


async def _details(session: AsyncSession, query: Any) -> list[BookingDetails]:
    """Runs a details query."""
    return [BookingDetails(*row) for row in (await session.exec(query)).all()]


async def free_slots(
    *, session: AsyncSession, consultant_id: int, after: datetime, limit: int, exclude: Iterable[int] = ()
) -> list[Slot]:
    """An active consultant's slots starting after `after`, holding no active booking and not excluded, earliest first."""
    taken = exists().where(col(Booking.slot_id) == Slot.id, col(Booking.status).in_(ACTIVE))
    query = (
        select(Slot)
        .join(Consultant, col(Consultant.id) == Slot.consultant_id)
        .where(Slot.consultant_id == consultant_id, col(Consultant.active), Slot.starts_at > after, ~taken)
        .where(col(Slot.id).not_in(list(exclude)))
        .order_by(col(Slot.starts_at))
        .limit(limit)
    )
    return list((await session.exec(query)).all())


async def get_slot(*, session: AsyncSession, slot_id: int) -> Slot | None:
    """Loads a slot by id."""
    return await session.get(Slot, slot_id)


async def active_booking_with(
    *, session: AsyncSession, owner_contact_id: int, consultant_id: int
) -> Booking | None:
    """The owner's active (requested or confirmed) booking with a consultant, if any."""
    query = select(Booking).where(
        Booking.owner_contact_id == owner_contact_id,
        Booking.consultant_id == consultant_id,
        col(Booking.status).in_(ACTIVE),
    )
    return (await session.exec(query)).first()


async def book_slot(
    *,
    session: AsyncSession,
    owner_contact_id: int,
    business_id: int | None,
    slot: Slot,
    topic: str,
    note: str | None,
    now: datetime,
) -> Booking:
    """Requests a slot for an owner; raises SlotTaken or AlreadyBooked when the database refuses it."""
    booking = Booking(
        slot_id=slot.id,
        consultant_id=slot.consultant_id,
        owner_contact_id=owner_contact_id,
        business_id=business_id,
        topic=topic,
        note=note,
        status=REQUESTED,
        history=[_event(now, REQUESTED, "owner", slot_id=slot.id)],
        created_at=now,
        updated_at=now,
    )
    try:
        async with session.begin_nested():
            session.add(booking)
    except IntegrityError:
        existing = await active_booking_with(
            session=session, owner_contact_id=owner_contact_id, consultant_id=slot.consultant_id
        )
        if existing is not None:
            raise AlreadyBooked(existing) from None
        raise SlotTaken from None
    return booking


async def move_to_slot(*, session: AsyncSession, booking: Booking, slot: Slot, now: datetime, by: str) -> int:
    """Moves an active booking to another free slot of its consultant, freeing the old one; returns the old slot id."""
    if booking.status not in ACTIVE or slot.consultant_id != booking.consultant_id:
        raise ValueError("only an active booking moves, and only to a slot of its own consultant")
    old = booking.slot_id
    try:
        async with session.begin_nested():
            booking.slot_id, booking.updated_at = slot.id, now
            booking.history = [
                *booking.history,
                _event(now, "rescheduled", by, from_slot=old, to_slot=slot.id),
            ]
            session.add(booking)
    except IntegrityError:
        await session.refresh(booking)
        raise SlotTaken from None
    return old


async def change_status(
    *,
    session: AsyncSession,
    booking: Booking,
    status: str,
    now: datetime,
    by: str,
    reason: str | None = None,
    outcome: str | None = None,
) -> None:
    """Moves a booking to a new status (checked against core.booking.TRANSITIONS) and records the event."""
    check_move(booking.status, status)
    booking.status, booking.updated_at = status, now
    if reason is not None:
        booking.reason = reason
    if outcome is not None:
        booking.outcome = outcome
    extra = {key: value for key, value in (("reason", reason), ("outcome", outcome)) if value is not None}
    booking.history = [*booking.history, _event(now, status, by, **extra)]
    session.add(booking)
    await session.flush()


async def booking_details(
    *, session: AsyncSession, booking_id: int, lock: bool = False
) -> BookingDetails | None:
    """One booking with its slot, consultant, owner and business; `lock` holds the booking row until commit."""
    query = _details_query().where(col(Booking.id) == booking_id)
    if lock:
        query = query.with_for_update(of=Booking).execution_options(populate_existing=True)
    found = await _details(session, query)
    return found[0] if found else None


async def owner_upcoming(
    *, session: AsyncSession, owner_contact_id: int, now: datetime
) -> list[BookingDetails]:
    """An owner's active bookings whose meeting has not ended, earliest first."""
    query = (
        _details_query()
        .where(
            Booking.owner_contact_id == owner_contact_id,
            col(Booking.status).in_(ACTIVE),
            Slot.ends_at > now,
        )
        .order_by(col(Slot.starts_at))
    )
    return await _details(session, query)


async def consultant_agenda(*, session: AsyncSession, consultant_id: int, limit: int) -> list[BookingDetails]:
    """A consultant's active bookings (upcoming, and past ones still waiting for an outcome), earliest first."""
    query = (
        _details_query()
        .where(Booking.consultant_id == consultant_id, col(Booking.status).in_(ACTIVE))
        .order_by(col(Slot.starts_at))
        .limit(limit)
    )
    return await _details(session, query)


async def confirmed_between(
    *, session: AsyncSession, ends_after: datetime, starts_before: datetime
) -> list[BookingDetails]:
    """Confirmed bookings whose meeting ends after `ends_after` and starts before `starts_before`."""
    query = _details_query().where(
        Booking.status == CONFIRMED, Slot.ends_at > ends_after, Slot.starts_at < starts_before
    )
    return await _details(session, query.order_by(col(Slot.starts_at)))


async def unanswered_started(*, session: AsyncSession, now: datetime) -> list[BookingDetails]:
    """Requested bookings whose meeting time has come without an answer from the consultant."""
    query = _details_query().where(Booking.status == REQUESTED, Slot.starts_at <= now)
    return await _details(session, query.with_for_update(of=Booking))


async def waiting_requests(*, session: AsyncSession, now: datetime) -> list[BookingDetails]:
    """Requested bookings whose meeting is still ahead (the consultant may yet answer), locked until commit."""
    query = _details_query().where(Booking.status == REQUESTED, Slot.starts_at > now)
    return await _details(session, query.order_by(col(Booking.id)).with_for_update(of=Booking))


async def note_event(*, session: AsyncSession, booking: Booking, event: str, now: datetime, by: str) -> None:
    """Adds an event that does not change the status (e.g. the consultant was reminded) to a booking's history."""
    booking.history = [*booking.history, _event(now, event, by)]
    session.add(booking)
    await session.flush()


def has_event(booking: Booking, event: str) -> bool:
    """Whether a booking's history holds an event."""
    return any(entry.get("event") == event for entry in booking.history)


async def existing_send_keys(*, session: AsyncSession, keys: Iterable[str]) -> set[str]:
    """Which of these send-once keys are already in the outbox."""
    wanted = list(keys)
    if not wanted:
        return set()
    return set((await session.exec(select(Outbox.send_key).where(col(Outbox.send_key).in_(wanted)))).all())
