"""send_budget: the send slots every process books from, so a channel's rate holds across processes

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Applies this revision."""
    op.create_table(
        "send_budget",
        sa.Column("key", sa.String(length=96), primary_key=True),
        sa.Column("next_free", sa.Float(), nullable=False),
        sa.Column("paused_until", sa.Float(), nullable=False),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE send_budget SET UNLOGGED")  # no WAL: after a server crash it starts empty


def downgrade() -> None:
    """Reverts this revision."""
    op.drop_table("send_budget")
