"""Send governors: one per channel account, shared by the dispatcher and (later) the webhook reply path.

A governor hands out send slots. It books grants `(1 + headroom) / rate` seconds apart, making up a late wake-up
from the schedule, and never lets a window of `1 + headroom` seconds hold more than `rate` grants, so no
1-second window ever holds more than `rate` sends, even with a little jitter between the grant and the request
reaching the provider; it keeps `per_chat_interval (+ headroom)` seconds between two sends to one chat; it
honours a channel-wide pause (Telegram's retry_after) to the exact end and no longer; and when a slot frees up it
goes to the waiting caller with the highest priority whose chat may receive now (first come, first served within
a priority), so immediate replies overtake bulk traffic. It lives in one process: several worker processes each
need their share of the rate.
"""

from __future__ import annotations

import asyncio
import bisect
import itertools
import math
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

PRIORITY_REPLY = 100
PRIORITY_BULK = 0

_PRUNE_AT = 1024


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
    future: asyncio.Future[None] = field(compare=False)


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
        headroom: float = 0.02,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
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

    def paused_for(self) -> float:
        """Seconds left in the channel pause (0 when not paused)."""
        return max(0.0, self._paused_until - self._monotonic())

    def pause(self, seconds: float) -> None:
        """Pauses the whole channel for `seconds` from now (never shortens a longer pause)."""
        self._paused_until = max(self._paused_until, self._monotonic() + seconds)
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
        waiter = _Waiter(
            -priority, next(self._seq), recipient, max_pause, asyncio.get_running_loop().create_future()
        )
        bisect.insort(self._waiters, waiter)
        self._changed.set()
        if self._pump is None:
            self._pump = asyncio.create_task(self._run_pump())
        try:
            await waiter.future
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
                else:
                    self._grant(waiter, now)
        finally:
            self._pump = None

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

    def _grant(self, waiter: _Waiter, now: float) -> None:
        """Gives the slot at `now` to a waiter and books the spacing it implies."""
        self._waiters.remove(waiter)
        self._recent.append(now)
        # Book from the slot's due time, not from a late wake-up, so lateness is made up (at most one interval);
        # the sliding window above still keeps every second within the limit.
        on_time = self._next_free >= now - self._interval
        self._next_free = (self._next_free if on_time else now) + self._interval
        if self._chat_gap:
            self._remember_chat(waiter.recipient, now + self._chat_gap, now)
        if not waiter.future.done():
            waiter.future.set_result(None)

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
) -> dict[str, Governor]:
    """One governor per channel from its limits (Telegram 30/s and Twilio WhatsApp 10/s by default)."""
    return {
        channel: Governor(
            rate=limit.rate, per_chat_interval=limit.per_chat_interval, monotonic=monotonic, sleep=sleep
        )
        for channel, limit in (limits or DEFAULT_LIMITS).items()
    }
