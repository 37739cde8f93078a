"""Conversation state rows and the record of provider messages already handled."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.orm.attributes import flag_modified
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.db import insert_ignoring_duplicates
from storage.models import Conversation, ProcessedInbound


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
    statement = insert_ignoring_duplicates(
        session,
        ProcessedInbound,
        ["channel", "message_id"],
        channel=channel,
        message_id=message_id,
        processed_at=now,
    )
    result = await session.exec(statement.returning(ProcessedInbound.message_id))
    return result.first() is not None


async def prune_processed(*, session: AsyncSession, before: datetime) -> int:
    """Forgets provider message ids handled before `before` (providers stop resending long before)."""
    statement = delete(ProcessedInbound).where(ProcessedInbound.processed_at < before)
    return (await session.exec(statement)).rowcount
