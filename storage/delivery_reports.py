"""Provider delivery reports that act on an outbox row after it was sent (WhatsApp 63016 via Twilio)."""

from __future__ import annotations

from sqlalchemy import update
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Outbox
from storage.outbox import FAILED


async def outbox_by_provider_id(*, session: AsyncSession, provider_message_id: str) -> Outbox | None:
    """Finds the outbox row the provider knows by this message id."""
    query = select(Outbox).where(Outbox.provider_message_id == provider_message_id)
    return (await session.exec(query)).first()


async def fail_after_send(*, session: AsyncSession, outbox_id: int, reason: str) -> None:
    """Marks a row the provider accepted and later rejected as failed, keeping the reason."""
    await session.exec(
        update(Outbox).where(Outbox.id == outbox_id).values(status=FAILED, last_error=reason[:500])
    )
