"""This process's outbox claims: its worker id, handing back a previous life's claims, and the lease heartbeat."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
from datetime import timedelta

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.clock import Clock
from bot.settings import Settings
from storage import outbox
from storage.db import transaction

log = logging.getLogger(__name__)

HEARTBEAT = outbox.DEFAULT_LEASE / 3


def worker_id(settings: Settings) -> str:
    """This process's name on claimed outbox rows: stable when configured, else host and pid."""
    return settings.umkm_worker_id or f"{socket.gethostname()}-{os.getpid()}"


async def hand_back_previous(sessions: async_sessionmaker[AsyncSession], clock: Clock, worker: str) -> int:
    """At start-up: rows a previous process of the same worker id left claimed become due again at once."""
    async with transaction(sessions) as session:
        count = await outbox.release_claims(session=session, worker=worker, next_attempt_at=clock.now())
    if count:
        log.info("handed back %d outbox row(s) a previous run of %s had claimed", count, worker)
    return count


async def renew_once(sessions: async_sessionmaker[AsyncSession], clock: Clock, worker: str) -> int:
    """Renews the lease on every row this process has claimed; returns how many."""
    async with transaction(sessions) as session:
        return await outbox.renew_claims(session=session, worker=worker, now=clock.now())


async def heartbeat(
    sessions: async_sessionmaker[AsyncSession],
    clock: Clock,
    worker: str,
    stop: asyncio.Event,
    every: timedelta = HEARTBEAT,
) -> None:
    """Renews this process's leases every `every` until `stop` is set (a dead process stops renewing)."""
    while not stop.is_set():
        try:
            await renew_once(sessions, clock, worker)
        except Exception:
            log.exception("renewing outbox claims failed; trying again")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), every.total_seconds())
