"""Schema migrations (Alembic): the only way the schema is created or changed."""

from __future__ import annotations

from importlib import resources

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine

from storage.db import ensure_sqlite_folder, is_sqlite, sync_url


def alembic_config(url: str) -> Config:
    """Builds the Alembic configuration for a database URL."""
    config = Config(str(resources.files("storage") / "alembic.ini"))
    config.set_main_option("sqlalchemy.url", sync_url(url).replace("%", "%%"))
    return config


def upgrade(url: str, revision: str = "head") -> None:
    """Migrates the database at `url` up to `revision`; a SQLite file is left in WAL mode."""
    ensure_sqlite_folder(sync_url(url))
    command.upgrade(alembic_config(url), revision)
    if is_sqlite(
        url
    ):  # switching needs the file to itself: do it once here, not when processes first connect
        engine = create_engine(sync_url(url))
        with engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA journal_mode=WAL")
        engine.dispose()


def downgrade(url: str, revision: str) -> None:
    """Migrates the database at `url` down to `revision`."""
    command.downgrade(alembic_config(url), revision)
