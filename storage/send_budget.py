"""Shared send slots: each send books the next free moment of its channel and chat in one locked transaction."""

from __future__ import annotations

from sqlalchemy import case, delete, text, update
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.db import insert_for
from storage.models import SendBudget

FORGET_CHATS_AFTER = 60.0


async def _lock(session: AsyncSession, keys: list[str]) -> dict[str, tuple[float, float]]:
    """Locks the keys' rows in their order for this transaction (created empty if missing) in one statement."""
    statement = (
        insert_for(session, SendBudget)
        .values([{"key": key, "next_free": 0.0, "paused_until": 0.0} for key in keys])
        .on_conflict_do_update(index_elements=["key"], set_={"key": text("excluded.key")})  # locks each row
        .returning(SendBudget.key, SendBudget.next_free, SendBudget.paused_until)
    )
    return {key: (next_free, paused) for key, next_free, paused in (await session.exec(statement)).all()}


async def book(
    *,
    session: AsyncSession,
    channel: str,
    chats: list[str],
    at: float,
    interval: float,
    chat_gap: float,
    horizon: float,
) -> list[tuple[float, float]]:
    """For each chat (distinct, in order): when a send may start and when the channel is free.

    A send is booked only if it can start by `at + horizon`; the booked sends are spaced `interval` apart on the
    channel and `chat_gap` per chat. The channel's row is always locked first, so bookings on one channel take
    turns and never deadlock.
    """
    rows = await _lock(
        session, [channel, *(f"{channel}:{chat}" for chat in chats)]
    )  # the channel's row first
    channel_next, paused_until = rows[channel]
    cursor = max(at, channel_next, paused_until)
    answers, moves = [], {}
    for chat in chats:
        key = f"{channel}:{chat}"
        start = max(cursor, rows[key][0])
        answers.append((start, cursor))
        if start <= at + horizon:
            moves[key] = start + chat_gap
            cursor = start + interval
    if moves:
        moves[channel] = cursor
        values = case(*((SendBudget.key == key, moment) for key, moment in moves.items()))
        await session.exec(update(SendBudget).where(SendBudget.key.in_(list(moves))).values(next_free=values))
    return answers


async def pause(*, session: AsyncSession, channel: str, until: float) -> None:
    """Pauses the channel for every process until `until` (never shortens a longer pause)."""
    _next_free, paused_until = (await _lock(session, [channel]))[channel]
    if until > paused_until:
        await session.exec(update(SendBudget).where(SendBudget.key == channel).values(paused_until=until))


async def forget_idle_chats(*, session: AsyncSession, channel: str, at: float) -> int:
    """Deletes chat rows whose spacing ended long ago (the channel's row is locked first); returns how many."""
    await _lock(session, [channel])
    statement = delete(SendBudget).where(
        SendBudget.key.like(f"{channel}:%"), SendBudget.next_free < at - FORGET_CHATS_AFTER
    )
    return (await session.exec(statement)).rowcount
