"""The database's booking guarantees: one active booking per slot and per owner and consultant; savepoints keep going."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy.exc import IntegrityError
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.booking import BookingStateError
from storage.bookings import (
    AlreadyBooked,
    SlotTaken,
    active_booking_with,
    book_slot,
    change_status,
    free_slots,
    move_to_slot,
)
from storage.consultants import consultant_of_contact, link_contact, set_link_code
from storage.contacts import get_or_create_contact
from storage.models import Booking, Contact, Slot
from tests.booking.conftest import World


async def _owners(world: World, *names: str) -> list[int]:
    """Contact ids of owners."""
    async with world.sessions.begin() as session:
        return [
            (
                await get_or_create_contact(
                    session=session, channel="console", external_id=name, now=world.clock.now()
                )
            ).id
            for name in names
        ]


async def _book(session: AsyncSession, owner: int, slot: Slot, now: datetime) -> Booking:
    """Books a slot for an owner, topic KUR, no business or note."""
    return await book_slot(
        session=session, owner_contact_id=owner, business_id=None, slot=slot, topic="kur", note=None, now=now
    )


async def test_a_taken_slot_is_refused_and_the_transaction_goes_on(world: World) -> None:
    ani, budi = await _owners(world, "ani", "budi")
    slots = await world.slots(world.siti)
    now = world.clock.now()
    async with world.sessions.begin() as session:
        await _book(session, ani, slots[0], now)
    async with world.sessions.begin() as session:
        with pytest.raises(SlotTaken):
            await _book(session, budi, slots[0], now)
        booking = await _book(session, budi, slots[1], now)
        assert booking.id is not None
        with pytest.raises(AlreadyBooked) as refused:
            await _book(session, budi, slots[2], now)
        assert refused.value.booking.id == booking.id
    free = await _free(world, after=now)
    assert [slot.id for slot in free[:2]] == [slots[2].id, slots[3].id]


async def _free(world: World, *, after, exclude=()) -> list[Slot]:
    """Siti's free slots."""
    async with world.sessions() as session:
        return await free_slots(
            session=session, consultant_id=world.siti, after=after, limit=5, exclude=exclude
        )


async def test_the_owner_consultant_index_holds_in_the_database_itself(world: World) -> None:
    [ani] = await _owners(world, "ani")
    slots = await world.slots(world.siti)
    now = world.clock.now()

    def row(slot: Slot, status: str) -> Booking:
        """A booking of Ani with Siti in a given status."""
        return Booking(
            slot_id=slot.id,
            consultant_id=world.siti,
            owner_contact_id=ani,
            topic="kur",
            status=status,
            created_at=now,
            updated_at=now,
        )

    async with world.sessions.begin() as session:
        session.add_all([row(slots[0], "declined"), row(slots[1], "done"), row(slots[2], "confirmed")])
    with pytest.raises(IntegrityError):
        async with world.sessions.begin() as session:
            session.add(row(slots[3], "requested"))
    andi_slot = (await world.slots(world.andi))[0]
    async with world.sessions.begin() as session:  # another consultant is fine
        session.add(
            Booking(
                slot_id=andi_slot.id,
                consultant_id=world.andi,
                owner_contact_id=ani,
                topic="kur",
                created_at=now,
                updated_at=now,
            )
        )


async def test_moving_to_a_taken_slot_leaves_the_booking_where_it_was(world: World) -> None:
    ani, budi = await _owners(world, "ani", "budi")
    slots = await world.slots(world.siti)
    now = world.clock.now()
    async with world.sessions.begin() as session:
        mine = await _book(session, ani, slots[0], now)
        await _book(session, budi, slots[1], now)
    async with world.sessions.begin() as session:
        booking = await session.get(Booking, mine.id)
        with pytest.raises(SlotTaken):
            await move_to_slot(session=session, booking=booking, slot=slots[1], now=now, by="owner")
        assert booking.slot_id == slots[0].id and len(booking.history) == 1
        assert (
            await move_to_slot(session=session, booking=booking, slot=slots[2], now=now, by="owner")
            == slots[0].id
        )
    async with world.sessions() as session:
        moved = await session.get(Booking, mine.id)
        assert moved.slot_id == slots[2].id and [e["event"] for e in moved.history] == [
            "requested",
            "rescheduled",
        ]
        assert await active_booking_with(session=session, owner_contact_id=ani, consultant_id=world.siti)
    assert slots[0].id in [slot.id for slot in await _free(world, after=now)]


async def test_a_finished_booking_cannot_come_back(world: World) -> None:
    [ani] = await _owners(world, "ani")
    slot = (await world.slots(world.siti))[0]
    now = world.clock.now()
    async with world.sessions.begin() as session:
        booking = await _book(session, ani, slot, now)
        await change_status(
            session=session, booking=booking, status="declined", now=now, by="consultant", reason="rapat"
        )
        with pytest.raises(BookingStateError):
            await change_status(
                session=session, booking=booking, status="confirmed", now=now, by="consultant"
            )
    assert [e["event"] for e in booking.history] == ["requested", "declined"] and booking.reason == "rapat"


async def test_link_contact_uses_the_code_once(world: World) -> None:
    async with world.sessions.begin() as session:
        await set_link_code(session=session, consultant_id=world.siti, code="KKMB-7Q2M9X")
        contact = await get_or_create_contact(
            session=session, channel="telegram", external_id="tg", now=world.clock.now()
        )
        assert (await link_contact(session=session, code="KKMB-7Q2M9X", contact=contact)).id == world.siti
        assert await link_contact(session=session, code="KKMB-7Q2M9X", contact=contact) is None
        assert (await consultant_of_contact(session=session, contact_id=contact.id)).id == world.siti
        role = (await session.exec(select(Contact.role).where(Contact.id == contact.id))).one()
        assert role == "consultant"
