"""The survey test world: services on the test database, owners with a business and a recorded loan."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import pytest
from sqlmodel import col, select

from bot.clock import FixedClock
from bot.engine import Engine
from bot.services import Services
from bot.settings import Settings
from storage import loans
from storage.businesses import save_business
from storage.contacts import get_or_create_contact
from storage.db import make_engine, session_maker, transaction
from storage.models import FollowUpSurvey, Outbox
from tests.loans.conftest import Owner, local
from tests.transcript import Chat

WIB = "Asia/Jakarta"
BUSINESS = {
    "owner_name": "Siti Aminah",
    "name": "Keripik Bu Siti",
    "sector": "perdagangan",
    "kecamatan": "Muara Enim",
    "desa": "Pasar II",
    "started_on": date(2023, 3, 1),
    "monthly_turnover": 9_000_000,
    "capital": 25_000_000,
    "employees": 1,
    "size_class": "mikro",
}


def wib(*parts: int) -> datetime:
    """A wall-clock time in Muara Enim (WIB) as aware UTC."""
    return local(WIB, *parts)


@dataclass
class SurveyWorld:
    """Services over the test database and helpers to make owners and read the survey rows."""

    services: Services
    clock: FixedClock

    async def owner(
        self,
        user: str = "owner-1",
        *,
        channel: str = "telegram",
        loan_on: date | None = date(2026, 5, 21),
        status: str = loans.ACTIVE,
        **business: Any,
    ) -> int:
        """A registered owner (consent given, business saved) with one recorded loan; returns the contact id."""
        now = self.clock.now()
        async with transaction(self.services.sessions) as session:
            contact = await get_or_create_contact(session=session, channel=channel, external_id=user, now=now)
            contact.consent_at, contact.last_inbound_at = now, now
            session.add(contact)
            await session.flush()
            await save_business(session=session, contact_id=contact.id, fields=BUSINESS | business, now=now)
            contact_id = contact.id
        if loan_on is not None:
            owner = Owner(self.services.sessions, self.clock, user=user, channel=channel)
            await owner.add_loan(disbursed_on=loan_on, status=status)
        return contact_id

    def chat(self, user: str = "owner-1", channel: str = "telegram") -> Chat:
        """The owner's chat through the engine (what the console shows, options numbered)."""
        return Chat(sessions=self.services.sessions, clock=self.clock, user=user, channel=channel)

    async def surveys(self) -> list[FollowUpSurvey]:
        """Every survey row, oldest first."""
        async with self.services.sessions() as session:
            return list((await session.exec(select(FollowUpSurvey).order_by(col(FollowUpSurvey.id)))).all())

    async def invitations(self) -> list[Outbox]:
        """Every survey invitation in the outbox, oldest first."""
        query = select(Outbox).where(Outbox.kind == "survey").order_by(col(Outbox.id))
        async with self.services.sessions() as session:
            return list((await session.exec(query)).all())


def make_services(db_url: str, clock: FixedClock, **settings: Any) -> Services:
    """The services a worker builds (no channels): settings, clock, database, engine."""
    values = Settings(_env_file=None, database_url=db_url, **settings)
    db = make_engine(db_url)
    sessions = session_maker(db)
    engine = Engine(sessions=sessions, clock=clock, profile=values.profile)
    return Services(values, clock, db, sessions, engine, {}, "test-worker")


@pytest.fixture
async def world(db_url: str, clock: FixedClock) -> AsyncIterator[SurveyWorld]:
    """The survey world on the test database."""
    services = make_services(db_url, clock)
    yield SurveyWorld(services, clock)
    await services.db.dispose()
