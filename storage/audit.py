"""The audit log: every admin action, who did it and when."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import AuditLog


async def record(
    *,
    session: AsyncSession,
    actor: str,
    action: str,
    now: datetime,
    admin_id: int | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditLog:
    """Writes one audit row in the caller's transaction (so the action and its record commit together)."""
    row = AuditLog(admin_id=admin_id, actor=actor, action=action, detail=dict(detail or {}), at=now)
    session.add(row)
    await session.flush()
    return row


async def recent(*, session: AsyncSession, limit: int = 100, before_id: int | None = None) -> list[AuditLog]:
    """The newest audit rows first, a page at a time (rows older than `before_id`)."""
    query = select(AuditLog).order_by(AuditLog.id.desc()).limit(limit)
    if before_id is not None:
        query = query.where(AuditLog.id < before_id)
    return list((await session.exec(query)).all())
