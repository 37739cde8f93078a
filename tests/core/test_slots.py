"""Office hours become the right UTC slots."""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from core.slots import office_hours

WIB = ZoneInfo("Asia/Jakarta")


def test_weekday_mornings_in_wib_become_utc_slots() -> None:
    slots = office_hours(
        first=date(2026, 11, 23),
        last=date(2026, 11, 29),
        weekdays={1, 3},
        opens=time(9),
        closes=time(11),
        minutes=60,
        zone=WIB,
    )
    assert slots == [
        (datetime(2026, 11, 23, 2, tzinfo=UTC), datetime(2026, 11, 23, 3, tzinfo=UTC)),
        (datetime(2026, 11, 23, 3, tzinfo=UTC), datetime(2026, 11, 23, 4, tzinfo=UTC)),
        (datetime(2026, 11, 25, 2, tzinfo=UTC), datetime(2026, 11, 25, 3, tzinfo=UTC)),
        (datetime(2026, 11, 25, 3, tzinfo=UTC), datetime(2026, 11, 25, 4, tzinfo=UTC)),
    ]


def test_a_slot_never_runs_past_closing() -> None:
    slots = office_hours(
        first=date(2026, 11, 23),
        last=date(2026, 11, 23),
        weekdays={1},
        opens=time(9),
        closes=time(10, 30),
        minutes=60,
        zone=ZoneInfo("Asia/Makassar"),
    )
    assert len(slots) == 1 and slots[0][0] == datetime(2026, 11, 23, 1, tzinfo=UTC)


def test_zero_minutes_is_refused() -> None:
    with pytest.raises(ValueError):
        office_hours(
            first=date(2026, 1, 1),
            last=date(2026, 1, 2),
            weekdays={1},
            opens=time(9),
            closes=time(10),
            minutes=0,
            zone=WIB,
        )
