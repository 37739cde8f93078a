"""Test doubles for delivery: a recording fake sender and a virtual monotonic time whose sleeps cost nothing."""

from __future__ import annotations

import asyncio
import heapq
import itertools
from dataclasses import dataclass, field

from bot.clock import FixedClock
from bot.delivery import OutboxMessage

SETTLE_STEPS = 50


class VirtualTime:
    """Virtual monotonic seconds: sleeps cost no real time, the earliest sleeper wakes first (a FixedClock follows)."""

    def __init__(self, clock: FixedClock | None = None) -> None:
        self.now = 0.0
        self._clock = clock
        self._sleepers: list[tuple[float, int, asyncio.Future[None]]] = []
        self._seq = itertools.count()
        self._driver: asyncio.Task[None] | None = None

    def monotonic(self) -> float:
        """The current virtual time in seconds."""
        return self.now

    async def sleep(self, seconds: float) -> None:
        """Sleeps `seconds` of virtual time."""
        future = asyncio.get_running_loop().create_future()
        heapq.heappush(self._sleepers, (self.now + max(0.0, seconds), next(self._seq), future))
        if self._driver is None or self._driver.done():
            self._driver = asyncio.create_task(self._drive())
        await future

    async def _drive(self) -> None:
        """Wakes sleepers in time order, letting everything else run first."""
        while self._sleepers:
            for _ in range(SETTLE_STEPS):
                await asyncio.sleep(0)
            wake, _, future = heapq.heappop(self._sleepers)
            if not future.done():
                self._move_to(wake)
                future.set_result(None)

    def _move_to(self, moment: float) -> None:
        """Moves virtual time (and the FixedClock) forward to `moment`."""
        delta = max(0.0, moment - self.now)
        self.now = max(self.now, moment)
        if self._clock is not None:
            self._clock.advance(seconds=delta)


@dataclass(frozen=True)
class Delivery:
    """One message a fake sender accepted, and when (virtual seconds)."""

    message: OutboxMessage
    at: float


@dataclass
class FakeSender:
    """A channel sender that records what it sends; scripted errors are raised per recipient, in order."""

    channel: str
    time: VirtualTime | None = None
    sent: list[Delivery] = field(default_factory=list)
    errors: dict[str, list[Exception]] = field(default_factory=dict)

    def fail(self, recipient: str, *errors: Exception) -> None:
        """Makes the next sends to `recipient` raise these errors, one per send."""
        self.errors.setdefault(recipient, []).extend(errors)

    async def send(self, message: OutboxMessage) -> str | None:
        """Raises the next scripted error for the recipient, or records the message."""
        scripted = self.errors.get(message.recipient)
        if scripted:
            raise scripted.pop(0)
        self.sent.append(Delivery(message, self.time.now if self.time else 0.0))
        return f"{self.channel}-{len(self.sent)}"

    def bodies(self) -> list[str]:
        """The bodies sent, in order."""
        return [delivery.message.body for delivery in self.sent]


@dataclass
class HangingSender:
    """A sender stuck inside the provider call, to kill a dispatcher mid-send."""

    channel: str
    started: asyncio.Event = field(default_factory=asyncio.Event)

    async def send(self, message: OutboxMessage) -> str | None:
        """Signals that sending began, then never returns."""
        self.started.set()
        await asyncio.get_running_loop().create_future()
        return None
