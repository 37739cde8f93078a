"""Migrations create, remove and re-create the schema on every backend."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect
from sqlmodel import SQLModel

import storage.models  # noqa: F401  (registers every table on SQLModel.metadata)
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
    "admin",
    "auditlog",
    "broadcastrecipient",
    "pushedcontext",
    "helprequest",
    "followupsurvey",
    "adminnotice",
    "aidapplication",
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


def test_the_migrated_schema_matches_the_models(db_url: str) -> None:
    """A model change without its migration (or the other way round) fails here, on both backends."""
    engine = create_engine(sync_url(db_url))
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), SQLModel.metadata)
    engine.dispose()
    assert differences == []


def test_a_migrated_sqlite_file_is_already_in_wal_mode(tmp_path) -> None:  # noqa: ANN001
    """Processes connecting at once never race to switch the journal mode (it needs the file to itself)."""
    path = tmp_path / "fresh.db"
    upgrade(f"sqlite:///{path}")
    engine = create_engine(f"sqlite:///{path}")
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    engine.dispose()
