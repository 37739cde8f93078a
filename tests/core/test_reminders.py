"""The rules of when repayment reminders go out, as tables: times, zones, quiet hours, grace and catch-up."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.reminders import (
    GRACE,
    RULES,
    Kind,
    Planned,
    horizon,
    is_quiet,
    next_after,
    out_of_quiet,
    planned,
    resolve,
    resume,
    snooze,
)
from core.simulator import simulate

WIB, WITA, WIT = ZoneInfo("Asia/Jakarta"), ZoneInfo("Asia/Makassar"), ZoneInfo("Asia/Jayapura")
DUE = date(2026, 12, 21)


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def local(zone: ZoneInfo, *parts: int) -> datetime:
    return datetime(*parts, tzinfo=zone).astimezone(UTC)


@pytest.mark.parametrize(
    ("zone", "times"),
    [
        (WIB, [utc(2026, 12, 18, 1), utc(2026, 12, 21, 1), utc(2026, 12, 22, 1), utc(2026, 12, 24, 1)]),
        (WITA, [utc(2026, 12, 18, 0), utc(2026, 12, 21, 0), utc(2026, 12, 22, 0), utc(2026, 12, 24, 0)]),
        (WIT, [utc(2026, 12, 17, 23), utc(2026, 12, 20, 23), utc(2026, 12, 21, 23), utc(2026, 12, 23, 23)]),
    ],
    ids=["WIB", "WITA", "WIT"],
)
def test_h_minus_3_h0_h1_h3_at_eight_local(zone: ZoneInfo, times: list[datetime]) -> None:
    plan = planned(1, DUE, zone)
    assert [p.kind for p in plan] == [Kind.BEFORE, Kind.DUE, Kind.AFTER_1, Kind.AFTER_3]
    assert [p.at for p in plan] == times
    assert all(p.at.astimezone(zone).hour == 8 for p in plan)


@pytest.mark.parametrize(
    ("due_on", "before", "after_3"),
    [
        (date(2027, 2, 28), date(2027, 2, 25), date(2027, 3, 3)),
        (date(2028, 2, 29), date(2028, 2, 26), date(2028, 3, 3)),
        (date(2027, 3, 31), date(2027, 3, 28), date(2027, 4, 3)),
        (date(2027, 1, 1), date(2026, 12, 29), date(2027, 1, 4)),
    ],
)
def test_offsets_cross_month_and_year_ends(due_on: date, before: date, after_3: date) -> None:
    plan = planned(2, due_on, WIB)
    assert plan[0].at.astimezone(WIB).date() == before
    assert plan[-1].at.astimezone(WIB).date() == after_3


@pytest.mark.parametrize(
    ("zone", "moment", "quiet", "released"),
    [
        (WIB, local(WIB, 2026, 12, 1, 20, 59), False, local(WIB, 2026, 12, 1, 20, 59)),
        (WIB, local(WIB, 2026, 12, 1, 21, 0), True, local(WIB, 2026, 12, 2, 7, 0)),
        (WIB, local(WIB, 2026, 12, 1, 23, 30), True, local(WIB, 2026, 12, 2, 7, 0)),
        (WIB, local(WIB, 2026, 12, 2, 0, 0), True, local(WIB, 2026, 12, 2, 7, 0)),
        (WIB, local(WIB, 2026, 12, 2, 6, 59), True, local(WIB, 2026, 12, 2, 7, 0)),
        (WIB, local(WIB, 2026, 12, 2, 7, 0), False, local(WIB, 2026, 12, 2, 7, 0)),
        (WIB, local(WIB, 2026, 12, 31, 22, 0), True, local(WIB, 2027, 1, 1, 7, 0)),
        (WITA, local(WITA, 2026, 12, 1, 22, 0), True, local(WITA, 2026, 12, 2, 7, 0)),
        (WIT, utc(2026, 12, 1, 12, 0), True, local(WIT, 2026, 12, 2, 7, 0)),  # 21.00 WIT
        (WIB, utc(2026, 12, 1, 12, 0), False, utc(2026, 12, 1, 12, 0)),  # 19.00 WIB
    ],
)
def test_quiet_hours_are_2100_to_0700_local(
    zone: ZoneInfo, moment: datetime, quiet: bool, released: datetime
) -> None:
    assert is_quiet(moment, zone) is quiet
    assert out_of_quiet(moment, zone) == released


def test_grace_per_kind() -> None:
    assert dict(GRACE) == {
        Kind.BEFORE: timedelta(hours=48),
        Kind.DUE: timedelta(hours=12),
        Kind.AFTER_1: timedelta(hours=24),
        Kind.AFTER_3: timedelta(hours=48),
        Kind.SNOOZE: timedelta(hours=12),
    }


def test_every_grace_ends_before_the_next_kind_so_catch_up_never_sends_two() -> None:
    for earlier, later in pairwise(RULES):
        assert earlier.grace < timedelta(days=later.days - earlier.days), earlier.kind


def test_h0_grace_ends_before_quiet_hours() -> None:
    due = planned(1, DUE, WIB)[1]
    assert not is_quiet(due.deadline, WIB)


@pytest.mark.parametrize(
    ("label", "now", "sent", "skipped", "waiting", "wait_until"),
    [
        ("on time", local(WIB, 2026, 12, 18, 8, 0), Kind.BEFORE, [], Kind.DUE, local(WIB, 2026, 12, 21, 8)),
        (
            "two hours late",
            local(WIB, 2026, 12, 18, 10),
            Kind.BEFORE,
            [],
            Kind.DUE,
            local(WIB, 2026, 12, 21, 8),
        ),
        (
            "found in quiet hours: waits for 07.00",
            local(WIB, 2026, 12, 18, 22),
            None,
            [],
            Kind.BEFORE,
            local(WIB, 2026, 12, 19, 7),
        ),
        (
            "last minute of grace",
            local(WIB, 2026, 12, 20, 8),
            Kind.BEFORE,
            [],
            Kind.DUE,
            local(WIB, 2026, 12, 21, 8),
        ),
        (
            "stale H-3 after the due date is skipped, H-0 goes",
            local(WIB, 2026, 12, 21, 10),
            Kind.DUE,
            [Kind.BEFORE],
            Kind.AFTER_1,
            local(WIB, 2026, 12, 22, 8),
        ),
        (
            "H-0 found at 21.30 is stale: both skipped, H+1 waits",
            local(WIB, 2026, 12, 21, 21, 30),
            None,
            [Kind.BEFORE, Kind.DUE],
            Kind.AFTER_1,
            local(WIB, 2026, 12, 22, 8),
        ),
        (
            "a week down: all four skipped, next instalment's H-3 waits",
            local(WIB, 2026, 12, 28, 9),
            None,
            [Kind.BEFORE, Kind.DUE, Kind.AFTER_1, Kind.AFTER_3],
            Kind.BEFORE,
            local(WIB, 2027, 1, 18, 8),
        ),
        (
            "down until H+3 noon: only H+3 goes",
            local(WIB, 2026, 12, 24, 12),
            Kind.AFTER_3,
            [Kind.BEFORE, Kind.DUE, Kind.AFTER_1],
            Kind.BEFORE,
            local(WIB, 2027, 1, 18, 8),
        ),
    ],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_catch_up_after_downtime(
    label: str,
    now: datetime,
    sent: Kind | None,
    skipped: list[Kind],
    waiting: Kind,
    wait_until: datetime,
) -> None:
    unpaid = [(1, DUE), (2, date(2027, 1, 21))]
    result = resolve(planned(1, DUE, WIB)[0], unpaid, now, WIB)
    assert (result.send.kind if result.send else None) == sent
    assert [p.kind for p in result.skipped] == skipped
    assert result.wait is not None and result.wait.kind == waiting
    assert result.wait_until == wait_until
    assert not result.cancelled


def test_a_paid_instalment_cancels_its_reminder_and_moves_to_the_next_unpaid() -> None:
    now = local(WIB, 2026, 12, 21, 8)
    result = resolve(planned(1, DUE, WIB)[1], [(2, date(2027, 1, 21))], now, WIB)
    assert result.cancelled and result.send is None and result.skipped == ()
    assert result.wait == planned(2, date(2027, 1, 21), WIB)[0]


def test_last_reminder_of_the_last_instalment_leaves_nothing_to_wait_for() -> None:
    last = planned(12, DUE, WIB)[-1]
    result = resolve(last, [(12, DUE)], last.at, WIB)
    assert result.send == last and result.wait is None and result.wait_until is None


def test_snooze_is_tomorrow_0800_and_the_regular_reminder_at_that_moment_is_not_repeated() -> None:
    now = local(WIB, 2026, 12, 20, 9)  # H-1
    again = snooze(1, DUE, now, WIB)
    assert again.at == local(WIB, 2026, 12, 21, 8) and again.kind is Kind.SNOOZE
    assert next_after([(1, DUE)], again, WIB).kind is Kind.AFTER_1


@pytest.mark.parametrize("zone", [WIB, WITA, WIT])
def test_snooze_late_at_night_still_means_tomorrow_morning(zone: ZoneInfo) -> None:
    now = local(zone, 2026, 12, 20, 23, 50)
    assert snooze(1, DUE, now, zone).at == local(zone, 2026, 12, 21, 8)


def test_after_h3_the_next_reminder_is_the_next_instalments_h3() -> None:
    unpaid = [(1, DUE), (2, date(2027, 1, 21))]
    after_3 = planned(1, DUE, WIB)[-1]
    assert next_after(unpaid, after_3, WIB) == planned(2, date(2027, 1, 21), WIB)[0]


def test_next_after_a_moment_counts_a_reminder_at_that_very_moment() -> None:
    first = planned(1, DUE, WIB)[0]
    assert next_after([(1, DUE)], first.at, WIB) == first
    assert next_after([(1, DUE)], first.at + timedelta(seconds=1), WIB).kind is Kind.DUE


@pytest.mark.parametrize(
    ("label", "pending", "unpaid", "expected"),
    [
        ("kept while unpaid", snooze(1, DUE, utc(2026, 12, 19, 3), WIB), [(1, DUE)], "pending"),
        ("paid: next instalment", planned(1, DUE, WIB)[1], [(2, date(2027, 1, 21))], Kind.BEFORE),
        ("nothing pending (resumed): next from now", None, [(1, DUE)], Kind.DUE),
        ("all paid: nothing", planned(1, DUE, WIB)[1], [], None),
    ],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_resume_after_a_change(label: str, pending: Planned | None, unpaid: list, expected: object) -> None:
    now = local(WIB, 2026, 12, 19, 10)
    result = resume(pending, unpaid, now, WIB)
    if expected == "pending":
        assert result == pending
    else:
        assert (result.kind if result else None) == expected


def test_horizon_reaches_back_past_every_grace() -> None:
    now = utc(2026, 12, 28, 3)
    oldest = horizon(now)
    assert all(p.deadline < now for p in planned(1, oldest - timedelta(days=1), WIT))
    assert all(p.deadline < now for p in planned(1, oldest - timedelta(days=1), WIB))


@st.composite
def situations(draw: st.DrawFn) -> tuple:
    """A loan's schedule, which instalments are unpaid, a pending reminder of one of them, and a moment."""
    start = draw(st.dates(min_value=date(2026, 1, 1), max_value=date(2028, 12, 31)))
    months = draw(st.integers(min_value=1, max_value=24))
    due_day = draw(st.integers(min_value=1, max_value=31))
    zone = draw(st.sampled_from([WIB, WITA, WIT]))
    dues = [
        row.due_date
        for row in simulate(
            1_000_000, months, borrower_rate=Decimal("0.06"), start=start, due_day=due_day
        ).schedule
    ]
    numbers = list(range(1, months + 1))
    own = draw(st.sampled_from(numbers))
    paid = draw(st.sets(st.sampled_from(numbers)))
    unpaid = [(n, dues[n - 1]) for n in numbers if n not in paid or n == own]
    if draw(st.booleans()):
        pending = draw(st.sampled_from(planned(own, dues[own - 1], zone)))
    else:
        pressed = local(zone, *dues[own - 1].timetuple()[:3], 12) + timedelta(days=draw(st.integers(-4, 4)))
        pending = snooze(own, dues[own - 1], pressed, zone)
    now = pending.at + timedelta(minutes=draw(st.integers(min_value=0, max_value=60 * 24 * 70)))
    return pending, own, unpaid, now, zone


@given(situations())
@settings(max_examples=400, deadline=None)
def test_own_instalment_decides_unless_its_chain_ends(situation: tuple) -> None:
    pending, own, unpaid, now, zone = situation
    alone = resolve(pending, [item for item in unpaid if item[0] == own], now, zone)
    if alone.wait is not None:
        assert alone == resolve(pending, unpaid, now, zone)


@given(situations())
@settings(max_examples=400, deadline=None)
def test_three_unpaid_instalments_from_the_horizon_decide_like_all(situation: tuple) -> None:
    """What is sent and waited for is the same; stale reminders older than the horizon are just not recorded."""
    pending, own, unpaid, now, zone = situation
    recent = [item for item in unpaid if item[1] >= horizon(now)][:3]
    read = {*recent, *(item for item in unpaid if item[0] == own)}
    some, every = resolve(pending, sorted(read), now, zone), resolve(pending, unpaid, now, zone)
    assert (some.send, some.wait, some.wait_until, some.cancelled) == (
        every.send,
        every.wait,
        every.wait_until,
        every.cancelled,
    )
