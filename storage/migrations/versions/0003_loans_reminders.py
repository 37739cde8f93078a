"""loans_reminders

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-21
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel  # noqa: F401
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PENDING = sa.text("status = 'pending'")


def upgrade() -> None:
    """Applies this revision."""
    with op.batch_alter_table("loan", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "time_zone",
                sqlmodel.sql.sqltypes.AutoString(length=32),
                server_default="Asia/Jakarta",
                nullable=False,
            )
        )
        batch_op.add_column(sa.Column("proposed_by", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("closed_on", sa.Date(), nullable=True))
        batch_op.create_index(batch_op.f("ix_loan_proposed_by"), ["proposed_by"], unique=False)
        batch_op.create_foreign_key(
            "fk_loan_proposed_by_contact", "contact", ["proposed_by"], ["id"], ondelete="SET NULL"
        )

    op.create_table(
        "reminder",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("loan_id", sa.Integer(), nullable=False),
        sa.Column("instalment_id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("planned_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("due_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("done_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["loan_id"], ["loan.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("reminder", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reminder_loan_id"), ["loan_id"], unique=False)
        batch_op.create_index(
            "ix_reminder_pending_due",
            ["due_at"],
            unique=False,
            sqlite_where=PENDING,
            postgresql_where=PENDING,
        )
        batch_op.create_index(
            "uq_reminder_pending_loan",
            ["loan_id"],
            unique=True,
            sqlite_where=PENDING,
            postgresql_where=PENDING,
        )


def downgrade() -> None:
    """Reverts this revision."""
    with op.batch_alter_table("reminder", schema=None) as batch_op:
        batch_op.drop_index("uq_reminder_pending_loan", sqlite_where=PENDING, postgresql_where=PENDING)
        batch_op.drop_index("ix_reminder_pending_due", sqlite_where=PENDING, postgresql_where=PENDING)
        batch_op.drop_index(batch_op.f("ix_reminder_loan_id"))
    op.drop_table("reminder")

    with op.batch_alter_table("loan", schema=None) as batch_op:
        batch_op.drop_constraint("fk_loan_proposed_by_contact", type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_loan_proposed_by"))
        batch_op.drop_column("closed_on")
        batch_op.drop_column("proposed_by")
        batch_op.drop_column("time_zone")
