"""Broadcast safety: quiet hours, cancel and pause mid-way, a killed worker, bad input, segments, templates."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlmodel import select

from bot import broadcast_fanout as fanout
from bot import broadcasts as service
from core.broadcasts import Segment
from storage import broadcasts as store
from storage.bookings import book_slot
from storage.consultants import add_consultant, add_slots
from storage.db import transaction
from storage.models import Broadcast, BroadcastRecipient, EligibilityCheck, Loan, Slot
from tests.admin.broadcast_world import World, running
from tests.admin.conftest import add_account, csrf, sign_in


async def _owners(world: World, count: int) -> list[int]:
    """`count` Telegram owners who wrote an hour ago."""
    return [await world.owner("telegram", str(2000 + n)) for n in range(count)]


async def _sent_now(world: World, **changes: str) -> None:
    """Composes broadcast 1 and sends it now."""
    assert (await world.compose(**changes)).status_code == 303
    assert (await world.act(1, "send", when="now")).status_code == 303


async def _status(world: World) -> str:
    async with world.services.sessions() as session:
        return (await session.get(Broadcast, 1)).status


async def test_quiet_hours_pause_at_21_and_resume_at_7(world: World) -> None:
    """Rows waiting at 21.00 WIB are held until 07.00; nothing is sent in between; the page says so."""
    world.clock.moment = datetime(2026, 11, 21, 13, 50, tzinfo=UTC)  # 20.50 WIB
    await _owners(world, 5)
    await _sent_now(world)
    await world.work()
    assert await world.deliver(batch=2) == 2
    world.clock.moment = datetime(2026, 11, 21, 13, 59, 58, tzinfo=UTC)  # 20.59.58: quiet within a tick
    await world.work()
    world.clock.moment = datetime(2026, 11, 21, 14, 30, tzinfo=UTC)  # 21.30 WIB
    assert await world.deliver() == 0
    panel = (await world.client.get("/admin/broadcasts/1/progress")).text
    assert "Jam tenang" in panel
    world.clock.moment = datetime(2026, 11, 22, 0, 0, 1, tzinfo=UTC)  # 07.00.01 WIB
    assert await world.deliver() == 3
    sent_at = sorted(row.sent_at for row in await world.outbox())
    local = [moment.astimezone(world.services.settings.zone).time() for moment in sent_at]
    assert [t.hour for t in local] == [20, 20, 7, 7, 7]


async def test_fan_out_in_quiet_hours_waits_for_7(world: World) -> None:
    """A broadcast sent at 23.00 writes its rows for 07.00."""
    world.clock.moment = datetime(2026, 11, 21, 16, 0, tzinfo=UTC)  # 23.00 WIB
    await _owners(world, 2)
    await _sent_now(world)
    await world.work()
    assert {row.next_attempt_at for row in await world.outbox()} == {datetime(2026, 11, 22, 0, 0, tzinfo=UTC)}
    assert await world.deliver() == 0


async def test_cancel_mid_way_stops_the_rest(world: World) -> None:
    """Cancel after two of five: the other three are never sent; resuming a cancelled broadcast is refused."""
    await _owners(world, 5)
    await _sent_now(world)
    await world.work()
    assert await world.deliver(batch=2) == 2
    assert (await world.act(1, "cancel")).status_code == 303
    assert await world.deliver() == 0
    await world.telegram.idle()
    assert len(world.fake.sent()) == 2
    panel = (await world.client.get("/admin/broadcasts/1/progress")).text
    assert 'id="n-sent">2<' in panel and 'id="n-cancelled">3<' in panel
    refused = await world.act(1, "resume")
    assert refused.status_code == 409 and "sudah dibatalkan" in refused.text
    assert await _status(world) == "cancelled"


async def test_pause_and_resume(world: World) -> None:
    """Pause holds what waits; resume lets it go."""
    await _owners(world, 3)
    await _sent_now(world)
    await world.work()
    assert (await world.act(1, "pause")).status_code == 303
    assert await world.deliver() == 0
    assert (await world.act(1, "pause")).status_code == 409
    assert (await world.act(1, "resume")).status_code == 303
    assert await world.deliver() == 3


async def test_a_killed_worker_sends_nobody_twice(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    """A crash mid-batch rolls the batch back; a lost cursor repeats a batch without a second row for anyone."""
    owners = await _owners(world, 5)
    monkeypatch.setattr(fanout, "BATCH", 2)
    await _sent_now(world)

    async def crash(**_kw: object) -> None:
        raise ConnectionError("worker killed")

    with monkeypatch.context() as patch:
        patch.setattr(store, "add_recipients", crash)
        await world.work()  # logged and retried next round
    assert await world.outbox() == []
    await fanout.fan_out_batch(world.services.sessions, world.services, 1)
    async with transaction(world.services.sessions) as session:
        broadcast = await session.get(Broadcast, 1)
        broadcast.cursor = 0  # as if the cursor's commit had been lost
        session.add(broadcast)
    await world.work()
    await world.work()
    keys = [row.send_key for row in await world.outbox()]
    assert sorted(keys) == sorted(f"broadcast:1:{owner}" for owner in owners)
    assert await world.deliver() == 5
    async with world.services.sessions() as session:
        recipients = (await session.exec(select(BroadcastRecipient))).all()
        broadcast = await session.get(Broadcast, 1)
    assert len(recipients) == 5 and broadcast.queued == 5


async def test_a_form_submitted_twice_at_once_opens_one_draft(world: World) -> None:
    """Two clicks racing each other: one draft, and both land on it (no error page)."""
    first, second = await asyncio.gather(world.compose(form_key="race"), world.compose(form_key="race"))
    assert (first.status_code, second.status_code) == (303, 303)
    assert first.headers["location"] == second.headers["location"] == "/admin/broadcasts/1"
    async with world.services.sessions() as session:
        assert len((await session.exec(select(Broadcast))).all()) == 1


async def test_bad_input_changes_nothing(world: World) -> None:
    """Empty or long message, nobody to reach, a past time, a forged token: each explained, nothing sent."""
    empty = await world.compose(body="  ")
    assert empty.status_code == 400 and "Pesan masih kosong" in empty.text
    long = await world.compose(body="x" * 1100)
    assert long.status_code == 400 and "paling banyak 1024" in long.text
    assert (await world.compose(option1="Ya", option2="ya")).status_code == 400
    assert (await world.compose(form_key="form-1")).status_code == 303  # nobody registered yet
    twice = await world.compose(form_key="form-1")  # the same form submitted again: the same draft
    assert twice.headers["location"] == "/admin/broadcasts/1"
    nobody = await world.act(1, "send", when="now")
    assert nobody.status_code == 409 and "Tidak ada yang akan menerima" in nobody.text
    await _owners(world, 1)
    past = await world.act(1, "send", when="later", at="2026-11-21T09:00")
    assert past.status_code == 409 and "sudah lewat" in past.text
    forged = await world.client.post("/admin/broadcasts/1/send", data={"csrf": "forged", "when": "now"})
    assert forged.status_code == 403
    assert await _status(world) == "draft"
    await world.work()
    assert await world.outbox() == []
    async with world.services.sessions() as session:
        assert len((await session.exec(select(Broadcast))).all()) == 1


async def test_schedule_for_later(world: World) -> None:
    """A broadcast scheduled for 14.00 WIB starts at 14.00, not before."""
    await _owners(world, 2)
    await world.compose()
    assert (await world.act(1, "send", when="later", at="2026-11-21T14:00")).status_code == 303
    await world.work()
    assert await world.outbox() == [] and await _status(world) == "scheduled"
    world.clock.advance(hours=4)
    await world.work()
    assert len(await world.outbox()) == 2 and await _status(world) == "sending"


async def test_viewer_sees_but_cannot_send(world: World) -> None:
    """A viewer sees the broadcast but sending answers 403."""
    await _owners(world, 1)
    await world.compose()
    password = await add_account(world.services.sessions, world.clock, "vera@dinas.test", role="viewer")
    world.client.cookies.clear()
    await sign_in(world.client, "vera@dinas.test", password)
    page = await world.client.get("/admin/broadcasts/1")
    assert page.status_code == 200 and "Kirim sekarang" not in page.text
    token = await csrf(world.client, "/admin/broadcasts/1")
    refused = await world.client.post("/admin/broadcasts/1/send", data={"csrf": token, "when": "now"})
    assert refused.status_code == 403 and await _status(world) == "draft"
    assert (await world.client.get("/admin/broadcasts/1/answers.csv")).status_code == 403


async def test_segments_combine(world: World) -> None:
    """Kecamatan, sector, size, registration, loan, verdict, booking, channel and activity narrow the audience."""
    now = world.clock.now()
    siti = await world.owner("telegram", "3001", business={"kecamatan": "Lawang Kidul", "sector": "jasa"})
    budi = await world.owner("whatsapp", "+6281300000001", business={"size_class": "kecil"})
    unregistered = await world.owner("telegram", "3002", business=None, hours_ago=24 * 40)
    async with transaction(world.services.sessions) as session:
        session.add(
            Loan(
                contact_id=budi,
                bank="BRI",
                scheme="kur_mikro",
                principal=20_000_000,
                borrower_rate=Decimal("0.06"),
                months=12,
                disbursed_on=date(2026, 1, 5),
                due_day=5,
                created_at=now,
            )
        )
        for contact, best in ((siti, "kur_mikro"), (budi, "kur_mikro"), (budi, None)):
            session.add(
                EligibilityCheck(
                    contact_id=contact,
                    checked_on=now.date(),
                    rules_version="2026",
                    best_scheme=best,
                    created_at=now,
                )
            )
        consultant = await add_consultant(
            session=session, name="Andi", bank="BRI", kecamatan=["Muara Enim"], topics=["kur"], now=now
        )
        await add_slots(
            session=session,
            consultant_id=consultant.id,
            times=[(now + timedelta(days=1), now + timedelta(days=1, hours=1))],
            place="phone",
        )
        slot = (await session.exec(select(Slot))).one()
        await book_slot(
            session=session,
            owner_contact_id=siti,
            business_id=None,
            slot=slot,
            topic="kur",
            note=None,
            now=now,
        )

    async def reached(**segment: object) -> set[int]:
        async with world.services.sessions() as session:
            query = service.audience_query(world.services, Segment(**segment))
            return {
                row.id for row in await store.audience_rows(session=session, query=query, after=0, limit=100)
            }

    assert await reached() == {siti, budi, unregistered}
    assert await reached(kecamatan=("Lawang Kidul",)) == {siti}
    assert await reached(sector=("perdagangan",), size_class=("kecil",)) == {budi}
    assert await reached(registered="no") == {unregistered}
    assert await reached(has_loan="yes") == {budi}
    assert await reached(verdict="eligible") == {siti}
    assert await reached(verdict="not_eligible") == {budi}
    assert await reached(verdict="never") == {unregistered}
    assert await reached(booked="yes") == {siti} and await reached(booked="no") == {budi, unregistered}
    assert await reached(channel=("whatsapp",)) == {budi}
    assert await reached(active_days=30) == {siti, budi}
    assert await reached(active_days=30, registered="yes", channel=("telegram",)) == {siti}


async def test_without_a_template_whatsapp_outside_the_window_is_excluded(
    db_url, clock, twilio_server
) -> None:  # noqa: ANN001
    """Without TWILIO_TEMPLATE_BROADCAST a WhatsApp owner silent for 2 days is excluded with that reason."""
    fake, url = twilio_server
    async with running(db_url, clock, fake, url, twilio_template_broadcast=None) as world:
        await world.owner("whatsapp", "+6281400000001", hours_ago=48)
        await world.owner("whatsapp", "+6281400000002", hours_ago=3)
        await world.compose()
        page = (await world.client.get("/admin/broadcasts/1")).text
        assert '<b id="reach">1</b>' in page and "TWILIO_TEMPLATE_BROADCAST belum diatur" in page
