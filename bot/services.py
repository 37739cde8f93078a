"""The services every route and channel shares, built once in the app's lifespan."""

from __future__ import annotations

from dataclasses import dataclass, field

from fastapi import Request
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.clock import Clock
from bot.engine import Engine
from bot.governor import Governor
from bot.settings import Settings


@dataclass
class Services:
    """Settings, the clock, the database, the conversation engine, each channel's governor, this process's id."""

    settings: Settings
    clock: Clock
    db: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    engine: Engine
    governors: dict[str, Governor]
    worker_id: str
    held: set[int] = field(default_factory=set)  # outbox rows this process is delivering


def services_of(request: Request) -> Services:
    """The application's services, for route dependencies."""
    return request.app.state.services
