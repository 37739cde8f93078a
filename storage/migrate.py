"""Schema migrations (Alembic): the only way the schema is created or changed."""

from __future__ import annotations

from importlib import resources

from alembic import command
from alembic.config import Config

from storage.db import ensure_sqlite_folder, sync_url


def alembic_config(url: str) -> Config:
    """Builds the Alembic configuration for a database URL."""
    config = Config(str(resources.files("storage") / "alembic.ini"))
    config.set_main_option("sqlalchemy.url", sync_url(url).replace("%", "%%"))
    return config


def upgrade(url: str, revision: str = "head") -> None:
    """Migrates the database at `url` up to `revision`."""
    ensure_sqlite_folder(sync_url(url))
    command.upgrade(alembic_config(url), revision)


def downgrade(url: str, revision: str) -> None:
    """Migrates the database at `url` down to `revision`."""
    command.downgrade(alembic_config(url), revision)
