"""KKMB consultants and their bookable slots."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Consultant, Slot


async def add_consultant(
    *,
    session: AsyncSession,
    name: str,
    bank: str,
    kecamatan: list[str],
    topics: list[str],
    now: datetime,
    link_code: str | None = None,
) -> Consultant:
    """Adds an active consultant."""
    consultant = Consultant(
        name=name, bank=bank, kecamatan=kecamatan, topics=topics, link_code=link_code, created_at=now
    )
    session.add(consultant)
    await session.flush()
    return consultant


async def list_consultants(*, session: AsyncSession, active_only: bool = False) -> list[Consultant]:
    """Lists consultants by id."""
    query = select(Consultant).order_by(Consultant.id)
    if active_only:
        query = query.where(Consultant.active)
    return list((await session.exec(query)).all())


async def deactivate_consultant(*, session: AsyncSession, consultant_id: int) -> Consultant | None:
    """Marks a consultant inactive; returns None when there is no such consultant."""
    consultant = await session.get(Consultant, consultant_id)
    if consultant is not None:
        consultant.active = False
        session.add(consultant)
    return consultant


async def add_slots(
    *, session: AsyncSession, consultant_id: int, times: list[tuple[datetime, datetime]], place: str
) -> int:
    """Adds slots that do not exist yet; returns how many were added."""
    existing = set(
        (await session.exec(select(Slot.starts_at).where(Slot.consultant_id == consultant_id))).all()
    )
    added = 0
    for starts_at, ends_at in times:
        if starts_at in existing:
            continue
        session.add(Slot(consultant_id=consultant_id, starts_at=starts_at, ends_at=ends_at, place=place))
        added += 1
    await session.flush()
    return added
