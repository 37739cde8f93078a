"""Booking test world: consultants with office-hour slots, registered owners, linked consultant chats, outbox reads."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.clock import FixedClock
from core.booking import TOPICS
from core.kabupaten import Profile, load_profile
from core.slots import office_hours
from storage.businesses import save_business
from storage.consultants import add_consultant, add_slots
from storage.contacts import get_or_create_contact
from storage.models import Booking, Consultant, Outbox, Slot
from tests.transcript import Chat, in_zone

ZONE = ZoneInfo("Asia/Jakarta")
NIK = "1603011505910001"
# Monday 23 November to Friday 4 December 2026, 09.00-12.00 WIB: three slots a day (two on Fridays, whose 11.00
# would run into the Friday prayer).
FIRST_DAY, LAST_DAY = date(2026, 11, 23), date(2026, 12, 4)
OPENS, CLOSES = time(9, 0), time(12, 0)
# The world's "now": Thursday 19 November 2026, 10.00 local, so Monday 09.00 is more than a working day ahead.
THURSDAY_10 = (2026, 11, 19, 10, 0)


@dataclass
class World:
    """The consultants of a test and the helpers to add owners and link chats."""

    sessions: async_sessionmaker[AsyncSession]
    clock: FixedClock
    siti: int
    andi: int
    dewi: int
    profile: Profile = field(default_factory=load_profile)

    @property
    def zone(self) -> ZoneInfo:
        """The kabupaten's zone: slots are in its office hours, reminders in its local time."""
        return ZoneInfo(self.profile.time_zone)

    def local(self, text: str) -> str:
        """Expected text written in WIB, read in the world's zone."""
        return in_zone(text, self.profile)

    def chat(self, user: str, channel: str = "console") -> Chat:
        """A chat as one user."""
        return Chat(
            sessions=self.sessions, clock=self.clock, user=user, channel=channel, profile=self.profile
        )

    async def owner(self, user: str, *, channel: str = "console", **changes: Any) -> Chat:
        """A registered owner (business in Kecamatan Muara Enim unless changed) and their chat."""
        fields: dict[str, Any] = {
            "owner_name": "Siti Aminah",
            "phone": "+6281234567890",
            "nik": NIK,
            "name": f"Warung {user}",
            "sector": "perdagangan",
            "kecamatan": "Muara Enim",
            "desa": "Pasar II",
            "started_on": date(2023, 3, 1),
            "monthly_turnover": 30_000_000,
            "capital": 50_000_000,
            "employees": 1,
            "licence_type": "sku",
            "licence_number": None,
            "has_npwp": False,
            "size_class": "mikro",
            **changes,
        }
        async with self.sessions.begin() as session:
            contact = await get_or_create_contact(
                session=session, channel=channel, external_id=user, now=self.clock.now()
            )
            contact.consent_at = self.clock.now()
            session.add(contact)
            await save_business(session=session, contact_id=contact.id, fields=fields, now=self.clock.now())
        return self.chat(user, channel)

    async def link(self, consultant_id: int, user: str, channel: str = "telegram") -> Chat:
        """Links a consultant to a chat that has talked to the bot, directly (the code path has its own tests)."""
        async with self.sessions.begin() as session:
            contact = await get_or_create_contact(
                session=session, channel=channel, external_id=user, now=self.clock.now()
            )
            contact.role = "consultant"
            consultant = await session.get(Consultant, consultant_id)
            assert consultant is not None
            consultant.contact_id = contact.id
            session.add_all([contact, consultant])
        chat = self.chat(user, channel)
        await chat.send("halo")
        return chat

    async def admin(self, user: str = "admin") -> Chat:
        """An admin contact on the console."""
        async with self.sessions.begin() as session:
            contact = await get_or_create_contact(
                session=session, channel="console", external_id=user, now=self.clock.now()
            )
            contact.role = "admin"
            session.add(contact)
        chat = self.chat(user)
        await chat.send("halo")
        return chat

    async def outbox(self, **where: Any) -> list[Outbox]:
        """Outbox rows in order, filtered by column values."""
        async with self.sessions() as session:
            query = select(Outbox).order_by(col(Outbox.id))
            for name, value in where.items():
                query = query.where(getattr(Outbox, name) == value)
            return list((await session.exec(query)).all())

    async def bookings(self) -> list[Booking]:
        """Every booking, in order."""
        async with self.sessions() as session:
            return list((await session.exec(select(Booking).order_by(col(Booking.id)))).all())

    async def slots(self, consultant_id: int) -> list[Slot]:
        """A consultant's slots, earliest first."""
        async with self.sessions() as session:
            query = select(Slot).where(Slot.consultant_id == consultant_id).order_by(col(Slot.starts_at))
            return list((await session.exec(query)).all())


async def make_world(
    sessions: async_sessionmaker[AsyncSession], clock: FixedClock, profile: Profile | None = None
) -> World:
    """Siti and Dewi cover Muara Enim (Dewi has no slots), Andi covers Lawang Kidul; Siti and Andi have slots.
    The clock is set to Thursday 19 November 10.00 local."""
    profile = profile or load_profile()
    clock.moment = datetime(*THURSDAY_10, tzinfo=ZoneInfo(profile.time_zone)).astimezone(UTC)
    times = office_hours(
        first=FIRST_DAY,
        last=LAST_DAY,
        weekdays={1, 2, 3, 4, 5},
        opens=OPENS,
        closes=CLOSES,
        minutes=60,
        zone=ZoneInfo(profile.time_zone),
    )
    ids = []
    async with sessions.begin() as session:
        for name, bank, kecamatan, with_slots in (
            ("Siti Rahmawati", "BRI Unit Muara Enim", ["Muara Enim", "Ujan Mas"], True),
            ("Andi Pratama", "Bank Sumsel Babel", ["Lawang Kidul"], True),
            ("Dewi Lestari", "BRI Unit Tanjung Enim", ["Muara Enim"], False),
        ):
            consultant = await add_consultant(
                session=session,
                name=name,
                bank=bank,
                kecamatan=kecamatan,
                topics=list(TOPICS),
                now=clock.now(),
            )
            if with_slots:
                await add_slots(
                    session=session, consultant_id=consultant.id, times=times, place="secretariat"
                )
            ids.append(consultant.id)
    return World(sessions, clock, *ids, profile=profile)


@pytest.fixture
def profile() -> Profile:
    """The kabupaten of the booking world; a module may run its tests in other zones by overriding this."""
    return load_profile()


@pytest.fixture
async def world(sessions, clock, profile: Profile) -> World:
    """The booking test world on the test database."""
    return await make_world(sessions, clock, profile)
