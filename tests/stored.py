"""Every row of every table, and every text or JSON value in them: for tests that search the whole database."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel import SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

Tables = dict[str, list[dict[str, Any]]]


async def all_rows(sessions: async_sessionmaker[AsyncSession]) -> Tables:
    """Every row of every table, as plain values."""
    tables: Tables = {}
    async with sessions() as session:
        connection = await session.connection()
        for name, table in SQLModel.metadata.tables.items():
            result = await connection.execute(table.select())
            tables[name] = [dict(row) for row in result.mappings()]
    return tables


def text_values(tables: Tables) -> Iterator[tuple[str, str, str]]:
    """(table, column, text) of every text and JSON value (JSON as its text, non-ASCII kept)."""
    for name, rows in tables.items():
        for row in rows:
            for column, value in row.items():
                if isinstance(value, str):
                    yield name, column, value
                elif isinstance(value, dict | list):
                    yield name, column, json.dumps(value, ensure_ascii=False)
