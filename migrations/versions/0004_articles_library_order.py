"""Index the library's order (newest import first).

With 10,000 articles the library's first page spent most of its time
sorting every article row; this index lets SQLite read the page in order.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_articles_imported_at_id", "articles", ["imported_at", "id"])


def downgrade() -> None:
    op.drop_index("ix_articles_imported_at_id", table_name="articles")
