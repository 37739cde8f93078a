"""One channel's limits across processes: send slots booked in the database by every governor."""

from __future__ import annotations

import asyncio
from itertools import pairwise

import pytest
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.governor import (
    PRIORITY_BULK,
    PRIORITY_REPLY,
    SHARED_LATE,
    Booking,
    ChannelLimits,
    ChannelPaused,
    Governor,
)
from bot.send_budget import DatabaseBudget
from storage import send_budget
from storage.db import make_engine, session_maker, transaction
from tests.fakes_delivery import VirtualTime

TELEGRAM = ChannelLimits(rate=30, per_chat_interval=1.0)
INTERVAL = 1.02 / 30


async def _book(
    sessions: async_sessionmaker[AsyncSession], chat: str, at: float, horizon: float = 60.0
) -> tuple[float, float]:
    [answer] = await _book_many(sessions, [chat], at, horizon)
    return answer


async def _book_many(
    sessions: async_sessionmaker[AsyncSession], chats: list[str], at: float, horizon: float = 60.0
) -> list[tuple[float, float]]:
    async with transaction(sessions) as session:
        return await send_budget.book(
            session=session,
            channel="telegram",
            chats=chats,
            at=at,
            interval=INTERVAL,
            chat_gap=1.02,
            horizon=horizon,
        )


async def test_bookings_are_spaced_per_channel_and_per_chat(sessions) -> None:
    assert await _book(sessions, "a", 100.0) == (100.0, 100.0)
    assert await _book(sessions, "b", 100.0) == (100.0 + INTERVAL, 100.0 + INTERVAL)
    start, channel_free = await _book(sessions, "a", 100.0)  # chat a waits a second, the channel does not
    assert start == 101.02 and channel_free == pytest.approx(100.0 + 2 * INTERVAL)


async def test_one_round_trip_books_several_chats_in_order(sessions) -> None:
    await _book(sessions, "b", 100.0)
    answers = await _book_many(sessions, ["a", "b", "c"], 100.0, horizon=0.25)
    assert answers[0] == (100.0 + INTERVAL, 100.0 + INTERVAL)
    assert answers[1][0] == 101.02  # chat b is busy: not booked, and it holds nobody up
    assert answers[2][0] == pytest.approx(100.0 + 2 * INTERVAL)
    assert (await _book(sessions, "d", 100.0))[0] == pytest.approx(100.0 + 3 * INTERVAL)


async def test_a_booking_beyond_the_horizon_is_not_taken(sessions) -> None:
    await _book(sessions, "a", 100.0)
    assert await _book(sessions, "a", 100.0, horizon=0.25) == (101.02, 100.0 + INTERVAL)
    assert await _book(sessions, "b", 100.0, horizon=0.25) == (100.0 + INTERVAL, 100.0 + INTERVAL)


async def test_a_pause_holds_every_booking_until_it_ends(sessions) -> None:
    async with transaction(sessions) as session:
        await send_budget.pause(session=session, channel="telegram", until=130.0)
        await send_budget.pause(session=session, channel="telegram", until=120.0)  # never shortened
    assert await _book(sessions, "a", 100.0) == (130.0, 130.0)


async def test_idle_chats_are_forgotten(sessions) -> None:
    for chat in ("a", "b"):
        await _book(sessions, chat, 100.0)
    await _book(sessions, "c", 200.0)
    async with transaction(sessions) as session:
        assert await send_budget.forget_idle_chats(session=session, channel="telegram", at=200.0) == 2


async def test_two_processes_booking_at_once_never_share_a_slot(db_url: str) -> None:
    engines = [make_engine(db_url) for _ in range(2)]  # two processes: two engines, two pools
    budgets = [DatabaseBudget(session_maker(e), "telegram", TELEGRAM, 0.02) for e in engines]
    try:
        bookings = await asyncio.gather(
            *(budgets[n % 2].book([f"chat{n % 7}"], 500.0, 3600.0) for n in range(120))
        )
        bookings = [booking for [booking] in bookings]
    finally:
        for engine in engines:
            await engine.dispose()
    starts = sorted(b.start for b in bookings)
    assert all(later - earlier >= INTERVAL - 1e-9 for earlier, later in pairwise(starts))
    for chat in range(7):
        mine = sorted(b.start for n, b in enumerate(bookings) if n % 7 == chat)
        assert all(later - earlier >= 1.02 - 1e-9 for earlier, later in pairwise(mine))


class Recording:
    """A budget that remembers every booked start (what the governors actually hand out)."""

    def __init__(self, budget: DatabaseBudget) -> None:
        self.budget = budget
        self.starts: list[float] = []

    async def book(self, recipients: list[str], at: float, horizon: float) -> list[Booking]:
        bookings = await self.budget.book(recipients, at, horizon)
        self.starts += [b.start for b in bookings if b.start <= at + horizon]
        return bookings

    async def pause(self, until: float) -> None:
        await self.budget.pause(until)


def _shared_governor(time: VirtualTime, sessions, budget: Recording | None = None) -> Governor:
    budget = budget or Recording(DatabaseBudget(sessions, "telegram", TELEGRAM, 0.02))
    return Governor(rate=30, per_chat_interval=1.0, monotonic=time.monotonic, sleep=time.sleep, shared=budget)


async def test_three_governors_together_never_exceed_the_channel_rate(sessions) -> None:
    time = VirtualTime()
    budget = Recording(DatabaseBudget(sessions, "telegram", TELEGRAM, 0.02))
    governors = [_shared_governor(time, sessions, budget) for _ in range(3)]
    await asyncio.gather(*(governors[n % 3].acquire(f"chat{n}", PRIORITY_BULK, 30.0) for n in range(90)))
    starts = sorted(budget.starts)
    assert len(starts) == 90
    assert max(sum(1 for t in starts if s <= t < s + 1.0) for s in starts) <= 30
    assert starts[-1] - starts[0] < 90 * INTERVAL  # all of the budget was used: no process idled


async def test_a_send_that_wakes_up_too_late_gives_its_slot_up_and_books_again(sessions) -> None:
    time = VirtualTime()
    budget = Recording(DatabaseBudget(sessions, "telegram", TELEGRAM, 0.02))
    lateness = [0.2]  # the process was busy: its first wake-up comes 200 ms after the booked moment

    async def sleep(seconds: float) -> None:
        await time.sleep(seconds + (lateness.pop() if lateness else 0.0))

    governor = Governor(rate=30, per_chat_interval=1.0, monotonic=time.monotonic, sleep=sleep, shared=budget)
    await governor.acquire("a", PRIORITY_BULK, 30.0)
    first, second = budget.starts
    assert second - first >= 1.02  # the missed slot still counts for the chat's spacing
    assert 0 <= time.now - second <= SHARED_LATE  # it went out on time for its new booking


async def test_a_pause_in_one_process_holds_the_others(sessions) -> None:
    time = VirtualTime()
    first, second = _shared_governor(time, sessions), _shared_governor(time, sessions)
    await first.acquire("a", PRIORITY_REPLY, 10.0)
    first.pause(20.0)  # Telegram answered 429 retry_after=20 to the first process
    await asyncio.gather(*first._background)
    try:
        await second.acquire("b", PRIORITY_REPLY, 10.0)
    except ChannelPaused as paused:
        assert paused.remaining > 10.0
    else:
        raise AssertionError("the second process sent during the first one's pause")
    before = time.now
    await second.acquire("b", PRIORITY_BULK, 30.0)
    assert time.now - before >= 19.0
