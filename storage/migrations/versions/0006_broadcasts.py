"""broadcasts

Revision ID: 0006_broadcasts
Revises: 0005_admin_accounts
Create Date: 2026-11-29

Broadcasts get their real shape (title, options, link, life cycle, keyset fan-out position) and a recipient table
(outbox row or exclusion reason, and the answer). The first schema's broadcast table was never written to, so it
is replaced rather than altered.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel  # noqa: F401
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0006_broadcasts"
down_revision: str | None = "0005_admin_accounts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON_TYPE = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
STRING = sqlmodel.sql.sqltypes.AutoString
MOMENT = sqlmodel.sql.sqltypes.UTCDateTime


def upgrade() -> None:
    """Applies this revision."""
    op.drop_table("broadcast")
    op.create_table(
        "broadcast",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", STRING(length=120), nullable=False),
        sa.Column("body", STRING(), nullable=False),
        sa.Column("options", JSON_TYPE, nullable=False),
        sa.Column("link", STRING(length=300), nullable=True),
        sa.Column("segment", JSON_TYPE, nullable=False),
        sa.Column("status", STRING(length=16), nullable=False),
        sa.Column("scheduled_at", MOMENT(), nullable=True),
        sa.Column("admin_id", sa.Integer(), nullable=True),
        sa.Column("created_by", STRING(length=160), nullable=False),
        sa.Column("form_key", STRING(length=40), nullable=True),
        sa.Column("cursor", sa.Integer(), nullable=False),
        sa.Column("queued", sa.Integer(), nullable=False),
        sa.Column("excluded", sa.Integer(), nullable=False),
        sa.Column("fanned_out_at", MOMENT(), nullable=True),
        sa.Column("finished_at", MOMENT(), nullable=True),
        sa.Column("created_at", MOMENT(), nullable=False),
        sa.Column("updated_at", MOMENT(), nullable=False),
        sa.ForeignKeyConstraint(["admin_id"], ["admin.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("form_key"),
    )
    op.create_index(op.f("ix_broadcast_status"), "broadcast", ["status"], unique=False)
    op.create_table(
        "broadcastrecipient",
        sa.Column("broadcast_id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("outbox_id", sa.Integer(), nullable=True),
        sa.Column("excluded", STRING(length=16), nullable=True),
        sa.Column("answer", sa.Integer(), nullable=True),
        sa.Column("answered_at", MOMENT(), nullable=True),
        sa.ForeignKeyConstraint(["broadcast_id"], ["broadcast.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["contact_id"], ["contact.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("broadcast_id", "contact_id"),
    )


def downgrade() -> None:
    """Reverts this revision (to the first schema's unused broadcast table)."""
    op.drop_table("broadcastrecipient")
    op.drop_index(op.f("ix_broadcast_status"), table_name="broadcast")
    op.drop_table("broadcast")
    op.create_table(
        "broadcast",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("body", STRING(), nullable=False),
        sa.Column("segment", JSON_TYPE, nullable=False),
        sa.Column("scheduled_at", MOMENT(), nullable=False),
        sa.Column("status", STRING(length=16), nullable=False),
        sa.Column("created_by", STRING(length=64), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("sent", sa.Integer(), nullable=False),
        sa.Column("failed", sa.Integer(), nullable=False),
        sa.Column("created_at", MOMENT(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
