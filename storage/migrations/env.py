"""Alembic environment: runs the migrations against the URL given by storage.migrate."""

from alembic import context
from sqlalchemy import create_engine, pool
from sqlmodel import SQLModel

from storage import models  # noqa: F401  (registers the tables)
from storage.db import is_sqlite, sync_url

target_metadata = SQLModel.metadata


def run_migrations_online() -> None:
    """Runs every pending migration in one connection."""
    url = sync_url(context.config.get_main_option("sqlalchemy.url"))
    engine = create_engine(url, poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=is_sqlite(url),
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


run_migrations_online()
