"""Shared send slots: each send books the next free moment of its channel and chat in one locked transaction."""

from __future__ import annotations

from sqlalchemy import case, delete, update
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.db import insert_for
from storage.models import SendBudget

FORGET_CHATS_AFTER = 60.0


async def _lock(session: AsyncSession, key: str) -> tuple[float, float]:
    """Locks a key's row for this transaction (created empty if missing) in one statement; its two times."""
    statement = (
        insert_for(session, SendBudget)
        .values(key=key, next_free=0.0, paused_until=0.0)
        .on_conflict_do_update(index_elements=["key"], set_={"key": key})  # an upsert locks the row
        .returning(SendBudget.next_free, SendBudget.paused_until)
    )
    next_free, paused_until = (await session.exec(statement)).one()
    return next_free, paused_until


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
    chat_key = f"{channel}:{chat}"
    channel_next, paused_until = await _lock(session, channel)
    chat_next, _ = await _lock(session, chat_key)
    channel_free = max(at, channel_next, paused_until)
    start = max(channel_free, chat_next)
    if start > at + horizon:
        return start, channel_free
    moves = case((SendBudget.key == channel, start + interval), else_=start + chat_gap)
    await session.exec(
        update(SendBudget).where(SendBudget.key.in_([channel, chat_key])).values(next_free=moves)
    )
    return start, channel_free


async def pause(*, session: AsyncSession, channel: str, until: float) -> None:
    """Pauses the channel for every process until `until` (never shortens a longer pause)."""
    _next_free, paused_until = await _lock(session, channel)
    if until > paused_until:
        await session.exec(update(SendBudget).where(SendBudget.key == channel).values(paused_until=until))


async def forget_idle_chats(*, session: AsyncSession, channel: str, at: float) -> int:
    """Deletes chat rows whose spacing ended long ago (the channel's row is locked first); returns how many."""
    await _lock(session, channel)
    statement = delete(SendBudget).where(
        SendBudget.key.like(f"{channel}:%"), SendBudget.next_free < at - FORGET_CHATS_AFTER
    )
    return (await session.exec(statement)).rowcount
