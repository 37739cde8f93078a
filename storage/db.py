"""Database engines and transactions for SQLite (embedded) and PostgreSQL (deployed)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from contextvars import ContextVar
from datetime import date, datetime
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import (
    String,
    Table,
    bindparam,
    cast,
    column,
    event,
    func,
    insert,
    literal_column,
    select,
    text,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.dialects.postgresql import JSONB, Insert
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlmodel.ext.asyncio.session import AsyncSession

DEFAULT_URL = "sqlite+aiosqlite:///var/umkm.db"


def async_url(url: str) -> str:
    """Turns a plain database URL into the async driver URL this project uses."""
    parsed = make_url(url)
    driver = {
        "sqlite": "sqlite+aiosqlite",
        "postgresql": "postgresql+psycopg",
        "postgres": "postgresql+psycopg",
    }
    name = driver.get(parsed.drivername, parsed.drivername)
    return parsed.set(drivername=name).render_as_string(hide_password=False)


def sync_url(url: str) -> str:
    """Turns a database URL into a synchronous one (for migrations)."""
    parsed = make_url(async_url(url))
    name = "sqlite" if parsed.get_backend_name() == "sqlite" else "postgresql+psycopg"
    return parsed.set(drivername=name).render_as_string(hide_password=False)


def is_sqlite(url: str) -> bool:
    """Tells whether the URL points at SQLite."""
    return make_url(url).get_backend_name() == "sqlite"


def ensure_sqlite_folder(url: str) -> None:
    """Creates the folder of a SQLite file database (e.g. var/) if it is missing."""
    parsed = make_url(url)
    if is_sqlite(url) and parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)


def _serialise_sqlite_writers(engine: AsyncEngine) -> None:
    """Makes every SQLite transaction BEGIN IMMEDIATE so concurrent read-then-write never deadlocks."""

    @event.listens_for(engine.sync_engine, "connect")
    def _connect(dbapi_connection, _record):  # noqa: ANN001
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA journal_mode")
        if cursor.fetchone()[0] != "wal":  # WAL stays set in the file once set
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _begin(connection):  # noqa: ANN001
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def make_engine(url: str = DEFAULT_URL, **kwargs) -> AsyncEngine:
    """Creates the async engine for a database URL, with SQLite made safe for concurrent writers."""
    url = async_url(url)
    kwargs.setdefault(
        "hide_parameters", True
    )  # parameters hold NIKs, phones and message bodies: never log them
    ensure_sqlite_folder(url)
    if is_sqlite(url):
        engine = create_async_engine(url, connect_args={"timeout": 30}, **kwargs)
        _serialise_sqlite_writers(engine)
        return engine
    kwargs.setdefault("pool_size", 10)
    kwargs.setdefault("max_overflow", 20)
    # No pre-ping (a round trip on every checkout, three per message): after a database restart the first
    # statement on a stale connection fails, SQLAlchemy invalidates the whole pool, and that one webhook answers
    # 503 so the provider resends it (docs/durability.md).
    return create_async_engine(url, **kwargs)


def session_maker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """A factory of sessions that keep loaded objects usable after commit."""
    return async_sessionmaker(engine, class_=AsyncSession, expire_on_commit=False)


_WRITERS: WeakKeyDictionary[AsyncEngine, asyncio.Lock] = WeakKeyDictionary()
_WRITING: ContextVar[bool] = ContextVar("writing", default=False)


@asynccontextmanager
async def _one_writer(engine: AsyncEngine | None) -> AsyncIterator[None]:
    """On SQLite, lets this process's transactions take turns in arrival order.

    SQLite has one writer; left to its busy handler, waiting transactions sleep and retry unfairly (a p99 of
    800 ms with ten users at a time in bench/engine.py). PostgreSQL needs no turn-taking: it locks rows.
    """
    if engine is None or engine.dialect.name != "sqlite" or _WRITING.get():
        yield
        return
    lock = _WRITERS.setdefault(engine, asyncio.Lock())
    async with lock:
        token = _WRITING.set(True)
        try:
            yield
        finally:
            _WRITING.reset(token)


@asynccontextmanager
async def transaction(sessions: async_sessionmaker[AsyncSession]) -> AsyncIterator[AsyncSession]:
    """One unit of work: commits on success, rolls back on any error."""
    async with _one_writer(sessions.kw.get("bind")), sessions() as session, session.begin():
        yield session


@asynccontextmanager
async def quick_transaction(sessions: async_sessionmaker[AsyncSession]) -> AsyncIterator[AsyncSession]:
    """A transaction whose commit does not wait for the disk (PostgreSQL's synchronous_commit off).

    For bookkeeping that may be lost to a crash of the database server itself (never to a crash of ours):
    send-slot bookings, lease renewals, a row marked sent (at worst sent once more after such a crash).
    """
    async with transaction(sessions) as session:
        if session.get_bind().dialect.name == "postgresql":
            await session.exec(text("SET LOCAL synchronous_commit TO OFF"))
        yield session


@asynccontextmanager
async def rehearsal(sessions: async_sessionmaker[AsyncSession]) -> AsyncIterator[AsyncSession]:
    """A unit of work that is always rolled back: to see what a job would write without writing it."""
    async with _one_writer(sessions.kw.get("bind")), sessions() as session:
        try:
            yield session
        finally:
            await session.rollback()


def insert_for(session: AsyncSession, table: type) -> Insert:
    """An INSERT with ON CONFLICT clauses, in the session's dialect (SQLite or PostgreSQL)."""
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    return insert(table)


def insert_ignoring_duplicates(
    session: AsyncSession, table: type, index_elements: list[str], **values
) -> Insert:
    """An INSERT that does nothing when a row with the same unique key exists (SQLite and PostgreSQL)."""
    return insert_for(session, table).values(**values).on_conflict_do_nothing(index_elements=index_elements)


def _json_value(value: object) -> str:
    """Writes dates and times as ISO strings for a JSON row set."""
    if isinstance(value, date | datetime):
        return value.isoformat()
    raise TypeError(f"cannot put {type(value).__name__} in a JSON row set")


async def insert_many(
    session: AsyncSession, table: Table, rows: Sequence[dict[str, Any]], *, unique: Sequence[str] = ()
) -> int:
    """Inserts rows in bulk, skipping rows whose `unique` key exists; returns how many were inserted."""
    return len(
        await insert_many_returning(session, table, rows, unique=unique, returning=[literal_column("1")])
    )


async def insert_many_returning(
    session: AsyncSession,
    table: Table,
    rows: Sequence[dict[str, Any]],
    *,
    returning: Sequence[Any],
    unique: Sequence[str] = (),
) -> list[Any]:
    """Inserts rows in bulk, skipping rows whose `unique` key exists; returns `returning` of the rows inserted.

    On PostgreSQL all rows travel as one JSON parameter expanded by jsonb_to_recordset: one short statement, a
    fraction of the client time of an executemany or a many-VALUES statement. SQLite's executemany is already fast.
    """
    if not rows:
        return []
    if session.get_bind().dialect.name != "postgresql":
        statement = insert_ignoring_duplicates(session, table, list(unique)) if unique else insert(table)
        result = await session.exec(statement.returning(*returning), params=list(rows))
        return list(result.all())
    names = list(rows[0])
    source = (
        func.jsonb_to_recordset(cast(bindparam("rows", type_=String), JSONB))
        .table_valued(*(column(name, table.c[name].type) for name in names))
        .render_derived(with_types=True)
    )
    statement = postgresql.insert(table).from_select(names, select(*(source.c[name] for name in names)))
    if unique:
        statement = statement.on_conflict_do_nothing(index_elements=list(unique))
    result = await session.exec(
        statement.returning(*returning), params={"rows": json.dumps(list(rows), default=_json_value)}
    )
    return list(result.all())
