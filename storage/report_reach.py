"""Report queries about reach: registered businesses by dimension and by month, and active users."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import case, func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.report_facts import Count, Reach
from storage.models import Business, Contact
from storage.report_scope import Scope

DEMO_PREFIX = "[DEMO]"
DIMENSIONS = ("kecamatan", "sector", "size_class", "channel")


async def reach(session: AsyncSession, scope: Scope, months: list[datetime]) -> Reach:
    """Businesses registered in the period and up to its end, by dimension and per month (`months`: their starts)."""
    dimensions = (Business.kecamatan, Business.sector, Business.size_class, Contact.channel)
    query = (
        select(*dimensions, func.sum(case((Business.created_at >= scope.since, 1), else_=0)), func.count())
        .join(Contact, Contact.id == Business.contact_id)
        .where(Business.created_at < scope.until)
        .group_by(*dimensions)
    )
    if scope.kecamatan is not None:
        query = query.where(Business.kecamatan == scope.kecamatan)
    combinations = (await session.exec(query)).all()  # one scan; each dimension adds up its combinations
    by = {key: _totals(combinations, index) for index, key in enumerate(DIMENSIONS)}
    counts = by["kecamatan"]
    return Reach(
        by=by,
        months=[(m.date(), n) for m, n in zip(months, await _per_month(session, scope, months), strict=True)],
        new=sum(c.new for c in counts),
        total=sum(c.total for c in counts),
        active_users=await _active_users(session, scope),
    )


def _totals(combinations: Sequence[Any], index: int) -> list[Count]:
    """The new and total counts of one dimension (column `index`), by its value in order."""
    new: dict[str, int] = defaultdict(int)
    total: dict[str, int] = defaultdict(int)
    for combination in combinations:
        label = str(combination[index])
        new[label] += int(combination[-2] or 0)
        total[label] += int(combination[-1])
    return [Count(label, new[label], total[label]) for label in sorted(total)]


async def _per_month(session: AsyncSession, scope: Scope, months: list[datetime]) -> list[int]:
    """New businesses in each month of the period (months cut at local midnight)."""
    ends = [*months[1:], scope.until]
    bucket = case(*((Business.created_at < end, index) for index, end in enumerate(ends)), else_=-1)
    query = (
        select(bucket, func.count())
        .where(Business.created_at >= scope.since, Business.created_at < scope.until)
        .group_by(bucket)
    )
    if scope.kecamatan is not None:
        query = query.where(Business.kecamatan == scope.kecamatan)
    found = dict((await session.exec(query)).all())
    return [int(found.get(index, 0)) for index in range(len(months))]


async def _active_users(session: AsyncSession, scope: Scope) -> int:
    """Owners whose latest message falls in the period."""
    query = (
        select(func.count())
        .select_from(Contact)
        .where(
            Contact.role == "owner",
            col(Contact.erased_at).is_(None),
            col(Contact.last_inbound_at) >= scope.since,
            col(Contact.last_inbound_at) < scope.until,
        )
    )
    if scope.kecamatan is not None:
        query = query.join(Business, Business.contact_id == Contact.id).where(
            Business.kecamatan == scope.kecamatan
        )
    return int((await session.exec(query)).one())


async def demo_businesses(session: AsyncSession) -> int:
    """How many businesses are synthetic demo data (`umkm seed-demo`)."""
    query = select(func.count()).select_from(Business).where(col(Business.name).startswith(DEMO_PREFIX))
    return int((await session.exec(query)).one())
