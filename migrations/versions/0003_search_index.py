"""Full-text search index over claims, rationales, article titles and snapshots.

SQLite only: the FTS5 table and the triggers that keep it in step live in the
dialect module (``workbench.core.storage.sqlite``); on another database this
revision does nothing and search falls back to portable LIKE queries.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28
"""

from __future__ import annotations

from alembic import op

from workbench.core.storage import sqlite as dialect

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    for statement in dialect.SEARCH_SCHEMA:
        op.execute(statement)
    for statement in dialect.SEARCH_BACKFILL:
        op.execute(statement)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    for statement in dialect.SEARCH_DROP:
        op.execute(statement)
