"""Send governors: one per channel account, shared by the dispatcher and (later) the webhook reply path.

A governor hands out send slots. It books grants `(1 + headroom) / rate` seconds apart, making up a late wake-up
from the schedule, and never lets a window of `1 + headroom` seconds hold more than `rate` grants, so no
1-second window ever holds more than `rate` sends, even with a little jitter between the grant and the request
reaching the provider; it keeps `per_chat_interval (+ headroom)` seconds between two sends to one chat; it
honours a channel-wide pause (Telegram's retry_after) to the exact end and no longer; and when a slot frees up it
goes to the waiting caller with the highest priority whose chat may receive now (first come, first served within
a priority), so immediate replies overtake bulk traffic.

Several processes share one channel's limits through a SharedBudget (bot/send_budget.py, in the database): the
best local waiters (up to SHARED_BATCH, one per chat) book the next free moments of the channel and their chats
there in one round trip, and each sends at its moment. Bulk
books at most BULK_HORIZON ahead, so a reply in another process is never queued behind a long run of bulk.
A pause (retry_after) is booked there too, so every process obeys it.
"""

from __future__ import annotations

import asyncio
import bisect
import itertools
import logging
import math
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Protocol

log = logging.getLogger(__name__)

PRIORITY_REPLY = 100
PRIORITY_BULK = 0
BULK_HORIZON = 0.25
SHARED_RETRY = 0.5
SHARED_BATCH = 32

_PRUNE_AT = 1024
HEADROOM = 0.02
# Shared bookings are kept apart in booked time, but each process's wake-up and request add their own jitter on
# the way to the provider: a wider margin keeps every second within the limit there.
SHARED_HEADROOM = 0.04
# A shared bulk booking starts no sooner than SHARED_LEAD from now (the booking's own round trip), and a bulk send
# that wakes up more than SHARED_LATE after its booked moment gives the slot up and books again: arrivals at the
# provider then stay within the booked spacing plus that small lateness, so no second holds more than the rate.
SHARED_LEAD = 0.02
SHARED_LATE = 0.03


class ChannelPaused(Exception):
    """The channel is paused for longer than the caller agreed to wait."""

    def __init__(self, remaining: float) -> None:
        super().__init__(f"channel paused for {remaining:.3f} s")
        self.remaining = remaining


@dataclass(order=True)
class _Waiter:
    """A caller waiting for a slot, ordered by priority (highest first), then arrival."""

    rank: int
    seq: int
    recipient: str = field(compare=False)
    max_pause: float | None = field(compare=False)
    future: asyncio.Future[float] = field(compare=False)


@dataclass(frozen=True)
class Booking:
    """A shared booking's answer: when the send may start, and when the channel itself is next free."""

    start: float
    channel_free: float


class SharedBudget(Protocol):
    """One channel's send slots shared by every process (times in epoch seconds)."""

    async def book(self, recipients: list[str], at: float, horizon: float) -> list[Booking]:
        """Books, in order, the earliest moment to send to each recipient that is no later than `at + horizon`."""
        ...

    async def pause(self, until: float) -> None:
        """Pauses the channel for every process until `until`."""
        ...


@dataclass(frozen=True)
class ChannelLimits:
    """How fast one channel account may send: overall per second, and seconds between sends to one chat."""

    rate: float
    per_chat_interval: float = 0.0


class Governor:
    """Paces one channel's sends: overall rate, per-chat spacing, channel pause and priorities."""

    def __init__(
        self,
        *,
        rate: float,
        per_chat_interval: float = 0.0,
        headroom: float = HEADROOM,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        shared: SharedBudget | None = None,
    ) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        self._interval = (1.0 + headroom) / rate
        self._window = 1.0 + headroom
        self._per_window = max(1, math.floor(rate))
        self._recent: deque[float] = deque()
        self._chat_gap = per_chat_interval + headroom if per_chat_interval > 0 else 0.0
        self._monotonic = monotonic
        self._sleep = sleep
        self._next_free = -math.inf
        self._chat_free: dict[str, float] = {}
        self._paused_until = -math.inf
        self._waiters: list[_Waiter] = []
        self._seq = itertools.count()
        self._changed = asyncio.Event()
        self._pump: asyncio.Task[None] | None = None
        self._shared = shared
        self._background: set[asyncio.Task[None]] = set()

    def paused_for(self) -> float:
        """Seconds left in the channel pause (0 when not paused)."""
        return max(0.0, self._paused_until - self._monotonic())

    def pause(self, seconds: float) -> None:
        """Pauses the whole channel for `seconds` from now (never shortens a longer pause), in every process."""
        until = self._monotonic() + seconds
        self._hold_until(until)
        if self._shared is not None:
            task = asyncio.get_running_loop().create_task(self._shared.pause(until))
            self._background.add(task)
            task.add_done_callback(self._background_done)

    def _background_done(self, task: asyncio.Task[None]) -> None:
        """Forgets a finished shared write, logging its failure."""
        self._background.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("sharing a channel pause failed", exc_info=task.exception())

    def _hold_until(self, until: float) -> None:
        """Grants nothing before `until`; callers that agreed to wait less are told at once."""
        self._paused_until = max(self._paused_until, until)
        remaining = self.paused_for()
        for waiter in [w for w in self._waiters if w.max_pause is not None and remaining > w.max_pause]:
            self._waiters.remove(waiter)
            waiter.future.set_exception(ChannelPaused(remaining))

    async def acquire(
        self, recipient: str, priority: int = PRIORITY_BULK, max_pause: float | None = None
    ) -> None:
        """Waits for a send slot to `recipient`; raises ChannelPaused if paused longer than `max_pause` s."""
        remaining = self.paused_for()
        if max_pause is not None and remaining > max_pause:
            raise ChannelPaused(remaining)
        seq = next(self._seq)
        while True:
            future = asyncio.get_running_loop().create_future()
            start = await self._slot(_Waiter(-priority, seq, recipient, max_pause, future))
            delay = start - self._monotonic()
            if delay > 0:  # a shared booking a little ahead
                await self._sleep(delay)
            late = self._monotonic() - start > SHARED_LATE
            if self._shared is None or priority >= PRIORITY_REPLY or not late:
                return  # a reply goes out even a little late: it is one message, and a person waits for it
            log.debug("a shared send slot was missed by %.3f s; booking again", self._monotonic() - start)

    async def _slot(self, waiter: _Waiter) -> float:
        """Queues a waiter (in its priority and arrival order) and waits for the moment its slot starts."""
        bisect.insort(self._waiters, waiter)
        self._changed.set()
        if self._pump is None:
            self._pump = asyncio.create_task(self._run_pump())
        try:
            return await waiter.future
        except asyncio.CancelledError:
            if waiter in self._waiters:
                self._waiters.remove(waiter)
            raise

    async def _run_pump(self) -> None:
        """Grants slots while anyone waits, sleeping until the next moment something can be granted."""
        try:
            while self._waiters:
                now = self._monotonic()
                waiter = self._eligible(now)
                if waiter is None:
                    await self._wait(self._next_moment() - now)
                elif self._shared is None:
                    self._grant(waiter, now, now)
                else:
                    await self._book_shared(waiter, now)
        finally:
            self._pump = None

    async def _book_shared(self, first: _Waiter, now: float) -> None:
        """Books sends for the best waiters in the shared budget, in one round trip; waits for what blocks them."""
        reply = -first.rank >= PRIORITY_REPLY
        horizon = max((first.max_pause or 0.0) if reply else 0.0, BULK_HORIZON)
        batch = self._batch(first, now, reply)
        at = now if reply else now + SHARED_LEAD
        try:
            bookings = await self._shared.book([w.recipient for w in batch], at, horizon)
        except Exception:
            log.exception("booking send slots failed; trying again in %s s", SHARED_RETRY)
            self._hold_until(now + SHARED_RETRY)
            return
        for waiter, booking in zip(batch, bookings, strict=True):
            if waiter not in self._waiters:
                continue  # cancelled while booking: the slot goes unused
            if booking.start <= at + horizon:
                self._grant(waiter, now, booking.start)
            elif booking.channel_free > now + BULK_HORIZON:
                self._hold_until(booking.channel_free - BULK_HORIZON)  # other processes hold the channel
            else:  # only this chat is busy (another process wrote to it): serve other chats meanwhile
                self._remember_chat(waiter.recipient, booking.start - BULK_HORIZON, now)

    def _batch(self, first: _Waiter, now: float, reply: bool) -> list[_Waiter]:
        """`first` and the next waiters of its kind (reply or bulk) that may be served now, one per chat."""
        room = max(1, min(SHARED_BATCH, self._per_window - len(self._recent)))
        batch, chats = [first], {first.recipient}
        for waiter in self._waiters:
            if len(batch) >= room:
                break
            same_kind = (-waiter.rank >= PRIORITY_REPLY) == reply
            free = self._chat_free.get(waiter.recipient, -math.inf) <= now
            if waiter is not first and same_kind and free and waiter.recipient not in chats:
                batch.append(waiter)
                chats.add(waiter.recipient)
        return batch

    def _window_free(self, now: float) -> float:
        """When the last second (plus headroom) next has room for a grant."""
        while self._recent and self._recent[0] <= now - self._window:
            self._recent.popleft()
        return self._recent[0] + self._window if len(self._recent) >= self._per_window else -math.inf

    def _eligible(self, now: float) -> _Waiter | None:
        """The best waiter that may be served at `now`, if any."""
        if now < self._paused_until or now < self._next_free or now < self._window_free(now):
            return None
        return next((w for w in self._waiters if self._chat_free.get(w.recipient, -math.inf) <= now), None)

    def _next_moment(self) -> float:
        """The earliest time at which some waiter could be served."""
        chat_free = min(self._chat_free.get(w.recipient, -math.inf) for w in self._waiters)
        return max(self._paused_until, self._next_free, self._window_free(self._monotonic()), chat_free)

    def _grant(self, waiter: _Waiter, now: float, start: float) -> None:
        """Gives the slot to a waiter (to use at `start`) and books the spacing it implies."""
        self._waiters.remove(waiter)
        self._recent.append(now)
        # Book from the slot's due time, not from a late wake-up, so lateness is made up (at most one interval);
        # the sliding window above still keeps every second within the limit.
        on_time = self._next_free >= now - self._interval
        self._next_free = (self._next_free if on_time else now) + self._interval
        if self._chat_gap:
            self._remember_chat(waiter.recipient, start + self._chat_gap, now)
        if not waiter.future.done():
            waiter.future.set_result(start)

    def _remember_chat(self, recipient: str, free_at: float, now: float) -> None:
        """Books when a chat may next receive, forgetting chats whose spacing is over."""
        if len(self._chat_free) >= _PRUNE_AT:
            self._chat_free = {chat: at for chat, at in self._chat_free.items() if at > now}
        self._chat_free[recipient] = free_at

    async def _wait(self, seconds: float) -> None:
        """Sleeps up to `seconds`, waking early when a new caller arrives."""
        self._changed.clear()
        sleeper = asyncio.ensure_future(self._sleep(max(0.0, seconds)))
        arrival = asyncio.ensure_future(self._changed.wait())
        try:
            await asyncio.wait({sleeper, arrival}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            sleeper.cancel()
            arrival.cancel()


DEFAULT_LIMITS = {
    "telegram": ChannelLimits(rate=30, per_chat_interval=1.0),
    "whatsapp": ChannelLimits(rate=10, per_chat_interval=1.0),
}


def make_governors(
    limits: dict[str, ChannelLimits] | None = None,
    *,
    monotonic: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    shared: Callable[[str, ChannelLimits, float], SharedBudget] | None = None,
) -> dict[str, Governor]:
    """One governor per channel from its limits (Telegram 30/s and Twilio WhatsApp 10/s by default).

    With `shared` (channel, limits, headroom -> budget), every governor books its sends in a budget shared by
    all processes, on the wall clock.
    """
    return {
        channel: Governor(
            rate=limit.rate,
            per_chat_interval=limit.per_chat_interval,
            headroom=HEADROOM if shared is None else SHARED_HEADROOM,
            monotonic=time.time if shared is not None else monotonic,
            sleep=sleep,
            shared=shared(channel, limit, SHARED_HEADROOM) if shared is not None else None,
        )
        for channel, limit in (limits or DEFAULT_LIMITS).items()
    }
