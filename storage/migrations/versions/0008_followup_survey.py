"""followupsurvey: six-monthly follow-up surveys after a loan, the impact figures' source

Revision ID: 0008_followup_survey
Revises: understand_pushed_context
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel  # noqa: F401
from alembic import op

revision: str = "0008_followup_survey"
down_revision: str | None = "understand_pushed_context"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Applies this revision."""
    op.create_table(
        "followupsurvey",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=True),
        sa.Column("loan_id", sa.Integer(), nullable=True),
        sa.Column("broadcast_id", sa.Integer(), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("kecamatan", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("sector", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("baseline_turnover", sa.BigInteger(), nullable=False),
        sa.Column("baseline_employees", sa.Integer(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("asked_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("answer_by", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("turnover", sa.BigInteger(), nullable=True),
        sa.Column("employees", sa.Integer(), nullable=True),
        sa.Column("new_line", sa.Boolean(), nullable=True),
        sa.Column("helped", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.Column("answered_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["contact_id"], ["contact.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["loan_id"], ["loan.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["broadcast_id"], ["broadcast.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("contact_id", "due_on", name="uq_followupsurvey_contact_due"),
    )
    op.create_index("ix_followupsurvey_contact_id", "followupsurvey", ["contact_id"], unique=False)
    op.create_index("ix_followupsurvey_due_on", "followupsurvey", ["due_on"], unique=False)
    op.create_index("ix_followupsurvey_status", "followupsurvey", ["status"], unique=False)


def downgrade() -> None:
    """Reverts this revision."""
    op.drop_index("ix_followupsurvey_status", table_name="followupsurvey")
    op.drop_index("ix_followupsurvey_due_on", table_name="followupsurvey")
    op.drop_index("ix_followupsurvey_contact_id", table_name="followupsurvey")
    op.drop_table("followupsurvey")
