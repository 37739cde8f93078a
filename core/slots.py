"""Recurring office hours turned into bookable consultant slots."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo


def office_hours(
    *,
    first: date,
    last: date,
    weekdays: set[int],
    opens: time,
    closes: time,
    minutes: int,
    zone: ZoneInfo,
) -> list[tuple[datetime, datetime]]:
    """Slots of `minutes` between `opens` and `closes` local time on the ISO weekdays (1 = Senin), in UTC."""
    if minutes <= 0:
        raise ValueError("a slot must last at least one minute")
    slots = []
    day = first
    while day <= last:
        if day.isoweekday() in weekdays:
            start = datetime.combine(day, opens, tzinfo=zone)
            end_of_day = datetime.combine(day, closes, tzinfo=zone)
            while start + timedelta(minutes=minutes) <= end_of_day:
                end = start + timedelta(minutes=minutes)
                slots.append((start.astimezone(UTC), end.astimezone(UTC)))
                start = end
        day += timedelta(days=1)
    return slots
