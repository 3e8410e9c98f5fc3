"""Alembic environment, driven from inside the app.

The app builds the Alembic ``Config`` in code and hands over its own open
connection (``config.attributes["connection"]``), so the same PRAGMAs apply
and there is no alembic.ini to ship.  ``render_as_batch`` lets column
changes work on SQLite, which cannot ALTER most things in place.
"""

from __future__ import annotations

from alembic import context

from workbench.core.storage.orm import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # pragma: no cover - only reached if misused from the alembic CLI
    raise RuntimeError("run migrations through workbench.core.storage.migrate")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
