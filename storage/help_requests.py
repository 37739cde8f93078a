"""Requests to talk to a person: recorded from the chat, listed for the secretariat."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Contact, HelpRequest


async def add_request(*, session: AsyncSession, contact: Contact, text: str, now: datetime) -> HelpRequest:
    """Records that a contact wants a person to answer `text`."""
    request = HelpRequest(contact_id=contact.id, channel=contact.channel, text=text, created_at=now)
    session.add(request)
    await session.flush()
    return request


async def open_requests(
    *, session: AsyncSession, limit: int = 100
) -> list[tuple[HelpRequest, Contact | None]]:
    """Unanswered requests, oldest first, with their contact."""
    query = (
        select(HelpRequest, Contact)
        .outerjoin(Contact, Contact.id == HelpRequest.contact_id)
        .where(HelpRequest.answered_at.is_(None))  # type: ignore[union-attr]
        .order_by(HelpRequest.created_at, HelpRequest.id)
        .limit(limit)
    )
    return [(request, contact) for request, contact in (await session.exec(query)).all()]


async def count_open(*, session: AsyncSession) -> int:
    """How many requests wait for an answer."""
    query = select(func.count()).select_from(HelpRequest).where(col(HelpRequest.answered_at).is_(None))
    return (await session.exec(query)).one()


async def open_request(
    *, session: AsyncSession, request_id: int
) -> tuple[HelpRequest, Contact | None] | None:
    """One unanswered request with its contact, locked for this transaction; None when answered or missing."""
    query = (
        select(HelpRequest, Contact)
        .outerjoin(Contact, Contact.id == HelpRequest.contact_id)
        .where(HelpRequest.id == request_id, col(HelpRequest.answered_at).is_(None))
        .with_for_update(of=HelpRequest)
    )
    found = (await session.exec(query)).first()
    return None if found is None else (found[0], found[1])


def mark_answered(*, session: AsyncSession, request: HelpRequest, now: datetime) -> None:
    """Marks a request answered (in the caller's transaction)."""
    request.answered_at = now
    session.add(request)
