"""Several scheduler processes: concurrent scans write nothing twice, and only one process leads at a time."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

import pytest
from sqlalchemy import text

from bot.clock import FixedClock
from bot.leader import AdvisoryLockLeader, LocalLeader, resign
from bot.reminders import build_job, scan
from bot.scheduler import when_leading
from storage.db import make_engine, session_maker
from tests.conftest import PG_URL
from tests.loans.conftest import Owner, local, outbox_rows, reminder_rows

WIB = "Asia/Jakarta"
TEST_KEY = 0x554D_4B4D_0FF1  # not the production key, so a running worker on this database is not disturbed
postgresql_only = pytest.mark.skipif(not PG_URL, reason="set UMKM_TEST_DATABASE_URL to run on PostgreSQL")


async def _loans(sessions, clock: FixedClock, count: int) -> None:
    """`count` owners, each with a loan whose H-3 reminder is due on 18 December 2026 at 08.00 WIB."""
    for n in range(count):
        await Owner(sessions, clock, user=f"owner-{n}").add_loan()


async def test_two_processes_scanning_at_once_write_each_reminder_once(
    sessions, clock: FixedClock, db_url: str
):
    await _loans(sessions, clock, 40)
    clock.moment = local(WIB, 2026, 12, 18, 8, 0)
    first, second = make_engine(db_url), make_engine(db_url)
    try:
        reports = await asyncio.gather(
            *(scan(session_maker(db), clock.now(), batch=3) for db in (first, second, first, second))
        )
    finally:
        await first.dispose()
        await second.dispose()
    assert sum(report.sent for report in reports) == 40
    assert sum(report.duplicates for report in reports) == 0
    rows = await outbox_rows(sessions)
    assert len(rows) == len({row.send_key for row in rows}) == 40
    stored = await reminder_rows(sessions)
    assert sum(row.status == "sent" for row in stored) == 40
    assert sum(row.status == "pending" for row in stored) == 40


@postgresql_only
async def test_only_one_process_holds_the_advisory_lock_and_another_takes_over():
    first_db, second_db, admin_db = make_engine(PG_URL), make_engine(PG_URL), make_engine(PG_URL)
    first, second = AdvisoryLockLeader(first_db, TEST_KEY), AdvisoryLockLeader(second_db, TEST_KEY)
    try:
        assert await first.lead() is True
        assert await second.lead() is False
        assert await first.lead() is True  # keeps it while its connection lives
        await first.resign()
        assert await second.lead() is True
        assert await first.lead() is False
        async with admin_db.connect() as admin:  # the leader's process dies: its session ends
            pid = (
                await admin.execute(
                    text("SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND objid = :low AND granted"),
                    {"low": TEST_KEY & 0xFFFFFFFF},
                )
            ).scalar_one()
            await admin.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
            for _ in range(100):  # termination is asynchronous: wait (bounded) until the lock is released
                held = (
                    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = :low AND granted"
                )
                if (await admin.execute(text(held), {"low": TEST_KEY & 0xFFFFFFFF})).scalar_one() == 0:
                    break
                await asyncio.sleep(0.05)
        assert await first.lead() is True
        assert await second.lead() is False  # notices its lost connection, and the lock is taken
        assert not second.leading
    finally:
        await first.resign()
        await second.resign()
        for db in (first_db, second_db, admin_db):
            await db.dispose()


async def test_in_process_leadership_for_sqlite():
    first, second = LocalLeader("sqlite:///one.db"), LocalLeader("sqlite:///one.db")
    other = LocalLeader("sqlite:///other.db")
    assert await first.lead() and not await second.lead() and await other.lead()
    await first.resign()
    assert await second.lead() and not await first.lead()
    await second.resign()
    await other.resign()


async def test_the_periodic_job_scans_only_in_the_leading_process(sessions, clock: FixedClock, db_url: str):
    await _loans(sessions, clock, 3)
    clock.moment = local(WIB, 2026, 12, 18, 8, 0)
    engines = [make_engine(db_url), make_engine(db_url)]  # two processes: the production leader of each
    services = [SimpleNamespace(db=db, sessions=session_maker(db), clock=clock) for db in engines]
    jobs = [when_leading(each, build_job(each)) for each in services]  # type: ignore[arg-type]
    try:
        reports = [await job() for job in jobs]
        assert reports[0] is not None and reports[0].sent == 3
        assert reports[1] is None  # not the leader: did nothing
        await resign(engines[0])
        clock.advance(days=3)
        taken_over = await jobs[1]()
        assert taken_over is not None and taken_over.sent == 3
    finally:
        for db in engines:
            await resign(db)
            await db.dispose()
    assert len(await outbox_rows(sessions)) == 6
