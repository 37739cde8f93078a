"""Which free slots are offered: working days only, never over a break, and with a working day's notice."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from core.kabupaten import Profile
from core.office_time import Office, bookable, earliest_start, in_office_hours
from storage.bookings import free_slots
from storage.models import Slot

BATCH = 50  # free slots read at a time while skipping those that may not be offered


def office_of(profile: Profile) -> Office:
    """The kabupaten's office days and hours in its zone."""
    return Office(
        frozenset(profile.office_weekdays),
        profile.office_opens,
        profile.office_closes,
        ZoneInfo(profile.time_zone),
    )


def _aware(moment: datetime) -> datetime:
    """A stored time as aware UTC (SQLite hands times back without their zone)."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def may_book(slot: Slot, now: datetime, profile: Profile) -> bool:
    """Whether an owner may still ask for this slot now (also checked when the request is sent)."""
    return bookable(_aware(slot.starts_at), _aware(slot.ends_at), now, office_of(profile))


async def offered_slots(
    *,
    session: AsyncSession,
    consultant_id: int,
    now: datetime,
    profile: Profile,
    limit: int,
    after: datetime | None = None,
    exclude: Iterable[int] = (),
) -> list[Slot]:
    """A consultant's free slots an owner may ask for now, after `after` when given, earliest first."""
    office, excluded = office_of(profile), list(exclude)
    earliest = earliest_start(now, office)
    cursor = after if after is not None and after >= earliest else earliest - timedelta(microseconds=1)
    found: list[Slot] = []
    while len(found) < limit:
        batch = await free_slots(
            session=session, consultant_id=consultant_id, after=cursor, limit=BATCH, exclude=excluded
        )
        found += [
            slot for slot in batch if in_office_hours(_aware(slot.starts_at), _aware(slot.ends_at), office)
        ]
        if len(batch) < BATCH:
            break
        cursor = _aware(batch[-1].starts_at)
    return found[:limit]
