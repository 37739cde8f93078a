"""Aid applications: one per owner, aid and period (the unique key guards it), decisions, and the figures per aid."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, case, func, or_
from sqlalchemy.exc import IntegrityError
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.aid import APPLIED, APPROVED, DECLINED, DELIVERED, NEXT
from storage.models import AidApplication, Business, Contact

PAGE = 50


class AlreadyApplied(Exception):
    """The owner already applied for this aid in this period."""

    def __init__(self, application: AidApplication) -> None:
        """Keeps the application the owner already has."""
        super().__init__(f"owner already has application {application.id}")
        self.application = application


class WrongStep(Exception):
    """The application is not in a status the action can start from (someone else decided first)."""


@dataclass(frozen=True)
class ApplicationDetails:
    """An application with its owner's contact and business (both None once the owner is erased)."""

    application: AidApplication
    owner: Contact | None
    business: Business | None


async def application_of(
    *, session: AsyncSession, contact_id: int, aid_id: str, period: str
) -> AidApplication | None:
    """The owner's application for an aid in a period, if any."""
    query = select(AidApplication).where(
        AidApplication.contact_id == contact_id,
        AidApplication.aid_id == aid_id,
        AidApplication.period == period,
    )
    return (await session.exec(query)).first()


async def add_application(
    *,
    session: AsyncSession,
    contact_id: int,
    aid_id: str,
    period: str,
    kecamatan: str,
    reason: str,
    photo: str | None,
    now: datetime,
) -> AidApplication:
    """Stores a new application; AlreadyApplied when the owner has one for this aid and period."""
    application = AidApplication(
        contact_id=contact_id,
        aid_id=aid_id,
        period=period,
        kecamatan=kecamatan,
        reason=reason[:500],
        photo=photo[:500] if photo else None,
        applied_at=now,
    )
    try:
        async with session.begin_nested():
            session.add(application)
            await session.flush()
    except IntegrityError:
        existing = await application_of(session=session, contact_id=contact_id, aid_id=aid_id, period=period)
        if existing is None:
            raise
        raise AlreadyApplied(existing) from None
    return application


async def owner_applications(*, session: AsyncSession, contact_id: int) -> list[AidApplication]:
    """The owner's applications, newest first."""
    query = (
        select(AidApplication)
        .where(AidApplication.contact_id == contact_id)
        .order_by(col(AidApplication.applied_at).desc(), col(AidApplication.id).desc())
    )
    return list((await session.exec(query)).all())


def _details_query():  # noqa: ANN202
    """Applications joined with their owner and business."""
    return (
        select(AidApplication, Contact, Business)
        .join(Contact, col(Contact.id) == AidApplication.contact_id, isouter=True)
        .join(Business, col(Business.contact_id) == AidApplication.contact_id, isouter=True)
    )


async def list_applications(
    *,
    session: AsyncSession,
    aid_id: str | None = None,
    status: str | None = None,
    kecamatan: str | None = None,
    period: str | None = None,
    before_id: int | None = None,
    limit: int = PAGE,
) -> list[ApplicationDetails]:
    """Applications matching the filters, newest first, `limit` at a time (keyset on the id)."""
    query = _details_query()
    for column, value in (
        (AidApplication.aid_id, aid_id),
        (AidApplication.status, status),
        (AidApplication.kecamatan, kecamatan),
        (AidApplication.period, period),
    ):
        if value:
            query = query.where(column == value)
    if before_id is not None:
        query = query.where(col(AidApplication.id) < before_id)
    query = query.order_by(col(AidApplication.id).desc()).limit(limit)
    return [ApplicationDetails(*row) for row in (await session.exec(query)).all()]


async def application_details(
    *, session: AsyncSession, application_id: int, for_update: bool = False
) -> ApplicationDetails | None:
    """One application with its owner and business; `for_update` locks the application row."""
    query = _details_query().where(AidApplication.id == application_id)
    if for_update:
        query = query.with_for_update(of=AidApplication).execution_options(populate_existing=True)
    row = (await session.exec(query)).first()
    return None if row is None else ApplicationDetails(*row)


async def decide(
    *,
    session: AsyncSession,
    application: AidApplication,
    status: str,
    by: str,
    now: datetime,
    note: str | None,
) -> None:
    """Moves a (locked) application to approved, declined or delivered; WrongStep when that is not its next step."""
    if status not in NEXT[application.status]:
        raise WrongStep(f"application {application.id} is {application.status}, cannot become {status}")
    application.status = status
    if status == DELIVERED:
        application.delivered_at = now
    else:
        application.decided_at, application.decided_by = now, by
        application.decision_note = note[:500] if note else None
    session.add(application)
    await session.flush()


async def periods(*, session: AsyncSession) -> list[str]:
    """Every period applications were made in, newest first."""
    query = select(AidApplication.period).distinct().order_by(col(AidApplication.period).desc())
    return list((await session.exec(query)).all())


def _during(moment: Any, start: datetime, end: datetime) -> ColumnElement[bool]:
    """The moment falls in [start, end)."""
    return and_(col(moment) >= start, col(moment) < end)


async def aid_figures(
    session: AsyncSession, start: datetime, end: datetime, kecamatan: str | None = None
) -> dict[str, dict[str, int]]:
    """Per aid id, how many applications were made, approved, declined and delivered in [start, end).

    Each is counted by the moment it happened (applied_at, decided_at, delivered_at), so an application made
    in one report period and approved in the next counts in each for its own event. One pass over the rows."""
    status = col(AidApplication.status)
    decided = _during(AidApplication.decided_at, start, end)
    events = {
        APPLIED: _during(AidApplication.applied_at, start, end),
        APPROVED: and_(decided, status.in_((APPROVED, DELIVERED))),
        DECLINED: and_(decided, status == DECLINED),
        DELIVERED: _during(AidApplication.delivered_at, start, end),
    }
    counts = [func.sum(case((happened, 1), else_=0)) for happened in events.values()]
    query = (
        select(AidApplication.aid_id, *counts).where(or_(*events.values())).group_by(AidApplication.aid_id)
    )
    if kecamatan:
        query = query.where(AidApplication.kecamatan == kecamatan)
    rows = (await session.exec(query)).all()
    return {row[0]: {event: int(count) for event, count in zip(events, row[1:], strict=True)} for row in rows}
