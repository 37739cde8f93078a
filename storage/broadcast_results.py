"""Broadcast results: delivery figures of a broadcast's outbox rows, exclusions, and the owners' answers."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import BroadcastRecipient, Business, Contact, Outbox
from storage.outbox import FAILED

DELIVERY_FAILED = ("failed", "undelivered")  # provider statuses after the message was accepted


async def delivery_counts(*, session: AsyncSession, broadcast_id: int) -> dict[tuple[str, str | None], int]:
    """The broadcast's outbox rows by (status, provider delivery status)."""
    query = (
        select(Outbox.status, Outbox.delivery_status, func.count())
        .join(BroadcastRecipient, BroadcastRecipient.outbox_id == Outbox.id)
        .where(BroadcastRecipient.broadcast_id == broadcast_id)
        .group_by(Outbox.status, Outbox.delivery_status)
    )
    return {(status, delivery): count for status, delivery, count in (await session.exec(query)).all()}


async def failure_reasons(
    *, session: AsyncSession, broadcast_id: int, limit: int = 5
) -> list[tuple[str, int]]:
    """The most common reasons the broadcast's messages failed, to send or later to be delivered."""
    query = (
        select(Outbox.last_error, func.count().label("n"))
        .join(BroadcastRecipient, BroadcastRecipient.outbox_id == Outbox.id)
        .where(
            BroadcastRecipient.broadcast_id == broadcast_id,
            or_(Outbox.status == FAILED, col(Outbox.delivery_status).in_(DELIVERY_FAILED)),
        )
        .group_by(Outbox.last_error)
        .order_by(func.count().desc())
        .limit(limit)
    )
    return [(reason or "-", count) for reason, count in (await session.exec(query)).all()]


async def sent_since(*, session: AsyncSession, broadcast_id: int, since: datetime) -> int:
    """How many of the broadcast's messages went out after `since` (the rate right now)."""
    query = (
        select(func.count())
        .select_from(Outbox)
        .join(BroadcastRecipient, BroadcastRecipient.outbox_id == Outbox.id)
        .where(BroadcastRecipient.broadcast_id == broadcast_id, col(Outbox.sent_at) >= since)
    )
    return (await session.exec(query)).one()


async def exclusion_counts(*, session: AsyncSession, broadcast_id: int) -> dict[str, int]:
    """How many contacts each reason kept from the broadcast."""
    query = (
        select(BroadcastRecipient.excluded, func.count())
        .where(BroadcastRecipient.broadcast_id == broadcast_id, col(BroadcastRecipient.excluded).is_not(None))
        .group_by(BroadcastRecipient.excluded)
    )
    return dict((await session.exec(query)).all())


async def record_answer(
    *, session: AsyncSession, broadcast_id: int, contact_id: int, answer: int, now: datetime
) -> bool:
    """Records (or changes) a recipient's answer; False when the contact was not sent this broadcast."""
    statement = (
        update(BroadcastRecipient)
        .where(
            BroadcastRecipient.broadcast_id == broadcast_id,
            BroadcastRecipient.contact_id == contact_id,
            col(BroadcastRecipient.outbox_id).is_not(None),
        )
        .values(answer=answer, answered_at=now)
    )
    return (await session.exec(statement)).rowcount == 1


async def answer_counts(*, session: AsyncSession, broadcast_id: int) -> dict[int, int]:
    """How many recipients picked each option (1-based)."""
    query = (
        select(BroadcastRecipient.answer, func.count())
        .where(BroadcastRecipient.broadcast_id == broadcast_id, col(BroadcastRecipient.answer).is_not(None))
        .group_by(BroadcastRecipient.answer)
    )
    return dict((await session.exec(query)).all())


async def answers_after(*, session: AsyncSession, broadcast_id: int, after: int, limit: int) -> Sequence[Any]:
    """The next page of answers (contact id, channel, names, kecamatan, phone, answer, when), by contact id."""
    query = (
        select(
            BroadcastRecipient.contact_id,
            Contact.channel,
            Business.owner_name,
            Business.name,
            Business.kecamatan,
            func.coalesce(Business.phone, Contact.phone),
            BroadcastRecipient.answer,
            BroadcastRecipient.answered_at,
        )
        .join(Contact, Contact.id == BroadcastRecipient.contact_id)
        .outerjoin(Business, col(Business.contact_id) == Contact.id)
        .where(
            BroadcastRecipient.broadcast_id == broadcast_id,
            col(BroadcastRecipient.answer).is_not(None),
            BroadcastRecipient.contact_id > after,
        )
        .order_by(col(BroadcastRecipient.contact_id))
        .limit(limit)
    )
    return (await session.exec(query)).all()
