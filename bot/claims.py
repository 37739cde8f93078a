"""This process's outbox claims: its worker id, the rows it is working on, and the heartbeat that renews them.

Only rows a delivery is really working on are renewed: a row whose delivery broke off (a bug, the database gone
for a moment) is no longer held, its lease runs out, and another delivery takes it. Nothing is stranded.
"""

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
from storage.db import quick_transaction, transaction

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


async def renew_once(
    sessions: async_sessionmaker[AsyncSession], clock: Clock, worker: str, held: set[int]
) -> int:
    """Renews the lease on the rows this process is working on; returns how many."""
    if not held:
        return 0
    async with quick_transaction(sessions) as session:
        return await outbox.renew_claims(session=session, worker=worker, now=clock.now(), ids=set(held))


async def heartbeat(
    sessions: async_sessionmaker[AsyncSession],
    clock: Clock,
    worker: str,
    held: set[int],
    stop: asyncio.Event,
    every: timedelta = HEARTBEAT,
) -> None:
    """Renews the leases of `held` rows every `every` until `stop` is set (a dead process stops renewing)."""
    while not stop.is_set():
        try:
            await renew_once(sessions, clock, worker, held)
        except Exception:
            log.exception("renewing outbox claims failed; trying again")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), every.total_seconds())
