"""Migrations create, remove and re-create the schema on every backend."""

from __future__ import annotations

from sqlalchemy import create_engine, inspect

from storage.db import sync_url
from storage.migrate import downgrade, upgrade

TABLES = {
    "contact",
    "conversation",
    "business",
    "eligibilitycheck",
    "consultant",
    "slot",
    "booking",
    "loan",
    "instalment",
    "outbox",
    "broadcast",
    "processedinbound",
    "reminder",
    "send_budget",
}


def _tables(url: str) -> set[str]:
    engine = create_engine(sync_url(url))
    names = set(inspect(engine).get_table_names()) - {"alembic_version"}
    engine.dispose()
    return names


def test_migrations_round_trip(db_url: str) -> None:
    assert _tables(db_url) == TABLES
    downgrade(db_url, "base")
    assert _tables(db_url) == set()
    upgrade(db_url)
    assert _tables(db_url) == TABLES
