"""Booking hours as transcripts on the console and plain WhatsApp: no slot on a holiday, over the Friday prayer or
the lunch hour, and nothing on Monday morning for a request made on Sunday evening."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from storage.consultants import add_slots
from tests.booking.conftest import World
from tests.booking.test_owner_flow import TO_SITI


def _local(world: World, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    """A local moment of the world's kabupaten in 2026, as aware UTC."""
    return datetime(2026, month, day, hour, minute, tzinfo=world.zone).astimezone(UTC)


async def _slots_to_siti(world: World, *starts: datetime) -> None:
    """Gives Siti extra hour-long slots, as an older generator (or a hand-made row) might have."""
    async with world.sessions.begin() as session:
        times = [(start, start + timedelta(hours=1)) for start in starts]
        await add_slots(session=session, consultant_id=world.siti, times=times, place="secretariat")


@pytest.mark.parametrize("channel", ["console", "whatsapp"])
async def test_sunday_evening_offers_tuesday_first(world: World, channel: str) -> None:
    owner = await world.owner("budi", channel=channel)
    world.clock.moment = _local(world, 11, 22, 19)
    text = (await owner.walk(TO_SITI[:3]), await owner.say("Siti"))[1]
    assert "Senin, 23 November" not in text
    assert "1. Selasa, 24 November 2026 09.00" in text


@pytest.mark.parametrize("channel", ["console", "whatsapp"])
async def test_holiday_prayer_and_lunch_slots_are_never_offered(world: World, channel: str) -> None:
    await _slots_to_siti(
        world,
        _local(world, 11, 24, 12),  # lunch
        _local(world, 11, 27, 11),  # into the Friday prayer
        _local(world, 11, 27, 12),
        _local(world, 11, 27, 13),  # after the prayer: fine
        _local(world, 12, 25, 9),  # Natal
        _local(world, 12, 24, 9),  # cuti bersama
    )
    owner = await world.owner("budi", channel=channel)
    await owner.walk(TO_SITI[:3])
    pages = [await owner.say("Siti")]
    while "Waktu berikutnya" in pages[-1]:
        pages.append(await owner.say("Waktu berikutnya"))
    offered = "\n".join(pages)
    assert "Jumat, 27 November 2026 13.00" in offered and "Kamis, 3 Desember 2026 11.00" in offered
    for never in ("12.00", "Jumat, 27 November 2026 11.00", "25 Desember", "24 Desember"):
        assert never not in offered
