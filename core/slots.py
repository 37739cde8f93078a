"""Recurring office hours turned into bookable consultant slots (never on a holiday, never over a break)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from core.office_time import break_overlapping, holiday_name


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
    """Slots of `minutes` between `opens` and `closes` local time on the ISO weekdays (1 = Senin), in UTC; public
    holidays and cuti bersama are skipped, and a slot that would overlap a break (lunch, Friday prayer) starts
    after it instead."""
    if minutes <= 0:
        raise ValueError("a slot must last at least one minute")
    slots = []
    day = first
    while day <= last:
        if day.isoweekday() in weekdays and holiday_name(day) is None:
            start = datetime.combine(day, opens, tzinfo=zone)
            end_of_day = datetime.combine(day, closes, tzinfo=zone)
            while start + timedelta(minutes=minutes) <= end_of_day:
                end = start + timedelta(minutes=minutes)
                rest = break_overlapping(start, end, zone)
                if rest is not None:
                    start = datetime.combine(day, rest.ends, tzinfo=zone)
                    continue
                slots.append((start.astimezone(UTC), end.astimezone(UTC)))
                start = end
        day += timedelta(days=1)
    return slots
