"""The reminder scan with a moving clock: a whole year, downtime, quiet hours, restarts, month ends and time zones.

Downtime and quiet hours run in the zones of the WIB, WITA and WIT profiles (tests/profiles).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import update

from bot.clock import FixedClock
from bot.delivery import Dispatcher
from bot.flows.base import go
from bot.governor import Governor
from bot.reminders import scan
from core.reminders import QUIET_FROM, QUIET_UNTIL
from storage import outbox
from storage.db import make_engine, session_maker, transaction
from storage.models import Contact, Loan, Reminder
from tests.fakes_delivery import FakeSender, VirtualTime
from tests.loans.conftest import Owner, instalments, local, outbox_rows, reminder_rows, sent_keys
from tests.profiles import ZONED
from tests.transcript import Chat

WIB, WITA, WIT = "Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"
B, D, A1, A3, S = "before_3", "due", "after_1", "after_3", "snooze"


def _statuses(rows) -> list[tuple[str, str]]:
    return [(row.kind, row.status) for row in rows]


async def test_a_year_of_a_12_month_loan_sends_every_reminder_once(sessions, clock: FixedClock, owner: Owner):
    clock.moment = local(WIB, 2026, 11, 21, 10, 17)
    loan_id = await owner.add_loan()  # due on the 21st, December 2026 to November 2027
    rows = await instalments(sessions, loan_id)
    ids = {row.number: row.id for row in rows}
    due = {row.number: row.due_on for row in rows}
    chat = Chat(sessions, clock, user=owner.user, channel=owner.channel)
    await chat.say("halo")
    paid_at: dict[int, datetime] = {}

    def at(number: int, days: int, hour: int) -> datetime:
        day = due[number] + timedelta(days=days)
        return local(WIB, day.year, day.month, day.day, hour)

    def pay(number: int) -> Callable[[], Awaitable[None]]:
        async def run() -> None:
            await chat.send(choice=go("loans", "paid", ids[number]))
            assert "Tercatat: angsuran ke-" in await chat.say("hari ini")
            paid_at[number] = clock.now()
            await chat.say("menu")

        return run

    def snooze(number: int) -> Callable[[], Awaitable[None]]:
        async def run() -> None:
            await chat.send(choice=go("loans", "snooze", ids[number]))
            await chat.say("menu")

        return run

    def toggle(label: str) -> Callable[[], Awaitable[None]]:
        async def run() -> None:
            await chat.walk([("Pinjaman saya", ["Pinjaman Anda"]), ("1", ["Angsuran berikutnya"])])
            await chat.say(label)
            await chat.say("menu")

        return run

    events = [
        (at(1, 0, 12), pay(1)),
        (at(2, -5, 12), pay(2)),
        (at(3, 2, 12), pay(3)),
        (at(4, 10, 12), pay(4)),
        (at(5, -3, 10), snooze(5)),
        (at(5, 0, 9), pay(5)),
        (at(6, -5, 12), toggle("Jeda pengingat")),
        (at(6, 2, 12), toggle("Aktifkan lagi pengingat")),
        (at(6, 4, 12), pay(6)),
        *((at(number, 0, 12), pay(number)) for number in range(7, 13)),
    ]
    events.sort(key=lambda event: event[0])
    while clock.now() < local(WIB, 2027, 12, 1, 10):
        while events and events[0][0] <= clock.now():
            await events.pop(0)[1]()
        await scan(sessions, clock.now())
        clock.advance(hours=2)  # every other hour at :17, through the quiet hours too

    assert not events
    expected = {1: [B, D], 2: [], 3: [B, D, A1], 4: [B, D, A1, A3], 5: [B, S, D], 6: [A3]}
    expected |= {number: [B, D] for number in range(7, 13)}
    written = await outbox_rows(sessions)
    got = {
        number: [kind for instalment, kind in sent_keys(written) if instalment == ids[number]]
        for number in ids
    }
    assert got == expected
    assert len({row.send_key for row in written}) == len(written)
    for row, (instalment, _kind) in zip(written, sent_keys(written), strict=True):
        number = next(n for n, i in ids.items() if i == instalment)
        moment = row.created_at.astimezone(ZoneInfo(WIB)).time()
        assert QUIET_UNTIL <= moment < QUIET_FROM, row.send_key
        assert row.created_at < paid_at[number], f"reminder after payment: {row.send_key}"
        assert row.kind == "repayment_reminder" and row.recipient == owner.user
    stored = await reminder_rows(sessions, loan_id)
    assert sum(row.status == "sent" for row in stored) == len(written)
    assert not [row for row in stored if row.status == "pending"]


@pytest.mark.parametrize("zone", [profile.time_zone for profile in ZONED.values()], ids=list(ZONED))
async def test_downtime_skips_a_stale_h3_and_sends_the_h0_once(
    sessions, clock: FixedClock, owner: Owner, zone: str
):
    loan_id = await owner.add_loan(zone=zone)
    clock.moment = local(zone, 2026, 12, 18, 7, 0)  # an hour before H-3, then the process is down
    assert (await scan(sessions, clock.now())).sent == 0
    clock.moment = local(zone, 2026, 12, 21, 10, 0)  # back up on the due date
    report = await scan(sessions, clock.now())
    assert (report.sent, report.skipped) == (1, 1)
    assert [kind for _i, kind in sent_keys(await outbox_rows(sessions))] == [D]
    assert _statuses(await reminder_rows(sessions, loan_id)) == [(B, "skipped"), (D, "sent"), (A1, "pending")]
    assert (await scan(sessions, clock.now())).sent == 0


async def test_a_month_of_downtime_skips_everything_stale_and_waits_for_the_next_instalment(
    sessions, clock: FixedClock, owner: Owner
):
    loan_id = await owner.add_loan()
    clock.moment = local(WIB, 2027, 1, 26, 9, 0)  # instalment 1 (21 Dec) and 2 (21 Jan) both fully missed
    report = await scan(sessions, clock.now())
    assert report.sent == 0 and report.skipped == 8
    pending = [row for row in await reminder_rows(sessions, loan_id) if row.status == "pending"]
    assert len(pending) == 1 and pending[0].kind == B
    assert pending[0].planned_at == local(WIB, 2027, 2, 18, 8)


@pytest.mark.parametrize("zone", [profile.time_zone for profile in ZONED.values()], ids=list(ZONED))
async def test_found_in_quiet_hours_it_waits_for_seven(sessions, clock: FixedClock, owner: Owner, zone: str):
    await owner.add_loan(zone=zone)
    clock.moment = local(zone, 2026, 12, 18, 23, 30)  # H-3 missed during the day, found at night
    report = await scan(sessions, clock.now())
    assert (report.sent, report.postponed) == (0, 1)
    clock.moment = local(zone, 2026, 12, 19, 6, 59)
    assert (await scan(sessions, clock.now())).sent == 0
    clock.moment = local(zone, 2026, 12, 19, 7, 0)
    assert (await scan(sessions, clock.now())).sent == 1
    [row] = await outbox_rows(sessions)
    assert row.created_at == local(zone, 2026, 12, 19, 7, 0) and row.send_key.endswith(B)


async def test_a_restart_between_scan_and_send_sends_once(sessions, clock: FixedClock, owner: Owner, db_url):
    await owner.add_loan()
    clock.moment = local(WIB, 2026, 12, 18, 8, 0)
    assert (await scan(sessions, clock.now())).sent == 1  # committed: the outbox row is the boundary
    restarted = make_engine(db_url)  # a new process: new engine, nothing in memory
    try:
        again = session_maker(restarted)
        assert (await scan(again, clock.now())).sent == 0
        sender = FakeSender("telegram")
        time = VirtualTime(clock)
        governor = Governor(
            rate=30, per_chat_interval=1.0, headroom=0, monotonic=time.monotonic, sleep=time.sleep
        )
        dispatcher = Dispatcher(again, {"telegram": sender}, {"telegram": governor}, clock, "worker-2")
        assert await dispatcher.run_once() == 1
        assert await dispatcher.run_once() == 0
        assert (await scan(again, clock.now())).sent == 0
    finally:
        await restarted.dispose()
    [message] = [delivery.message for delivery in sender.sent]
    assert "3 hari lagi" in message.body and [option.label for option in message.options] == [
        "Sudah bayar",
        "Ingatkan besok",
    ]


async def test_month_end_due_dates_use_the_months_last_day(sessions, clock: FixedClock, owner: Owner):
    clock.moment = local(WIB, 2026, 12, 31, 10)
    loan_id = await owner.add_loan(disbursed_on=date(2026, 12, 31), months=4)
    assert [row.due_on for row in await instalments(sessions, loan_id)] == [
        date(2027, 1, 31),
        date(2027, 2, 28),
        date(2027, 3, 31),
        date(2027, 4, 30),
    ]
    leap = await owner.add_loan(disbursed_on=date(2028, 1, 31), months=2)
    assert [row.due_on for row in await instalments(sessions, leap)] == [date(2028, 2, 29), date(2028, 3, 31)]
    sent_days = []
    while clock.now() < local(WIB, 2027, 4, 1, 10):
        report = await scan(sessions, clock.now())
        sent_days += [clock.now().astimezone(ZoneInfo(WIB)).date()] * report.sent
        clock.advance(hours=6)
    assert sent_days[:8] == [
        date(2027, 1, 28),
        date(2027, 1, 31),
        date(2027, 2, 1),
        date(2027, 2, 3),
        date(2027, 2, 25),
        date(2027, 2, 28),
        date(2027, 3, 1),
        date(2027, 3, 3),
    ]


async def test_eight_oclock_is_local_time_in_wib_wita_and_wit(sessions, clock: FixedClock):
    owners = {zone: Owner(sessions, clock, user=f"owner-{zone}") for zone in (WIB, WITA, WIT)}
    for zone, owner in owners.items():
        await owner.add_loan(zone=zone)
    firsts = {}
    clock.moment = local(WIT, 2026, 12, 18, 7, 0)
    while clock.now() < local(WIB, 2026, 12, 18, 9, 0):
        await scan(sessions, clock.now())
        clock.advance(minutes=15)
        for row in await outbox_rows(sessions):
            firsts.setdefault(row.recipient, row.created_at)
    assert firsts == {
        "owner-Asia/Jayapura": local(WIT, 2026, 12, 18, 8, 0),
        "owner-Asia/Makassar": local(WITA, 2026, 12, 18, 8, 0),
        "owner-Asia/Jakarta": local(WIB, 2026, 12, 18, 8, 0),
    }


async def test_whatsapp_reminder_carries_the_template_variables(sessions, clock: FixedClock):
    owner = Owner(sessions, clock, user="+6281234567890", channel="whatsapp")
    loan_id = await owner.add_loan(bank="Bank Sumsel Babel")
    first = (await instalments(sessions, loan_id))[0]
    clock.moment = local(WIB, 2026, 12, 21, 8, 0)
    await scan(sessions, clock.now())  # H-3 was missed: H-0 goes out
    [row] = await outbox_rows(sessions)
    assert row.channel == "whatsapp" and row.kind == "repayment_reminder"
    assert row.variables == {"1": "Rp1.721.329", "2": "21 Desember 2026", "3": "Bank Sumsel Babel"}
    assert "Hari ini jatuh tempo angsuran ke-1 pinjaman Bank Sumsel Babel sebesar Rp1.721.329." in row.body
    assert row.options == [
        {"id": f"go:loans:paid:{first.id}", "label": "Sudah bayar"},
        {"id": f"go:loans:snooze:{first.id}", "label": "Ingatkan besok"},
    ]
    assert row.send_key == f"repayment:{loan_id}:{first.id}:due"


async def test_the_last_reminder_suggests_the_consultant(sessions, clock: FixedClock, owner: Owner):
    await owner.add_loan()
    clock.moment = local(WIB, 2026, 12, 24, 8, 0)
    await scan(sessions, clock.now())
    [row] = await outbox_rows(sessions)
    assert "belum tercatat dibayar" in row.body and "konsultan KKMB" in row.body and "rentenir" in row.body


async def test_a_loan_changed_behind_the_scans_back_is_cancelled_not_reminded(
    sessions, clock: FixedClock, owner: Owner
):
    loan_id = await owner.add_loan()
    async with transaction(sessions) as session:
        await session.exec(update(Loan).where(Loan.id == loan_id).values(reminders_paused=True))
    clock.moment = local(WIB, 2026, 12, 18, 8, 0)
    report = await scan(sessions, clock.now())
    assert (report.sent, report.cancelled) == (0, 1)
    assert await outbox_rows(sessions) == []


async def test_an_erased_contact_gets_no_reminder(sessions, clock: FixedClock, owner: Owner):
    await owner.add_loan()
    async with transaction(sessions) as session:
        await session.exec(update(Contact).values(erased_at=clock.now()))
    clock.moment = local(WIB, 2026, 12, 18, 8, 0)
    assert (await scan(sessions, clock.now())).cancelled == 1
    assert await outbox_rows(sessions) == []


async def test_scan_works_in_small_batches(sessions, clock: FixedClock):
    for n in range(7):
        await Owner(sessions, clock, user=f"owner-{n}").add_loan()
    clock.moment = local(WIB, 2026, 12, 18, 8, 0)
    report = await scan(sessions, clock.now(), batch=3)
    assert report.sent == 7
    assert len({row.recipient for row in await outbox_rows(sessions)}) == 7


async def test_outbox_rows_are_claimable_by_the_dispatcher(sessions, clock: FixedClock, owner: Owner):
    await owner.add_loan()
    clock.moment = local(WIB, 2026, 12, 18, 8, 0)
    await scan(sessions, clock.now())
    async with transaction(sessions) as session:
        claimed = await outbox.claim_due(session=session, now=clock.now(), worker="w", limit=10)
    assert [row.kind for row in claimed] == ["repayment_reminder"]


async def test_a_send_key_already_in_the_outbox_is_never_written_twice(
    sessions, clock: FixedClock, owner: Owner
):
    loan_id = await owner.add_loan()
    clock.moment = local(WIB, 2026, 12, 18, 8, 0)
    await scan(sessions, clock.now())
    async with transaction(sessions) as session:  # as if the scan's marks were lost but its outbox row kept
        await session.exec(update(Reminder).where(Reminder.loan_id == loan_id).values(status="cancelled"))
        await session.exec(
            update(Reminder).where(Reminder.loan_id == loan_id, Reminder.kind == B).values(status="pending")
        )
    report = await scan(sessions, clock.now())
    assert (report.sent, report.duplicates) == (0, 1)
    assert len(await outbox_rows(sessions)) == 1
