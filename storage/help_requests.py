"""Requests to talk to a person: recorded from the chat, listed for the secretariat."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import select
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
