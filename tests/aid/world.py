"""Aid test helpers: a registered owner in a profile's kecamatan, and the stored applications."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.clock import FixedClock
from core.kabupaten import Profile
from storage.businesses import save_business
from storage.contacts import get_or_create_contact
from storage.models import AidApplication
from tests.transcript import Chat

NIK = "1608011505910001"


async def registered(
    sessions: async_sessionmaker[AsyncSession],
    clock: FixedClock,
    profile: Profile,
    user: str,
    channel: str = "console",
    **changes: Any,
) -> Chat:
    """An owner with a registered business (micro, food processing, the profile's first kecamatan) and their chat."""
    fields: dict[str, Any] = {
        "owner_name": "Sri Wahyuni",
        "phone": "+6281234567890",
        "nik": NIK,
        "name": f"Keripik {user}",
        "sector": "industri_pengolahan",
        "kecamatan": profile.kecamatan[0],
        "desa": "Wana Bakti",
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
    async with sessions.begin() as session:
        contact = await get_or_create_contact(
            session=session, channel=channel, external_id=user, now=clock.now()
        )
        contact.consent_at = clock.now()
        session.add(contact)
        await save_business(session=session, contact_id=contact.id, fields=fields, now=clock.now())
    return Chat(sessions=sessions, clock=clock, user=user, channel=channel, profile=profile)


async def applications(sessions: async_sessionmaker[AsyncSession]) -> list[AidApplication]:
    """Every stored application, oldest first."""
    async with sessions() as session:
        return list((await session.exec(select(AidApplication).order_by(col(AidApplication.id)))).all())
