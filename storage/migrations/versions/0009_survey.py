"""followupsurvey.progress and broadcast.kind: where an owner stopped in a survey; surveys sent to a segment

Revision ID: 0009_survey
Revises: 0008_followup_survey
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel  # noqa: F401
from alembic import op

revision: str = "0009_survey"
down_revision: str | None = "0008_followup_survey"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Applies this revision."""
    with op.batch_alter_table("followupsurvey") as batch:
        batch.add_column(sa.Column("progress", sa.Integer(), server_default="0", nullable=False))
    with op.batch_alter_table("broadcast") as batch:
        batch.add_column(
            sa.Column(
                "kind", sqlmodel.sql.sqltypes.AutoString(length=16), server_default="message", nullable=False
            )
        )


def downgrade() -> None:
    """Reverts this revision."""
    with op.batch_alter_table("broadcast") as batch:
        batch.drop_column("kind")
    with op.batch_alter_table("followupsurvey") as batch:
        batch.drop_column("progress")
