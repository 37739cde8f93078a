"""adminnotice: an admin's notice that a broadcast finished; broadcast.notify_admin; admin's linked chat

Revision ID: 0013_admin_notices
Revises: 0011_aid_applications
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel  # noqa: F401
from alembic import op

revision: str = "0013_admin_notices"
down_revision: str | None = "0011_aid_applications"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Applies this revision."""
    op.create_table(
        "adminnotice",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("admin_id", sa.Integer(), nullable=False),
        sa.Column("broadcast_id", sa.Integer(), nullable=False),
        sa.Column("outcome", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("read_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["admin_id"], ["admin.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["broadcast_id"], ["broadcast.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("admin_id", "broadcast_id", name="uq_adminnotice_admin_broadcast"),
    )
    op.create_index("ix_adminnotice_admin_id", "adminnotice", ["admin_id"], unique=False)
    with op.batch_alter_table("broadcast", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("notify_admin", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table("admin", schema=None) as batch_op:
        batch_op.add_column(sa.Column("contact_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("link_code", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True)
        )
        batch_op.create_foreign_key(
            "fk_admin_contact_id", "contact", ["contact_id"], ["id"], ondelete="SET NULL"
        )
        batch_op.create_index("uq_admin_contact", ["contact_id"], unique=True)
        batch_op.create_index("uq_admin_link_code", ["link_code"], unique=True)


def downgrade() -> None:
    """Reverts this revision."""
    with op.batch_alter_table("admin", schema=None) as batch_op:
        batch_op.drop_index("uq_admin_link_code")
        batch_op.drop_index("uq_admin_contact")
        batch_op.drop_constraint("fk_admin_contact_id", type_="foreignkey")
        batch_op.drop_column("link_code")
        batch_op.drop_column("contact_id")
    with op.batch_alter_table("broadcast", schema=None) as batch_op:
        batch_op.drop_column("notify_admin")
    op.drop_index("ix_adminnotice_admin_id", table_name="adminnotice")
    op.drop_table("adminnotice")
