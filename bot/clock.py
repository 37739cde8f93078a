"""The clock, injected wherever time matters so tests can move it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    """Tells the current time, timezone-aware."""

    def now(self) -> datetime: ...


class SystemClock:
    """The real clock, in UTC."""

    def now(self) -> datetime:
        """Returns the current UTC time."""
        return datetime.now(UTC)


class FixedClock:
    """A clock that only moves when told to (for tests and benchmarks)."""

    def __init__(self, moment: datetime) -> None:
        if moment.tzinfo is None:
            raise ValueError("FixedClock needs a timezone-aware datetime")
        self.moment = moment

    def now(self) -> datetime:
        """Returns the frozen time."""
        return self.moment

    def advance(self, **delta: float) -> None:
        """Moves the clock forward, e.g. advance(hours=25)."""
        self.moment += timedelta(**delta)
