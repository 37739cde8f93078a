"""Requests left unanswered, with an injected clock in WIB, WITA and WIT: the consultant is reminded once after 4
office hours; after a working day the secretariat gets a request and the owner is offered another consultant, whose
plain-WhatsApp '1' opens the booking again. Office time skips lunch, nights and weekends."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlmodel import col, select

from bot.bookings.nudges import chase_unanswered
from bot.flows.base import go
from core.kabupaten import Profile
from storage.help_requests import open_requests
from storage.models import Booking
from tests.booking.conftest import World
from tests.booking.test_owner_flow import TO_SITI, _book_monday_9
from tests.profiles import ZONED


@pytest.fixture(params=list(ZONED.values()), ids=list(ZONED))
def profile(request: pytest.FixtureRequest) -> Profile:
    """The booking world's kabupaten: WIB, WITA and WIT."""
    return request.param


def _at(world: World, day: int, hour: int, minute: int = 0) -> datetime:
    """A moment in November 2026, local to the world's kabupaten, as aware UTC."""
    return datetime(2026, 11, day, hour, minute, tzinfo=world.zone).astimezone(UTC)


async def _chase(world: World, day: int, hour: int, minute: int = 0) -> int:
    """Moves the clock and runs one chasing round."""
    world.clock.moment = _at(world, day, hour, minute)
    return await chase_unanswered(sessions=world.sessions, now=world.clock.now(), profile=world.profile)


async def _history(world: World) -> list[str]:
    """The events of the one booking."""
    async with world.sessions() as session:
        booking = (await session.exec(select(Booking).order_by(col(Booking.id)))).one()
        return [entry["event"] for entry in booking.history]


@pytest.mark.parametrize("channel", ["whatsapp", "console"])
async def test_a_waiting_request_is_reminded_once_then_escalated_once(world: World, channel: str) -> None:
    owner = await world.owner("budi", channel=channel)
    await world.link(world.siti, "tg-siti")
    await _book_monday_9(owner)  # Thursday 19 November, 10.00 local
    [booking] = await world.bookings()

    assert await _chase(world, 19, 14, 59) == 0  # 10-12 and 13-14.59: not yet 4 office hours
    assert await _chase(world, 19, 15) == 1
    assert await _chase(world, 19, 20) == 0
    [nudge] = await world.outbox(send_key=f"booking:{booking.id}:nudged:consultant")
    assert nudge.recipient == "tg-siti" and "Warung budi masih menunggu jawaban Anda" in nudge.body
    assert [option["id"] for option in nudge.options] == [
        go("consultant", "accept", booking.id),
        go("consultant", "decline", booking.id),
    ]

    assert await _chase(world, 20, 9, 59) == 0
    assert await _chase(world, 20, 10) == 1  # a working day after the request
    assert await _chase(world, 20, 11) == 0
    assert await _history(world) == ["requested", "nudged", "escalated"]
    async with world.sessions() as session:
        [(request, contact)] = await open_requests(session=session)
    assert contact is not None and contact.external_id == "budi"
    assert f"Permintaan konsultasi {booking.id} dari Warung budi ke Siti Rahmawati" in request.text
    [told] = await world.outbox(send_key=f"booking:{booking.id}:escalated:owner")
    assert (
        "Siti Rahmawati belum menjawab permintaan Anda" in told.body
        and "Tim Rumah UMKM sudah diberi tahu" in told.body
    )

    text = await owner.say("1")  # plain text answers the pushed message
    assert "Mau konsultasi tentang apa" in text
    [booking] = await world.bookings()
    assert booking.status == "requested"  # the first request stands until Siti answers or its time comes


async def test_an_answered_request_is_not_chased(world: World) -> None:
    owner = await world.owner("budi", channel="whatsapp")
    siti = await world.link(world.siti, "tg-siti")
    await _book_monday_9(owner)
    [booking] = await world.bookings()
    await siti.say(choice=go("consultant", "accept", booking.id))
    assert await _chase(world, 20, 12) == 0
    assert await world.outbox(send_key=f"booking:{booking.id}:nudged:consultant") == []


async def test_a_friday_evening_request_is_chased_on_monday_not_over_the_weekend(world: World) -> None:
    owner = await world.owner("budi", channel="whatsapp")
    await world.link(world.siti, "tg-siti")
    world.clock.moment = _at(world, 20, 16)  # Friday after closing
    await owner.walk(
        [
            *TO_SITI[:3],
            ("Siti", [world.local("1. Selasa, 24 November 2026 09.00 WIB")]),
            ("1", ["Lewati"]),
            ("Lewati", ["Periksa"]),
            ("ya", ["sudah dikirim"]),
        ]
    )
    assert await _chase(world, 21, 10) == 0 and await _chase(world, 22, 20) == 0
    assert await _chase(world, 23, 11, 59) == 0  # Monday 08-12
    assert await _chase(world, 23, 12) == 1
    assert await _history(world) == ["requested", "nudged"]
    assert await _chase(world, 23, 23) == 0
    assert await _chase(world, 24, 8) == 1  # a working day after Monday 08.00, an hour before the meeting
    assert await _history(world) == ["requested", "nudged", "escalated"]
