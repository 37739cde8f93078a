"""The database-backed SharedBudget: one channel's send slots booked by every process in storage/send_budget."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.governor import Booking, ChannelLimits
from storage import send_budget
from storage.db import quick_transaction

FORGET_EVERY = 1000


class DatabaseBudget:
    """Books sends of one channel in the database so N processes together keep its limits."""

    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], channel: str, limits: ChannelLimits, headroom: float
    ) -> None:
        self._sessions = sessions
        self._channel = channel
        self._interval = (1.0 + headroom) / limits.rate
        self._chat_gap = limits.per_chat_interval + headroom if limits.per_chat_interval > 0 else 0.0
        self._booked = 0

    async def book(self, recipients: list[str], at: float, horizon: float) -> list[Booking]:
        """Books, in order, the earliest moment to send to each recipient that is no later than `at + horizon`."""
        async with quick_transaction(self._sessions) as session:
            answers = await send_budget.book(
                session=session,
                channel=self._channel,
                chats=recipients,
                at=at,
                interval=self._interval,
                chat_gap=self._chat_gap,
                horizon=horizon,
            )
            before, self._booked = self._booked, self._booked + len(recipients)
            if before // FORGET_EVERY != self._booked // FORGET_EVERY:
                await send_budget.forget_idle_chats(session=session, channel=self._channel, at=at)
        return [Booking(start, channel_free) for start, channel_free in answers]

    async def pause(self, until: float) -> None:
        """Pauses the channel for every process until `until`."""
        async with quick_transaction(self._sessions) as session:
            await send_budget.pause(session=session, channel=self._channel, until=until)


def database_budgets(
    sessions: async_sessionmaker[AsyncSession],
) -> Callable[[str, ChannelLimits, float], DatabaseBudget]:
    """The `shared` factory for make_governors: a DatabaseBudget per channel on these sessions."""
    return lambda channel, limits, headroom: DatabaseBudget(sessions, channel, limits, headroom)
