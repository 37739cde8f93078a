"""The web application: webhooks, the web chat and health, sharing one engine and database."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from fastapi import FastAPI, Request
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.clock import Clock, SystemClock
from bot.engine import Engine
from bot.settings import Settings
from storage.db import make_engine, session_maker


@dataclass
class Services:
    """What every route needs: settings, the clock, the database and the conversation engine."""

    settings: Settings
    clock: Clock
    db: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    engine: Engine


def services_of(request: Request) -> Services:
    """The application's services, for route dependencies."""
    return request.app.state.services


def create_app(settings: Settings | None = None, *, clock: Clock | None = None) -> FastAPI:
    """Builds the app; nothing touches the network or database until the lifespan starts."""
    settings = settings or Settings()
    clock = clock or SystemClock()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        db = make_engine(settings.database_url)
        sessions = session_maker(db)
        engine = Engine(sessions=sessions, clock=clock, profile=settings.profile)
        app.state.services = Services(settings, clock, db, sessions, engine)
        try:
            yield
        finally:
            await db.dispose()

    app = FastAPI(title="Rumah UMKM", lifespan=lifespan, docs_url=None, redoc_url=None)

    @app.get("/healthz")
    async def healthz(request: Request) -> dict[str, str]:
        """Answers when the database answers."""
        async with services_of(request).db.connect() as connection:
            await connection.execute(text("SELECT 1"))
        return {"status": "ok"}

    return app
