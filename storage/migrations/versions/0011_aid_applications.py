"""aidapplication: owners' applications for the aid a kabupaten profile offers, and the admins' decisions

Revision ID: 0011_aid_applications
Revises: 0009_survey
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel  # noqa: F401
from alembic import op

revision: str = "0011_aid_applications"
down_revision: str | None = "0009_survey"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Applies this revision."""
    op.create_table(
        "aidapplication",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=True),
        sa.Column("aid_id", sqlmodel.sql.sqltypes.AutoString(length=48), nullable=False),
        sa.Column("period", sqlmodel.sql.sqltypes.AutoString(length=24), nullable=False),
        sa.Column("kecamatan", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("photo", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("decision_note", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
        sa.Column("decided_by", sqlmodel.sql.sqltypes.AutoString(length=160), nullable=True),
        sa.Column("applied_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("decided_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("delivered_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["contact_id"], ["contact.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("contact_id", "aid_id", "period", name="uq_aidapplication_contact_aid_period"),
    )
    op.create_index("ix_aidapplication_contact_id", "aidapplication", ["contact_id"], unique=False)
    op.create_index("ix_aidapplication_aid_id", "aidapplication", ["aid_id"], unique=False)
    op.create_index("ix_aidapplication_status", "aidapplication", ["status"], unique=False)
    op.create_index("ix_aidapplication_applied_at", "aidapplication", ["applied_at"], unique=False)


def downgrade() -> None:
    """Reverts this revision."""
    op.drop_index("ix_aidapplication_applied_at", table_name="aidapplication")
    op.drop_index("ix_aidapplication_status", table_name="aidapplication")
    op.drop_index("ix_aidapplication_aid_id", table_name="aidapplication")
    op.drop_index("ix_aidapplication_contact_id", table_name="aidapplication")
    op.drop_table("aidapplication")
