"""Leadership: one process at a time runs the scheduled jobs (the reminder scan, ...); another takes over if it dies.

PostgreSQL (several workers): the leader holds a session-level advisory lock, `pg_try_advisory_lock(LOCK_KEY)`, on
a dedicated connection in autocommit mode (no transaction stays open), kept while it leads. Before each run it
checks that connection with `SELECT 1`: a lost connection is lost leadership, and PostgreSQL frees the lock when the
session ends, so the next try of another process takes it. Resigning unlocks and closes the connection.

SQLite (one machine, where `umkm serve` runs web, scheduler and dispatcher in one process): leadership is
in-process. The first leader for a database in this process leads; any other one in the same process waits until
it resigns. Two processes on one SQLite file would both lead; the scan stays correct even then, because every SQLite
transaction is BEGIN IMMEDIATE (storage.db) and outbox rows are send-once.
"""

from __future__ import annotations

import contextlib
import logging
from typing import ClassVar, Protocol

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

log = logging.getLogger(__name__)

LOCK_KEY = 0x554D_4B4D_0001  # "UMKM" and 1: the scheduled jobs' lock


class Leader(Protocol):
    """Tells whether this process may run the scheduled jobs now."""

    async def lead(self) -> bool:
        """Keeps or takes leadership; True while this process leads."""
        ...

    async def resign(self) -> None:
        """Gives leadership up so another process can take it at once."""
        ...


class AdvisoryLockLeader:
    """Leadership through a PostgreSQL advisory lock held on a dedicated connection."""

    def __init__(self, db: AsyncEngine, key: int = LOCK_KEY) -> None:
        self._db = db
        self._key = key
        self._connection: AsyncConnection | None = None

    @property
    def leading(self) -> bool:
        """Whether this object held the lock at its last check."""
        return self._connection is not None

    async def lead(self) -> bool:
        """Checks the held lock's connection, or tries to take the lock when it is free."""
        if self._connection is not None:
            if await self._alive(self._connection):
                return True
            log.warning("scheduler leadership lost: its database connection is gone")
            await self._drop(invalidate=True)
        return await self._take()

    async def resign(self) -> None:
        """Unlocks and closes the dedicated connection."""
        if self._connection is None:
            return
        with contextlib.suppress(Exception):
            await self._connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": self._key})
        await self._drop(invalidate=False)
        log.info("scheduler leadership given up")

    @staticmethod
    async def _alive(connection: AsyncConnection) -> bool:
        """Tells whether a connection still answers."""
        try:
            await connection.execute(text("SELECT 1"))
        except Exception:
            return False
        return True

    async def _take(self) -> bool:
        """Opens a connection and tries the lock; keeps the connection only when the lock is ours."""
        connection: AsyncConnection | None = None
        try:
            connection = await self._db.connect()
            await connection.execution_options(isolation_level="AUTOCOMMIT")
            result = await connection.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": self._key})
            taken = bool(result.scalar())
        except Exception:
            log.warning("could not try the scheduler lock (database unavailable?)", exc_info=True)
            taken = False
        if not taken:
            if connection is not None:
                with contextlib.suppress(Exception):
                    await connection.close()
            return False
        self._connection = connection
        log.info("this process now leads the scheduled jobs")
        return True

    async def _drop(self, *, invalidate: bool) -> None:
        """Forgets the dedicated connection (invalidated when broken, so the pool never reuses it)."""
        connection, self._connection = self._connection, None
        if connection is None:
            return
        with contextlib.suppress(Exception):
            if invalidate:
                await connection.invalidate()
            await connection.close()


class LocalLeader:
    """In-process leadership for a single-process deployment (SQLite): the first leader of a database leads."""

    _held: ClassVar[set[str]] = set()

    def __init__(self, name: str) -> None:
        self._name = name
        self._leading = False

    @property
    def leading(self) -> bool:
        """Whether this object leads."""
        return self._leading

    async def lead(self) -> bool:
        """Leads when no other leader of this database leads in this process."""
        if not self._leading and self._name not in LocalLeader._held:
            LocalLeader._held.add(self._name)
            self._leading = True
        return self._leading

    async def resign(self) -> None:
        """Lets another leader of this database in this process lead."""
        if self._leading:
            LocalLeader._held.discard(self._name)
            self._leading = False


_LEADERS: dict[AsyncEngine, Leader] = {}


def leader_for(db: AsyncEngine) -> Leader:
    """This process's leader for a database, shared by every scheduled job on it."""
    if db not in _LEADERS:
        if db.dialect.name == "postgresql":
            _LEADERS[db] = AdvisoryLockLeader(db)
        else:
            _LEADERS[db] = LocalLeader(db.url.render_as_string(hide_password=True))
    return _LEADERS[db]


async def resign(db: AsyncEngine) -> None:
    """Gives up this process's leadership on a database (at shutdown, before disposing of the engine)."""
    leader = _LEADERS.pop(db, None)
    if leader is not None:
        await leader.resign()
