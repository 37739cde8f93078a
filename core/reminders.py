"""When repayment reminders go out: the pure rules, with no clock and no database (times and zones are passed in).

Defaults: H-3 and H-0 at 08.00 local time and, while the instalment is unpaid, H+1 and H+3; then the reminders
stop (the H+3 text suggests talking to the consultant). Times are in the loan's zone (WIB, WITA or WIT). Nothing
goes out in quiet hours (21.00-07.00 local): a reminder due then waits for 07.00.

Catch-up after downtime: each kind has a grace period after its planned time. A reminder found later than that is
skipped, not sent late (an H-3 found after H-1 08.00 is skipped; the H-0 follows). Every grace is shorter than the
gap to the next kind, so catching up never sends two reminders about one instalment at once.

Order: a planned reminder sorts by (time, instalment number, rank of its kind). A loan waits for one reminder at a
time; when it is sent or skipped, the next one is the unpaid instalments' planned reminder that sorts after it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from functools import lru_cache
from zoneinfo import ZoneInfo

SEND_AT = time(8)
QUIET_FROM = time(21)
QUIET_UNTIL = time(7)


class Kind(StrEnum):
    """The kinds of repayment reminder, in the order they go out about one instalment."""

    BEFORE = "before_3"
    DUE = "due"
    AFTER_1 = "after_1"
    AFTER_3 = "after_3"
    SNOOZE = "snooze"


@dataclass(frozen=True)
class KindRule:
    """When a regular kind goes out (days from the due date) and how late it may still go out (grace)."""

    kind: Kind
    days: int
    grace: timedelta


RULES: tuple[KindRule, ...] = (
    KindRule(Kind.BEFORE, -3, timedelta(hours=48)),
    KindRule(Kind.DUE, 0, timedelta(hours=12)),
    KindRule(Kind.AFTER_1, 1, timedelta(hours=24)),
    KindRule(Kind.AFTER_3, 3, timedelta(hours=48)),
)
SNOOZE_GRACE = timedelta(hours=12)
GRACE: dict[Kind, timedelta] = {rule.kind: rule.grace for rule in RULES} | {Kind.SNOOZE: SNOOZE_GRACE}
RANK: dict[Kind, int] = {kind: rank for rank, kind in enumerate(Kind)}


@dataclass(frozen=True, order=True)
class Planned:
    """One reminder about one instalment; sorts by (time, instalment number, rank of its kind)."""

    at: datetime
    number: int
    rank: int
    kind: Kind = field(compare=False)
    due_on: date = field(compare=False)

    @classmethod
    def of(cls, kind: Kind | str, at: datetime, number: int, due_on: date) -> Planned:
        """Builds a planned reminder (e.g. from a stored row)."""
        kind = Kind(kind)
        return cls(at.astimezone(UTC), number, RANK[kind], kind, due_on)

    @property
    def deadline(self) -> datetime:
        """The last moment this reminder may still go out; later it is skipped."""
        return self.at + GRACE[self.kind]


@dataclass(frozen=True)
class Resolution:
    """What to do with a due reminder: send at most one, skip stale ones, then wait for `wait` until `wait_until`."""

    send: Planned | None
    skipped: tuple[Planned, ...]
    wait: Planned | None
    wait_until: datetime | None
    cancelled: bool = False


def local_moment(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The UTC instant of a local wall-clock time on a day in `zone`."""
    return datetime.combine(day, at, tzinfo=zone).astimezone(UTC)


def is_quiet(moment: datetime, zone: ZoneInfo) -> bool:
    """Tells whether a moment falls in the quiet hours (21.00-07.00) of `zone`."""
    clock = moment.astimezone(zone).time()
    return clock >= QUIET_FROM or clock < QUIET_UNTIL


def out_of_quiet(moment: datetime, zone: ZoneInfo) -> datetime:
    """The moment itself, or the 07.00 that ends the quiet hours it falls in."""
    if not is_quiet(moment, zone):
        return moment.astimezone(UTC)
    local = moment.astimezone(zone)
    day = local.date() if local.time() < QUIET_UNTIL else local.date() + timedelta(days=1)
    return local_moment(day, QUIET_UNTIL, zone)


@lru_cache(maxsize=65_536)
def planned(number: int, due_on: date, zone: ZoneInfo) -> tuple[Planned, ...]:
    """The regular reminders of one instalment (H-3, H-0, H+1, H+3 at 08.00 local), earliest first."""
    return tuple(
        Planned.of(
            rule.kind,
            out_of_quiet(local_moment(due_on + timedelta(days=rule.days), SEND_AT, zone), zone),
            number,
            due_on,
        )
        for rule in RULES
    )


def snooze(number: int, due_on: date, now: datetime, zone: ZoneInfo) -> Planned:
    """'Ingatkan besok': a reminder tomorrow at 08.00 local time (never in quiet hours)."""
    tomorrow = now.astimezone(zone).date() + timedelta(days=1)
    return Planned.of(Kind.SNOOZE, out_of_quiet(local_moment(tomorrow, SEND_AT, zone), zone), number, due_on)


def _after_key(after: Planned | datetime) -> tuple[datetime, int, int]:
    """The sort key to go past: a reminder's own key, or a moment (reminders at that very moment still count)."""
    if isinstance(after, Planned):
        return (after.at, after.number, after.rank)
    return (after.astimezone(UTC), -1, -1)


def next_after(
    unpaid: Iterable[tuple[int, date]], after: Planned | datetime, zone: ZoneInfo
) -> Planned | None:
    """The first regular reminder of the unpaid (number, due date) instalments that sorts after `after`."""
    key = _after_key(after)
    later = (
        p
        for number, due_on in unpaid
        for p in planned(number, due_on, zone)
        if (p.at, p.number, p.rank) > key
    )
    return min(later, default=None)


def resolve(
    pending: Planned, unpaid: Iterable[tuple[int, date]], now: datetime, zone: ZoneInfo
) -> Resolution:
    """Decides a reminder whose time has come: send, skip when stale, wait for 07.00 in quiet hours; then what next."""
    unpaid = tuple(unpaid)
    if pending.number not in {number for number, _ in unpaid}:
        wait = next_after(unpaid, now, zone)
        return Resolution(None, (), wait, wait.at if wait else None, cancelled=True)
    send: Planned | None = None
    skipped: list[Planned] = []
    current: Planned | None = pending
    while current is not None and current.at <= now:
        if now > current.deadline:
            skipped.append(current)
        elif is_quiet(now, zone):
            later = out_of_quiet(now, zone)
            if later <= current.deadline:
                return Resolution(send, tuple(skipped), current, later)
            skipped.append(current)
        else:
            if send is not None:
                skipped.append(send)
            send = current
        current = next_after(unpaid, current, zone)
    return Resolution(send, tuple(skipped), current, current.at if current else None)


def resume(
    pending: Planned | None, unpaid: Iterable[tuple[int, date]], now: datetime, zone: ZoneInfo
) -> Planned | None:
    """The reminder to wait for after the loan changed: the pending one while its instalment is unpaid, else the next."""
    unpaid = tuple(unpaid)
    if pending is not None and pending.number in {number for number, _ in unpaid}:
        return pending
    return next_after(unpaid, now, zone)


def horizon(now: datetime) -> date:
    """The earliest due date that can still have a reminder within its grace at `now` (older ones are all stale)."""
    reach = max(rule.days for rule in RULES) + math.ceil(max(GRACE.values()) / timedelta(days=1)) + 1
    return now.astimezone(UTC).date() - timedelta(days=reach)
