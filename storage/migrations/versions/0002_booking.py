"""booking

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21

Bookings get a reason (decline or cancel) and a history of events; the database now also holds at most one
active (requested or confirmed) booking per owner and consultant, and a chat contact links to at most one
consultant. Plain ALTER TABLE on SQLite too (no batch copy), so the partial indexes stay partial.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel  # noqa: F401
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ACTIVE_BOOKING = sa.text("status IN ('requested', 'confirmed')")
JSON_TYPE = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    """Applies this revision."""
    op.add_column("booking", sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True))
    op.add_column("booking", sa.Column("history", JSON_TYPE, nullable=False, server_default=sa.text("'[]'")))
    op.create_index(
        "uq_booking_active_owner_consultant",
        "booking",
        ["owner_contact_id", "consultant_id"],
        unique=True,
        sqlite_where=ACTIVE_BOOKING,
        postgresql_where=ACTIVE_BOOKING,
    )
    op.create_index("uq_consultant_contact", "consultant", ["contact_id"], unique=True)


def downgrade() -> None:
    """Reverts this revision."""
    op.drop_index("uq_consultant_contact", table_name="consultant")
    op.drop_index("uq_booking_active_owner_consultant", table_name="booking")
    op.drop_column("booking", "history")
    op.drop_column("booking", "reason")
