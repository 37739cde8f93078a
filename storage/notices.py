"""Admin notices: a broadcast finished (done or cancelled), written once per admin and broadcast, read or not."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.db import insert_ignoring_duplicates
from storage.models import AdminNotice, Broadcast


async def add_notice(
    *, session: AsyncSession, admin_id: int, broadcast_id: int, outcome: str, now: datetime
) -> bool:
    """Writes the notice unless it exists; returns whether it was new."""
    insert = insert_ignoring_duplicates(
        session,
        AdminNotice,
        ["admin_id", "broadcast_id"],
        admin_id=admin_id,
        broadcast_id=broadcast_id,
        outcome=outcome,
        created_at=now,
    )
    return (await session.exec(insert.returning(AdminNotice.id))).first() is not None


async def unread_count(*, session: AsyncSession, admin_id: int) -> int:
    """How many of the admin's notices are not read yet."""
    query = select(func.count()).where(AdminNotice.admin_id == admin_id, col(AdminNotice.read_at).is_(None))
    return (await session.exec(query)).one()


async def recent_notices(
    *, session: AsyncSession, admin_id: int, limit: int = 10
) -> list[tuple[AdminNotice, Broadcast]]:
    """The admin's newest notices with their broadcasts, unread first."""
    query = (
        select(AdminNotice, Broadcast)
        .join(Broadcast, col(Broadcast.id) == AdminNotice.broadcast_id)
        .where(AdminNotice.admin_id == admin_id)
        .order_by(col(AdminNotice.read_at).is_not(None), col(AdminNotice.id).desc())
        .limit(limit)
    )
    return [(notice, broadcast) for notice, broadcast in (await session.exec(query)).all()]


async def open_notice(*, session: AsyncSession, admin_id: int, notice_id: int, now: datetime) -> int | None:
    """Marks one of the admin's notices read (once) and returns its broadcast id; None when it is not theirs."""
    notice = await session.get(AdminNotice, notice_id)
    if notice is None or notice.admin_id != admin_id:
        return None
    if notice.read_at is None:
        notice.read_at = now
        session.add(notice)
    return notice.broadcast_id
