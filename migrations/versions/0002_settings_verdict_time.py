"""Settings table; remember when each verdict was set.

The memo cites the snapshot that was current when the verdict was set, so the
verdict needs its own timestamp.  Existing verdicts get their claim's
``updated_at``, the best estimate the old schema holds.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "settings",
        sa.Column("key", sa.String(100), primary_key=True),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    with op.batch_alter_table("claims") as batch:
        batch.add_column(sa.Column("verdict_set_at", sa.DateTime(timezone=True)))
    op.execute("UPDATE claims SET verdict_set_at = updated_at WHERE verdict IS NOT NULL")


def downgrade() -> None:
    with op.batch_alter_table("claims") as batch:
        batch.drop_column("verdict_set_at")
    op.drop_table("settings")
