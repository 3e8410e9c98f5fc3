"""Stable ids (AUTOINCREMENT) and the history of operations.

SQLite gives a new row the largest id in use plus one, so after deleting
claim 9 the next claim became 9 again: an id the CLI printed, or that undo
wanted to bring back, could come to mean another row.  ``AUTOINCREMENT``
never hands an id out twice.  SQLite cannot add it to an existing table, so
each table is rebuilt (copy, drop, rename) with its rows, ids, indexes and
constraints; the full-text triggers, which SQLite drops with their table,
are created again.  The migration runner switches foreign keys off around
this, or dropping ``claims`` would cascade into the evidence.

PostgreSQL sequences never reuse a value, so there only the new tables are
created.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from workbench.core.storage import sqlite as dialect

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

REBUILT = ("articles", "claims", "sources", "snapshots", "evidence", "flags")


def _rebuild(autoincrement: bool) -> None:
    for table in REBUILT:
        with op.batch_alter_table(
            table, recreate="always", table_kwargs={"sqlite_autoincrement": autoincrement}
        ):
            pass
    if _has_search_index():
        for statement in dialect.SEARCH_TRIGGERS:
            op.execute(statement)


def _has_search_index() -> bool:
    return "search_index" in sa.inspect(op.get_bind()).get_table_names()


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _rebuild(autoincrement=True)
    op.create_table(
        "history",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("article_id", sa.Integer()),
        sa.Column("claim_ids", sa.JSON(), nullable=False),
        sa.Column("reverts", sa.Integer()),
        sa.Column("extends", sa.Integer()),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_history_actor_id", "history", ["actor", "id"])
    op.create_index("ix_history_article_id_id", "history", ["article_id", "id"])
    op.create_table(
        "history_undo",
        sa.Column(
            "history_id",
            sa.Integer(),
            sa.ForeignKey(
                "history.id", ondelete="CASCADE", name="fk_history_undo_history_id_history"
            ),
            primary_key=True,
        ),
        sa.Column("payload", sa.JSON(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("history_undo")
    op.drop_index("ix_history_article_id_id", table_name="history")
    op.drop_index("ix_history_actor_id", table_name="history")
    op.drop_table("history")
    if op.get_bind().dialect.name == "sqlite":
        _rebuild(autoincrement=False)
