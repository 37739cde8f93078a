"""Broadcasts: the segment as SQL (with each exclusion's reason), keyset fan-out, progress, answers."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import case, exists, func, or_, update
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core import broadcasts as rules
from core.broadcasts import Segment
from storage.db import insert_many_returning
from storage.models import (
    Booking,
    Broadcast,
    BroadcastRecipient,
    Business,
    Contact,
    EligibilityCheck,
    Loan,
    Outbox,
)
from storage.outbox import CANCELLED, PENDING
from storage.pushed import open_for_rows


def _reason(window_opened_after: datetime, template: bool) -> Any:
    """Why a contact gets nothing (None when it gets the broadcast), checked in the order of core.broadcasts."""
    whens: list[tuple[ColumnElement[bool], str]] = [
        (col(Contact.erased_at).is_not(None), rules.ERASED),
        (col(Contact.broadcasts_opt_out), rules.OPTED_OUT),
        (col(Contact.unreachable_reason).is_not(None), rules.UNREACHABLE),
        (col(Contact.channel).not_in(rules.CHANNELS), rules.NO_CHANNEL),
    ]
    if not template:
        closed = or_(
            col(Contact.last_inbound_at).is_(None), col(Contact.last_inbound_at) < window_opened_after
        )
        whens.append(((Contact.channel == "whatsapp") & closed, rules.NO_TEMPLATE))
    return case(*whens, else_=None).label("reason")


def _yes_no(value: str | None, condition: ColumnElement[bool]) -> list[ColumnElement[bool]]:
    """A yes/no filter: the condition, its negation, or nothing."""
    if value is None:
        return []
    return [condition if value == "yes" else ~condition]


def _filters(segment: Segment, now: datetime) -> list[ColumnElement[bool]]:
    """The WHERE clauses of a segment (owners only)."""
    where: list[ColumnElement[bool]] = [Contact.role == "owner"]
    for values, column in (
        (segment.kecamatan, Business.kecamatan),
        (segment.sector, Business.sector),
        (segment.size_class, Business.size_class),
        (segment.channel, Contact.channel),
    ):
        if values:
            where.append(col(column).in_(values))
    where += _yes_no(segment.registered, col(Business.id).is_not(None))
    where += _yes_no(segment.has_loan, exists().where(Loan.contact_id == Contact.id))
    where += _yes_no(segment.booked, exists().where(Booking.owner_contact_id == Contact.id))
    if segment.verdict is not None:
        checked = exists().where(EligibilityCheck.contact_id == Contact.id)
        latest_best = (
            select(EligibilityCheck.best_scheme)
            .where(EligibilityCheck.contact_id == Contact.id)
            .order_by(col(EligibilityCheck.id).desc())
            .limit(1)
            .scalar_subquery()
        )
        where.append(
            {
                "never": ~checked,
                "eligible": latest_best.is_not(None),
                "not_eligible": checked & latest_best.is_(None),
            }[segment.verdict]
        )
    if segment.active_days:
        where.append(col(Contact.last_inbound_at) >= now - timedelta(days=segment.active_days))
    return where


def audience(segment: Segment, *, now: datetime, window_opened_after: datetime, template: bool) -> Any:
    """Contacts in the segment with their channel, address, name and exclusion reason, by contact id."""
    return (
        select(
            Contact.id,
            Contact.channel,
            Contact.external_id,
            func.coalesce(Business.owner_name, Contact.display_name).label("name"),
            _reason(window_opened_after, template),
        )
        .outerjoin(Business, col(Business.contact_id) == Contact.id)
        .where(*_filters(segment, now))
        .order_by(col(Contact.id))
    )


async def audience_counts(*, session: AsyncSession, query: Any) -> dict[str | None, int]:
    """How many contacts of an audience query get the broadcast (key None) and how many each reason excludes."""
    inner = query.order_by(None).subquery()
    counts = select(inner.c.reason, func.count()).group_by(inner.c.reason)
    return {reason: count for reason, count in (await session.exec(counts)).all()}


async def audience_rows(*, session: AsyncSession, query: Any, after: int, limit: int) -> Sequence[Any]:
    """The next `limit` contacts of an audience after contact id `after` (keyset: never the whole list)."""
    return (await session.exec(query.where(Contact.id > after).limit(limit))).all()


async def add_broadcast(*, session: AsyncSession, now: datetime, **values: Any) -> Broadcast:
    """Stores a draft broadcast."""
    broadcast = Broadcast(created_at=now, updated_at=now, **values)
    session.add(broadcast)
    await session.flush()
    return broadcast


async def broadcast_of_form(*, session: AsyncSession, form_key: str) -> Broadcast | None:
    """The draft a compose form already made (a second click on "Simpan draf")."""
    return (await session.exec(select(Broadcast).where(Broadcast.form_key == form_key))).first()


async def get_broadcast(*, session: AsyncSession, broadcast_id: int, lock: bool = False) -> Broadcast | None:
    """One broadcast; `lock` holds its row until commit (fan-out and the admin's moves take turns)."""
    query = select(Broadcast).where(Broadcast.id == broadcast_id)
    if lock:
        query = query.with_for_update().execution_options(populate_existing=True)
    return (await session.exec(query)).first()


async def list_broadcasts(*, session: AsyncSession, limit: int = 100) -> list[Broadcast]:
    """The newest broadcasts first."""
    query = select(Broadcast).order_by(col(Broadcast.id).desc()).limit(limit)
    return list((await session.exec(query)).all())


async def active_broadcast_ids(*, session: AsyncSession, now: datetime) -> list[int]:
    """Broadcasts the worker has to look at: sending, or scheduled and due."""
    due = (Broadcast.status == rules.SCHEDULED) & (col(Broadcast.scheduled_at) <= now)
    query = (
        select(Broadcast.id).where(or_(Broadcast.status == rules.SENDING, due)).order_by(col(Broadcast.id))
    )
    return list((await session.exec(query)).all())


async def write_messages(*, session: AsyncSession, rows: list[dict[str, Any]]) -> dict[str, int]:
    """Adds a batch of outbox rows in one statement, each at most once by its send_key; returns every key's row id.

    The rows carry the same columns storage.outbox.enqueue writes. A key already in the outbox (a batch repeated
    after a crash) keeps its row, whose id is looked up and returned all the same.
    """
    table = Outbox.__table__
    written = await insert_many_returning(
        session, table, rows, unique=["send_key"], returning=[table.c.send_key, table.c.id]
    )
    ids = dict(written)
    await open_for_rows(session=session, rows=[row for row in rows if row["send_key"] in ids])  # answerable
    missing = [row["send_key"] for row in rows if row["send_key"] not in ids]
    if missing:
        found = await session.exec(
            select(Outbox.send_key, Outbox.id).where(col(Outbox.send_key).in_(missing))
        )
        ids |= dict(found.all())
    return ids


async def add_recipients(*, session: AsyncSession, rows: list[dict[str, Any]]) -> list[Any]:
    """Records a batch of recipients (outbox row or exclusion); returns (outbox_id, excluded) of the new ones."""
    table = BroadcastRecipient.__table__
    return await insert_many_returning(
        session,
        table,
        rows,
        unique=["broadcast_id", "contact_id"],
        returning=[table.c.outbox_id, table.c.excluded],
    )


def _rows_of(broadcast_id: int) -> Any:
    """The outbox ids of a broadcast's recipients."""
    return select(BroadcastRecipient.outbox_id).where(
        BroadcastRecipient.broadcast_id == broadcast_id, col(BroadcastRecipient.outbox_id).is_not(None)
    )


async def hold_pending(*, session: AsyncSession, broadcast_id: int, until: datetime) -> int:
    """Keeps the broadcast's waiting messages back until `until` (quiet hours, pause); returns how many."""
    statement = (
        update(Outbox)
        .where(
            col(Outbox.id).in_(_rows_of(broadcast_id)),
            Outbox.status == PENDING,
            Outbox.next_attempt_at < until,
        )
        .values(next_attempt_at=until)
    )
    return (await session.exec(statement)).rowcount


async def release_pending(*, session: AsyncSession, broadcast_id: int, at: datetime) -> int:
    """Lets the broadcast's held messages go from `at` (resume); returns how many."""
    statement = (
        update(Outbox)
        .where(
            col(Outbox.id).in_(_rows_of(broadcast_id)), Outbox.status == PENDING, Outbox.next_attempt_at > at
        )
        .values(next_attempt_at=at)
    )
    return (await session.exec(statement)).rowcount


async def cancel_pending(*, session: AsyncSession, broadcast_id: int) -> int:
    """Cancels every message of the broadcast not yet handed to a channel; returns how many."""
    statement = (
        update(Outbox)
        .where(col(Outbox.id).in_(_rows_of(broadcast_id)), Outbox.status == PENDING)
        .values(status=CANCELLED, last_error="broadcast cancelled")
    )
    return (await session.exec(statement)).rowcount
