"""business: capital, employees and has_npwp may be left for later (registration in fewer messages)

Revision ID: 0012_booking_nudges
Revises: 0008_followup_survey
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel  # noqa: F401
from alembic import op

revision: str = "0012_booking_nudges"
down_revision: str | None = "0008_followup_survey"
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


def downgrade() -> None:
    """Reverts this revision (fields left for later get the old defaults)."""
    for name, value in FILLED.items():
        op.execute(f"UPDATE business SET {name} = {value} WHERE {name} IS NULL")
    with op.batch_alter_table("business", schema=None) as batch_op:
        for name, kind in COLUMNS:
            batch_op.alter_column(name, existing_type=kind, nullable=False)
