"""Conversation state rows and the record of provider messages already handled."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import flag_modified
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Contact, Conversation, ProcessedInbound


async def lock_contact(*, session: AsyncSession, contact_id: int) -> Contact:
    """Locks a contact's row for this transaction so one user's messages run one after another."""
    query = select(Contact).where(Contact.id == contact_id).with_for_update()
    return (await session.exec(query)).one()


async def get_conversation(*, session: AsyncSession, contact_id: int) -> Conversation | None:
    """Returns where a contact stands in the conversation, if anywhere."""
    return await session.get(Conversation, contact_id)


async def save_conversation(*, session: AsyncSession, conversation: Conversation, now: datetime) -> None:
    """Writes the conversation state back in the current transaction."""
    conversation.updated_at = now
    flag_modified(conversation, "data")
    flag_modified(conversation, "history")
    session.add(conversation)


async def mark_processed(*, session: AsyncSession, channel: str, message_id: str, now: datetime) -> bool:
    """Records a provider message id; returns False when it was already handled."""
    try:
        async with session.begin_nested():
            session.add(ProcessedInbound(channel=channel, message_id=message_id, processed_at=now))
    except IntegrityError:
        return False
    return True
