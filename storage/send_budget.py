"""Shared send slots: each send books the next free moment of its channel and chat in one locked transaction."""

from __future__ import annotations

from sqlalchemy import delete, update
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.db import insert_ignoring_duplicates
from storage.models import SendBudget

FORGET_CHATS_AFTER = 60.0


async def _row(session: AsyncSession, key: str) -> SendBudget:
    """The row of a key, created empty if missing, locked for this transaction."""
    await session.exec(
        insert_ignoring_duplicates(session, SendBudget, ["key"], key=key, next_free=0.0, paused_until=0.0)
    )
    query = select(SendBudget).where(SendBudget.key == key).with_for_update()
    return (await session.exec(query.execution_options(populate_existing=True))).one()


async def book(
    *,
    session: AsyncSession,
    channel: str,
    chat: str,
    at: float,
    interval: float,
    chat_gap: float,
    horizon: float,
) -> tuple[float, float]:
    """When a send to `chat` may start, and when the channel is free; booked only if by `at + horizon`.

    The channel's row is always locked first, so bookings on one channel take turns and never deadlock.
    """
    channel_row = await _row(session, channel)
    chat_row = await _row(session, f"{channel}:{chat}")
    channel_free = max(at, channel_row.next_free, channel_row.paused_until)
    start = max(channel_free, chat_row.next_free)
    if start > at + horizon:
        return start, channel_free
    channel_row.next_free = start + interval
    chat_row.next_free = start + chat_gap
    session.add_all([channel_row, chat_row])
    await session.flush()
    return start, channel_free


async def pause(*, session: AsyncSession, channel: str, until: float) -> None:
    """Pauses the channel for every process until `until` (never shortens a longer pause)."""
    row = await _row(session, channel)
    if until > row.paused_until:
        await session.exec(update(SendBudget).where(SendBudget.key == channel).values(paused_until=until))


async def forget_idle_chats(*, session: AsyncSession, channel: str, at: float) -> int:
    """Deletes chat rows whose spacing ended long ago (the channel's row is locked first); returns how many."""
    await _row(session, channel)
    statement = delete(SendBudget).where(
        SendBudget.key.like(f"{channel}:%"), SendBudget.next_free < at - FORGET_CHATS_AFTER
    )
    return (await session.exec(statement)).rowcount
