"""The head-revision constant that lets a current database open without Alembic."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from workbench.core.storage import Store, migrate


def test_head_constant_matches_the_migration_scripts() -> None:
    # Adding a migration without bumping HEAD_REVISION would let an old
    # database open un-upgraded; this keeps the two in step.
    assert migrate.head_revision() == migrate.HEAD_REVISION


def test_opening_a_current_database_does_not_import_alembic(tmp_path: Path) -> None:
    db = tmp_path / "current.sqlite3"
    Store.open(db).close()  # created (and upgraded through Alembic) here
    assert migrate.current_revision(db) == migrate.HEAD_REVISION
    code = (
        "import sys; from pathlib import Path; from workbench.core.storage import Store; "
        f"Store.open(Path({str(db)!r})).close(); "
        "print('alembic' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert out.stdout.strip() == "False"
