"""The report's period: a month, quarter, year or custom range of days, and the months it spans."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

KINDS = ("month", "quarter", "year", "custom")


@dataclass(frozen=True)
class Period:
    """An inclusive range of local days, `start` to `end`."""

    start: date
    end: date

    def __post_init__(self) -> None:
        """Refuses a range that ends before it starts."""
        if self.end < self.start:
            raise ValueError(f"period ends ({self.end}) before it starts ({self.start})")

    def bounds(self, zone: ZoneInfo) -> tuple[datetime, datetime]:
        """The period as [from, until) moments: local midnight of the first day and of the day after the last."""
        return _midnight(self.start, zone), _midnight(self.end + timedelta(days=1), zone)

    def months(self) -> list[date]:
        """The first day of every month the period touches, oldest first."""
        first, found = self.start.replace(day=1), []
        while first <= self.end:
            found.append(first)
            first = next_month(first)
        return found


def period_of(kind: str, anchor: date) -> Period:
    """The calendar month, quarter or year holding `anchor`."""
    if kind == "month":
        first = anchor.replace(day=1)
    elif kind == "quarter":
        first = date(anchor.year, (anchor.month - 1) // 3 * 3 + 1, 1)
    elif kind == "year":
        first = date(anchor.year, 1, 1)
    else:
        raise ValueError(f"unknown period kind {kind!r}; expected month, quarter or year")
    steps = {"month": 1, "quarter": 3, "year": 12}[kind]
    last = first
    for _ in range(steps):
        last = next_month(last)
    return Period(first, last - timedelta(days=1))


def next_month(first: date) -> date:
    """The first day of the month after `first`."""
    return date(first.year + first.month // 12, first.month % 12 + 1, 1)


def _midnight(day: date, zone: ZoneInfo) -> datetime:
    """Local midnight at the start of `day`."""
    return datetime.combine(day, time(0), tzinfo=zone)
