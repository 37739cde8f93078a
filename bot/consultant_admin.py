"""What the CLI and the admin pages both do to consultants: checked names, recurring slots, link codes."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, time
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from core.booking import PLACES, new_link_code
from core.i18n import _
from core.slots import office_hours
from storage.consultants import add_slots, set_link_code
from storage.models import Consultant


class BadValue(ValueError):
    """A value the admin must correct; the message is friendly Indonesian."""


def names(wanted: Iterable[str], allowed: Iterable[str], field: str) -> list[str]:
    """Checks names against the allowed ones (any case) and returns them in the allowed spelling."""
    allowed = tuple(allowed)
    spelled = {name.casefold(): name for name in allowed}
    wanted = [part.strip() for part in wanted if part.strip()]
    unknown = [part for part in wanted if part.casefold() not in spelled]
    if unknown or not wanted:
        raise BadValue(
            _("{option}: unknown {unknown}. Choose from: {allowed}.").format(
                option=field, unknown=", ".join(unknown) or "-", allowed=", ".join(allowed)
            )
        )
    return [spelled[part.casefold()] for part in wanted]


async def generate_slots(
    *,
    session: AsyncSession,
    consultant: Consultant,
    first: date,
    last: date,
    weekdays: set[int],
    opens: time,
    closes: time,
    minutes: int,
    place: str,
    zone: ZoneInfo,
) -> tuple[int, int]:
    """Adds the office-hour slots between two days that do not exist yet; returns (added, already there)."""
    if last < first:
        raise BadValue(_("The last day must not be before the first day."))
    if place not in PLACES:
        raise BadValue(_("The place must be one of: {allowed}.").format(allowed=", ".join(PLACES)))
    times = office_hours(
        first=first, last=last, weekdays=weekdays, opens=opens, closes=closes, minutes=minutes, zone=zone
    )
    if not times:
        raise BadValue(
            _("No slot fits these days and hours. Check the weekdays, the hours and the slot length.")
        )
    assert consultant.id is not None
    added = await add_slots(session=session, consultant_id=consultant.id, times=times, place=place)
    return added, len(times) - added


async def fresh_link_code(*, session: AsyncSession, consultant: Consultant) -> str:
    """Gives the consultant a new one-time code to link their chat, replacing an unused one."""
    assert consultant.id is not None
    code = new_link_code()
    await set_link_code(session=session, consultant_id=consultant.id, code=code)
    return code
