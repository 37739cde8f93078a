"""Office time: holidays, breaks, a working day's notice and office hours counted across nights and weekends."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from core.office_time import (
    Office,
    bookable,
    booking_hours,
    earliest_start,
    holiday_name,
    in_office_hours,
    is_working_day,
    office_time_after,
    working_days_after,
)
from core.slots import office_hours

WIB, WIT = ZoneInfo("Asia/Jakarta"), ZoneInfo("Asia/Jayapura")
OFFICE = Office(frozenset({1, 2, 3, 4, 5}), time(8), time(15), WIB)


def _wib(month: int, day: int, hour: int, minute: int = 0, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=WIB)


def test_christmas_cuti_bersama_and_independence_day_are_no_working_days() -> None:
    assert holiday_name(date(2026, 12, 25)) == "Hari Raya Natal"
    assert "Cuti Bersama" in (holiday_name(date(2026, 12, 24)) or "")
    assert not is_working_day(date(2026, 8, 17), OFFICE)
    assert is_working_day(date(2026, 11, 23), OFFICE) and not is_working_day(date(2026, 11, 22), OFFICE)


def test_lunch_and_friday_prayer_are_never_bookable() -> None:
    now = _wib(11, 16, 8)
    assert in_office_hours(_wib(11, 23, 11), _wib(11, 23, 12), OFFICE)
    assert not in_office_hours(_wib(11, 23, 12), _wib(11, 23, 13), OFFICE)  # lunch, Monday
    assert not in_office_hours(_wib(11, 27, 11), _wib(11, 27, 12), OFFICE)  # into the Friday prayer
    assert not in_office_hours(_wib(11, 27, 12), _wib(11, 27, 13), OFFICE)
    assert bookable(_wib(11, 27, 13), _wib(11, 27, 14), now, OFFICE)
    assert not bookable(_wib(12, 25, 9), _wib(12, 25, 10), now, OFFICE)


def test_the_friday_prayer_window_and_its_source_are_data() -> None:
    rules = booking_hours()
    friday = next(rest for rest in rules.breaks if 5 in rest.weekdays)
    assert (friday.starts, friday.ends) == (time(11, 30), time(13))
    assert "Keputusan Presiden No. 68 Tahun 1995" in rules.source


def test_monday_eight_is_not_offered_on_sunday_evening() -> None:
    sunday_evening = _wib(11, 22, 19)
    assert earliest_start(sunday_evening, OFFICE) == _wib(11, 24, 8)
    assert not bookable(_wib(11, 23, 8), _wib(11, 23, 9), sunday_evening, OFFICE)
    assert bookable(_wib(11, 24, 8), _wib(11, 24, 9), sunday_evening, OFFICE)


def test_a_working_day_after_skips_weekends_and_holidays() -> None:
    assert working_days_after(_wib(11, 20, 10), 1, OFFICE) == _wib(11, 23, 10)  # Friday -> Monday
    assert working_days_after(_wib(12, 23, 10), 1, OFFICE) == _wib(12, 28, 10)  # over cuti bersama and Natal
    assert working_days_after(_wib(11, 23, 16), 1, OFFICE) == _wib(
        11, 25, 8
    )  # after closing: next morning + 1


def test_four_office_hours_skip_lunch_nights_and_weekends() -> None:
    hours = timedelta(hours=4)
    assert office_time_after(_wib(11, 19, 10), hours, OFFICE) == _wib(11, 19, 15)  # 10-12, 13-15
    assert office_time_after(_wib(11, 20, 14), hours, OFFICE) == _wib(11, 23, 11)  # Friday 14-15, Monday 8-11
    assert office_time_after(_wib(11, 20, 16), hours, OFFICE) == _wib(11, 23, 12)


def test_generated_slots_skip_holidays_lunch_and_the_friday_prayer() -> None:
    slots = office_hours(
        first=date(2026, 12, 24),
        last=date(2026, 12, 28),
        weekdays={1, 2, 3, 4, 5},
        opens=time(8),
        closes=time(15),
        minutes=60,
        zone=WIT,
    )
    local = [start.astimezone(WIT) for start, _ in slots]
    assert {moment.date() for moment in local} == {date(2026, 12, 28)}  # 24 cuti bersama, 25 Natal, weekend
    assert [moment.hour for moment in local] == [8, 9, 10, 11, 13, 14]
    friday = office_hours(
        first=date(2026, 11, 27),
        last=date(2026, 11, 27),
        weekdays={5},
        opens=time(8),
        closes=time(15),
        minutes=90,
        zone=WIB,
    )
    assert [start.astimezone(WIB).strftime("%H.%M") for start, _ in friday] == ["08.00", "09.30", "13.00"]


MOMENTS = st.datetimes(
    min_value=datetime(2026, 1, 1), max_value=datetime(2027, 12, 1), timezones=st.just(UTC)
)


@given(MOMENTS, st.integers(min_value=1, max_value=20 * 60))
def test_office_time_after_always_lands_in_office_time(moment: datetime, minutes: int) -> None:
    later = office_time_after(moment, timedelta(minutes=minutes), OFFICE)
    local = later.astimezone(WIB)
    assert later > moment and is_working_day(local.date(), OFFICE)
    assert time(8) < local.time() <= time(15)
    assert not (time(12) < local.time() <= time(13)) or local.isoweekday() == 5
    assert office_time_after(moment, timedelta(minutes=minutes + 30), OFFICE) > later


@given(MOMENTS)
def test_the_earliest_start_is_on_a_working_day_at_least_a_day_ahead(moment: datetime) -> None:
    earliest = earliest_start(moment, OFFICE)
    assert earliest - moment >= timedelta(hours=24) and is_working_day(
        earliest.astimezone(WIB).date(), OFFICE
    )
