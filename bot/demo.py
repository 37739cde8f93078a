"""Demo data for the embedded default: KKMB consultants with office-hour slots, an admin, and programme history."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.clock import Clock
from bot.demo_history import seed_history
from core.i18n import _
from core.kabupaten import Profile
from core.slots import office_hours
from storage.consultants import add_consultant, add_slots, list_consultants
from storage.contacts import get_or_create_contact
from storage.db import transaction

TOPICS = ["kur", "subsidi_daerah", "perizinan", "pembukuan", "lainnya"]
DEMO_CONSULTANTS = [
    ("Siti Rahmawati", "BRI Unit Muara Enim", 0),
    ("Andi Pratama", "Bank Sumsel Babel", 1),
    ("Dewi Lestari", "BRI Unit Tanjung Enim", 2),
]


async def seed_demo(*, sessions: async_sessionmaker[AsyncSession], clock: Clock, profile: Profile) -> str:
    """Adds demo consultants (each covering a few kecamatan) with two weeks of slots, and an admin; idempotent."""
    zone = ZoneInfo(profile.time_zone)
    now = clock.now()
    async with transaction(sessions) as session:
        if await list_consultants(session=session):
            return _history_line(await seed_history(session=session, now=now, profile=profile)) or _(
                "Demo data is already there."
            )
        admin = await get_or_create_contact(session=session, channel="console", external_id="admin", now=now)
        admin.role = "admin"
        session.add(admin)
        today = now.astimezone(zone).date()
        times = office_hours(
            first=today + timedelta(days=1),
            last=today + timedelta(days=14),
            weekdays=set(profile.office_weekdays),
            opens=profile.office_opens,
            closes=profile.office_closes,
            minutes=60,
            zone=zone,
        )
        areas = profile.kecamatan
        for name, bank, offset in DEMO_CONSULTANTS:
            covered = [areas[i] for i in range(offset, len(areas), len(DEMO_CONSULTANTS))]
            consultant = await add_consultant(
                session=session, name=name, bank=bank, kecamatan=covered, topics=TOPICS, now=now
            )
            await add_slots(session=session, consultant_id=consultant.id, times=times, place="secretariat")
        history = await seed_history(session=session, now=now, profile=profile)
    loaded = _(
        "Demo data loaded: {consultants} KKMB consultants with {slots} slots each, and an admin."
    ).format(consultants=len(DEMO_CONSULTANTS), slots=len(times))
    return "\n".join(filter(None, [loaded, _history_line(history)]))


def _history_line(businesses: int) -> str:
    """What the programme history added, or nothing when it was already there."""
    if not businesses:
        return ""
    return _(
        "Report: Demo history for the report: {count} businesses named [DEMO] over 18 months, "
        "with checks, appointments, loans, payments, reminders and surveys."
    ).format(count=businesses)
