"""Office time: working days, office hours without breaks, and when a consultant slot may be booked.

A working day is one of the kabupaten's office weekdays that is neither a public holiday nor a cuti bersama
(the `holidays` package, Indonesia). The breaks (lunch, Friday prayer), the notice a request needs and when an
unanswered request is chased are data in core/rules/booking_hours.toml, with their source.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache
from importlib import resources
from zoneinfo import ZoneInfo

import holidays

LOOK_AHEAD_DAYS = 60  # how far ahead a working day is looked for before the office is judged never open


@dataclass(frozen=True)
class Break:
    """A daily rest on some weekdays (ISO, 1 = Senin), local time: no slot overlaps it."""

    weekdays: frozenset[int]
    starts: time
    ends: time


@dataclass(frozen=True)
class BookingHours:
    """The breaks, the notice a request needs, and when an unanswered request is chased."""

    breaks: tuple[Break, ...]
    notice_working_days: int
    remind_after: timedelta
    escalate_after_working_days: int
    source: str


@cache
def booking_hours() -> BookingHours:
    """Loads core/rules/booking_hours.toml."""
    text = resources.files("core").joinpath("rules", "booking_hours.toml").read_text(encoding="utf-8")
    data = tomllib.loads(text)
    breaks = tuple(
        Break(frozenset(entry["weekdays"]), entry["starts"], entry["ends"]) for entry in data["breaks"]
    )
    return BookingHours(
        breaks=breaks,
        notice_working_days=int(data["notice_working_days"]),
        remind_after=timedelta(hours=data["remind_after_office_hours"]),
        escalate_after_working_days=int(data["escalate_after_working_days"]),
        source=data["source"],
    )


@dataclass(frozen=True)
class Office:
    """A kabupaten's office days and hours in its own zone."""

    weekdays: frozenset[int]
    opens: time
    closes: time
    zone: ZoneInfo


@cache
def _holidays(year: int) -> holidays.HolidayBase:
    """Indonesia's public holidays and cuti bersama (government offices close) of one year."""
    return holidays.country_holidays("ID", years=year, categories=("public", "government"), language="id")


def holiday_name(day: date) -> str | None:
    """The Indonesian name of the public holiday or cuti bersama on `day`, if it is one."""
    return _holidays(day.year).get(day)


def is_working_day(day: date, office: Office) -> bool:
    """An office weekday that is not a holiday."""
    return day.isoweekday() in office.weekdays and holiday_name(day) is None


def break_overlapping(start: datetime, end: datetime, zone: ZoneInfo) -> Break | None:
    """The break a local period [start, end) on one day overlaps, if any."""
    local_start, local_end = start.astimezone(zone), end.astimezone(zone)
    for rest in booking_hours().breaks:
        if local_start.isoweekday() not in rest.weekdays:
            continue
        rest_start = datetime.combine(local_start.date(), rest.starts, tzinfo=zone)
        rest_end = datetime.combine(local_start.date(), rest.ends, tzinfo=zone)
        if local_start < rest_end and rest_start < local_end:
            return rest
    return None


def _periods(day: date, office: Office) -> list[tuple[datetime, datetime]]:
    """The office periods of one day (none on a non-working day): opening to closing less the breaks."""
    if not is_working_day(day, office):
        return []
    periods = [
        (
            datetime.combine(day, office.opens, tzinfo=office.zone),
            datetime.combine(day, office.closes, tzinfo=office.zone),
        )
    ]
    for rest in booking_hours().breaks:
        if day.isoweekday() not in rest.weekdays:
            continue
        rest_start = datetime.combine(day, rest.starts, tzinfo=office.zone)
        rest_end = datetime.combine(day, rest.ends, tzinfo=office.zone)
        periods = [
            piece
            for start, end in periods
            for piece in ((start, min(end, rest_start)), (max(start, rest_end), end))
            if piece[0] < piece[1]
        ]
    return periods


def _days_from(moment: datetime, office: Office) -> list[date]:
    """The local days from `moment`'s on, as far as anything is looked for."""
    first = moment.astimezone(office.zone).date()
    return [first + timedelta(days=n) for n in range(LOOK_AHEAD_DAYS)]


def office_time_after(moment: datetime, amount: timedelta, office: Office) -> datetime:
    """The moment `amount` of office time after `moment` (4 office hours from Friday 14.00 is Monday 11.00)."""
    left = amount
    for day in _days_from(moment, office):
        for start, end in _periods(day, office):
            start = max(start, moment)
            if start >= end:
                continue
            if end - start >= left:
                return start + left
            left -= end - start
    raise ValueError("the office is never open in the coming weeks")


def working_days_after(moment: datetime, days: int, office: Office) -> datetime:
    """The same clock time `days` working days after the first office moment at or after `moment`
    (one working day after Sunday 19.00 is Tuesday 08.00; after Friday 10.00 it is Monday 10.00)."""
    start = office_time_after(moment, timedelta(0), office)
    local = start.astimezone(office.zone)
    day, counted = local.date(), 0
    while counted < days:
        day += timedelta(days=1)
        counted += is_working_day(day, office)
        if day - local.date() > timedelta(days=LOOK_AHEAD_DAYS):
            raise ValueError("the office is never open in the coming weeks")
    return datetime.combine(day, local.time(), tzinfo=office.zone)


def earliest_start(now: datetime, office: Office) -> datetime:
    """The earliest a slot requested at `now` may start: the notice of working days the rules ask for."""
    return working_days_after(now, booking_hours().notice_working_days, office)


def in_office_hours(start: datetime, end: datetime, office: Office) -> bool:
    """Whether a slot lies on a working day and overlaps no break."""
    day = start.astimezone(office.zone).date()
    return is_working_day(day, office) and break_overlapping(start, end, office.zone) is None


def bookable(start: datetime, end: datetime, now: datetime, office: Office) -> bool:
    """Whether a slot may be offered at `now`: a working day, no break overlapped, and enough notice."""
    return in_office_hours(start, end, office) and start >= earliest_start(now, office)
