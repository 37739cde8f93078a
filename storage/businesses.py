"""Registered businesses and their owners' data."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Business


async def get_business(*, session: AsyncSession, contact_id: int) -> Business | None:
    """Returns the business registered by a contact, if any."""
    return (await session.exec(select(Business).where(Business.contact_id == contact_id))).first()


async def save_business(
    *, session: AsyncSession, contact_id: int, fields: dict[str, Any], now: datetime
) -> Business:
    """Creates or updates a contact's business with the given fields."""
    business = await get_business(session=session, contact_id=contact_id)
    if business is None:
        business = Business(contact_id=contact_id, created_at=now, updated_at=now, **fields)
    else:
        for name, value in fields.items():
            setattr(business, name, value)
        business.updated_at = now
    session.add(business)
    await session.flush()
    return business


async def count_businesses(*, session: AsyncSession) -> int:
    """Counts registered businesses."""
    return (await session.exec(select(func.count()).select_from(Business))).one()
