"""business: capital, employees and has_npwp may be left for later (registration in fewer messages); a survey's
baseline head count is then unknown too

Revision ID: 0012_booking_nudges
Revises: 0013_admin_notices
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel  # noqa: F401
from alembic import op

revision: str = "0012_booking_nudges"
down_revision: str | None = "0013_admin_notices"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = (
    ("capital", sa.BigInteger()),
    ("employees", sa.Integer()),
    ("has_npwp", sa.Boolean()),
)
FILLED = {"capital": "0", "employees": "0", "has_npwp": "false"}


def upgrade() -> None:
    """Applies this revision."""
    with op.batch_alter_table("business", schema=None) as batch_op:
        for name, kind in COLUMNS:
            batch_op.alter_column(name, existing_type=kind, nullable=True)
    with op.batch_alter_table("followupsurvey", schema=None) as batch_op:
        batch_op.alter_column("baseline_employees", existing_type=sa.Integer(), nullable=True)


def downgrade() -> None:
    """Reverts this revision (fields left for later get the old defaults)."""
    op.execute("UPDATE followupsurvey SET baseline_employees = 0 WHERE baseline_employees IS NULL")
    with op.batch_alter_table("followupsurvey", schema=None) as batch_op:
        batch_op.alter_column("baseline_employees", existing_type=sa.Integer(), nullable=False)
    for name, value in FILLED.items():
        op.execute(f"UPDATE business SET {name} = {value} WHERE {name} IS NULL")
    with op.batch_alter_table("business", schema=None) as batch_op:
        for name, kind in COLUMNS:
            batch_op.alter_column(name, existing_type=kind, nullable=False)
