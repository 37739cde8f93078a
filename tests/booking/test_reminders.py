"""Booking reminders with an injected clock: day before at 09.00, one hour before, follow-up; each exactly once.

Every test runs in WIB (Muara Enim), WITA and WIT (tests/profiles): slots in local office hours, reminders at
local times.
"""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

import pytest

from bot.bookings import jobs as booking
from bot.bookings.jobs import booking_job, expire_unanswered, send_booking_reminders
from bot.flows.base import go
from bot.jobs import JOBS
from core.booking import EXPIRED
from core.kabupaten import Profile
from storage.db import make_engine, session_maker
from tests.booking.conftest import World
from tests.booking.test_owner_flow import MONDAY_9, _book_monday_9
from tests.profiles import ZONED


@pytest.fixture(params=list(ZONED.values()), ids=list(ZONED))
def profile(request: pytest.FixtureRequest) -> Profile:
    """The booking world's kabupaten: WIB, WITA and WIT."""
    return request.param


def _at(world: World, day: int, hour: int, minute: int = 0) -> datetime:
    """A moment in November 2026, local to the world's kabupaten, as aware UTC."""
    return datetime(2026, 11, day, hour, minute, tzinfo=world.zone).astimezone(UTC)


async def _confirmed_monday_9(world: World) -> int:
    """Budi books Siti on Monday 09.00 and Siti accepts; returns the booking id."""
    owner = await world.owner("budi", channel="whatsapp")
    siti = await world.link(world.siti, "tg-siti")
    await _book_monday_9(owner)
    [booking] = await world.bookings()
    await siti.say(choice=go("consultant", "accept", booking.id))
    return booking.id


async def _remind(world: World, day: int, hour: int, minute: int = 0) -> int:
    """Moves the clock and runs the reminder round."""
    world.clock.moment = _at(world, day, hour, minute)
    return await send_booking_reminders(sessions=world.sessions, now=world.clock.now(), zone=world.zone)


async def test_each_reminder_goes_once_to_each_side_even_across_a_restart(world: World, db_url: str) -> None:
    booking_id = await _confirmed_monday_9(world)
    slot_id = (await world.slots(world.siti))[0].id
    before = {row.id for row in await world.outbox()}
    assert await _remind(world, 21, 10) == 0
    assert await _remind(world, 22, 8, 59) == 0
    assert await _remind(world, 22, 9) == 2
    assert await _remind(world, 22, 9, 1) == 0
    assert await _remind(world, 22, 20) == 0

    restarted = make_engine(db_url)  # a new worker process: nothing kept in memory
    try:
        world.sessions = session_maker(restarted)
        assert await _remind(world, 23, 8) == 2
        assert await _remind(world, 23, 8, 30) == 0
        assert await _remind(world, 23, 10) == 1
        assert await _remind(world, 23, 11) == 0
    finally:
        await restarted.dispose()

    rows = [row for row in await world.outbox() if row.id not in before]
    prefix = f"booking:{booking_id}:slot:{slot_id}"
    assert [(row.send_key, row.kind, row.recipient) for row in rows] == [
        (f"{prefix}:day_before:owner", "booking_confirmation", "budi"),
        (f"{prefix}:day_before:consultant", "consultant_notification", "tg-siti"),
        (f"{prefix}:hour_before:owner", "booking_confirmation", "budi"),
        (f"{prefix}:hour_before:consultant", "consultant_notification", "tg-siti"),
        (f"{prefix}:follow_up:consultant", "consultant_notification", "tg-siti"),
    ]
    day_owner, day_consultant, hour_owner, _, follow_up = rows
    monday_9 = world.local(MONDAY_9)
    assert day_owner.variables == {"1": "Pengingat konsultasi", "2": monday_9, "3": "Siti Rahmawati"}
    assert (
        f"Anda bertemu konsultan KKMB Siti Rahmawati (BRI Unit Muara Enim) pada {monday_9}" in day_owner.body
    )
    assert day_owner.options == [
        {"id": go("booking", "manage", booking_id), "label": "Lihat janji temu saya"}
    ]
    assert day_consultant.variables == {"1": "Pengingat konsultasi", "2": monday_9, "3": "Warung budi"}
    assert f"{monday_9}: Warung budi (Pengajuan KUR), di Sekretariat Rumah UMKM." in day_consultant.body
    assert hour_owner.variables["1"] == "Konsultasi sebentar lagi dimulai"
    assert [option["id"] for option in follow_up.options] == [
        go("consultant", "done", booking_id),
        go("consultant", "no_show", booking_id),
    ]


async def test_no_reminder_for_a_cancelled_or_unconfirmed_booking(world: World) -> None:
    booking_id = await _confirmed_monday_9(world)
    owner = world.chat("budi", "whatsapp")
    await owner.say(choice=go("booking", "manage", booking_id))
    await owner.walk([("Batalkan janji temu", []), ("Ya, batalkan", ["sudah dibatalkan"])])
    ani = await world.owner("ani")
    await _book_monday_9(ani)  # requested, never confirmed
    before = len(await world.outbox())
    for day, hour in ((22, 9), (23, 8), (23, 10)):
        assert await _remind(world, day, hour) == 0
    assert len(await world.outbox()) == before


async def test_a_moved_booking_is_reminded_of_its_new_time(world: World) -> None:
    booking_id = await _confirmed_monday_9(world)
    assert await _remind(world, 22, 9) == 2
    world.clock.moment = _at(world, 22, 10)
    owner = world.chat("budi", "whatsapp")
    await owner.say(choice=go("booking", "manage", booking_id))
    await owner.walk(
        [("Ganti jadwal", []), ("Selasa, 24 November 2026 09.00", []), ("Ya, pindahkan", ["dipindah"])]
    )
    assert await _remind(world, 23, 9) == 2  # the day before Tuesday, for the new slot
    assert await _remind(world, 24, 8) == 2


async def test_an_unanswered_request_expires_at_its_time_and_the_owner_may_pick_another(world: World) -> None:
    owner = await world.owner("budi", channel="whatsapp")
    await _book_monday_9(owner)
    world.clock.moment = _at(world, 23, 8, 59)
    assert await expire_unanswered(sessions=world.sessions, now=world.clock.now(), zone=world.zone) == 0
    world.clock.moment = _at(world, 23, 9)
    assert await expire_unanswered(sessions=world.sessions, now=world.clock.now(), zone=world.zone) == 1
    assert await expire_unanswered(sessions=world.sessions, now=world.clock.now(), zone=world.zone) == 0
    [booking] = await world.bookings()
    assert booking.status == EXPIRED
    [row] = await world.outbox(kind="booking_confirmation")
    assert row.send_key == f"booking:{booking.id}:2:expired:owner"
    assert "Maaf, Siti Rahmawati belum sempat menjawab" in row.body
    text = await owner.say(choice=row.options[0]["id"])
    assert (
        "Waktu kosong Siti Rahmawati" in text
        and world.local("1. Selasa, 24 November 2026 09.00 WIB") in text  # a working day ahead
    )


async def test_the_worker_runs_the_booking_job_every_minute(world: World) -> None:
    [job] = [job for job in JOBS if job.id == "booking_reminders"]
    assert job.seconds == 60
    await _confirmed_monday_9(world)
    world.clock.moment = _at(world, 22, 9)
    services = SimpleNamespace(
        sessions=world.sessions,
        clock=world.clock,
        settings=SimpleNamespace(zone=world.zone, profile=world.profile),
    )
    run = job.build(services)
    assert job.build is booking_job
    assert await run() == 2 and await run() == 0


async def test_a_failing_part_of_the_job_does_not_stop_the_reminders(
    world: World, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    await _confirmed_monday_9(world)

    async def broken(**_: object) -> int:
        """Stands for an expiry round that fails."""
        raise RuntimeError("database hiccup")

    monkeypatch.setattr(booking, "expire_unanswered", broken)
    world.clock.moment = _at(world, 22, 9)
    services = SimpleNamespace(
        sessions=world.sessions,
        clock=world.clock,
        settings=SimpleNamespace(zone=world.zone, profile=world.profile),
    )
    assert await booking_job(services)() == 2
    assert "booking job: expire_unanswered failed" in caplog.text
