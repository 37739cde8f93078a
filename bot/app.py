"""The web application: webhooks, the web chat and health, sharing one engine and database."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from datetime import timedelta

from fastapi import FastAPI, Request
from sqlalchemy import text

from bot import admin
from bot.bodylimit import BodyLimit
from bot.channels import configured_channels
from bot.claims import hand_back_previous, heartbeat, worker_id
from bot.clock import Clock, SystemClock
from bot.engine import Engine
from bot.governor import ChannelLimits, make_governors
from bot.handlers import webchat
from bot.jobs import JOBS
from bot.leader import resign
from bot.scheduler import start_scheduler
from bot.send_budget import database_budgets
from bot.services import Services, services_of
from bot.settings import Settings, load_settings
from storage.db import is_sqlite, make_engine, session_maker


def create_app(
    settings: Settings | None = None, *, clock: Clock | None = None, worker: bool = True
) -> FastAPI:
    """Builds the app; nothing touches the network or database until the lifespan starts."""
    settings = settings or load_settings()
    clock = clock or SystemClock()
    channels = configured_channels(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        db = make_engine(settings.database_url)
        sessions = session_maker(db)
        engine = Engine(sessions=sessions, clock=clock, profile=settings.profile)
        # On PostgreSQL several processes may send: they share each channel's limits through the database.
        governors = make_governors(
            {
                "telegram": ChannelLimits(rate=settings.telegram_rate_per_second, per_chat_interval=1.0),
                "whatsapp": ChannelLimits(rate=settings.twilio_rate_per_second, per_chat_interval=0.0),
            },
            shared=None if is_sqlite(settings.database_url) else database_budgets(sessions),
        )
        services = Services(settings, clock, db, sessions, engine, governors, worker_id(settings))
        app.state.services = services
        async with AsyncExitStack() as stack:
            stack.push_async_callback(db.dispose)
            stack.push_async_callback(resign, db)  # hand the scheduled jobs to another process at once
            if channels:
                await hand_back_previous(sessions, clock, services.worker_id)
                stop = asyncio.Event()
                lease = timedelta(seconds=settings.outbox_lease_seconds)
                beating = asyncio.create_task(
                    heartbeat(sessions, clock, services.worker_id, services.held, stop, lease / 3)
                )
                stack.push_async_callback(asyncio.wait_for, beating, 5.0)
                stack.callback(stop.set)
            for channel in channels:
                await channel.start(services)
                stack.push_async_callback(channel.stop)
            app.state.scheduler = None
            if worker:
                scheduler = start_scheduler(
                    services, {channel.name: channel.sender() for channel in channels}, JOBS
                )
                stack.callback(scheduler.shutdown, wait=False)
                app.state.scheduler = scheduler
            yield

    # No docs pages (they load scripts from a CDN); the API description (/openapi.json) only in development.
    openapi = "/openapi.json" if settings.umkm_env == "dev" else None
    app = FastAPI(title="Rumah UMKM", lifespan=lifespan, docs_url=None, redoc_url=None, openapi_url=openapi)
    app.add_middleware(BodyLimit)

    @app.get("/healthz")
    async def healthz(request: Request) -> dict[str, str]:
        """Answers when the database answers."""
        async with services_of(request).db.connect() as connection:
            await connection.execute(text("SELECT 1"))
        return {"status": "ok"}

    admin.mount(app, settings)
    app.include_router(webchat.router)
    for channel in channels:
        app.include_router(channel.router)

    return app
