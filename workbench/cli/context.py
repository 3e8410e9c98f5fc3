"""What a CLI command gets: the chosen database (opened lazily) and output helpers."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, TextIO

from workbench.core import paths
from workbench.core.services.workspace import Workspace, open_workspace


class CliContext:
    def __init__(
        self,
        *,
        db: str | None,
        data_dir: str | None,
        user: str | None = None,
        stdout: TextIO | None = None,
        stderr: TextIO | None = None,
    ) -> None:
        self.db_path: Path = paths.db_path(db=db, data=data_dir)
        self.user = user
        self.stdout = stdout or sys.stdout
        self.stderr = stderr or sys.stderr
        self._store: Workspace | None = None

    @property
    def store(self) -> Workspace:
        """The database, opened (checked and migrated) on first use."""
        if self._store is None:
            self._store = open_workspace(self.db_path, user=self.user)
            if self._store.upgrade_backup:
                self.err(f"database upgraded; backup of the old one: {self._store.upgrade_backup}")
        return self._store

    def maintain(self) -> None:
        """After a successful command: the day's scheduled backup, if data changed.

        Best effort: a backup that cannot be written is reported on stderr
        and never changes the command's outcome.
        """
        if self._store is None:
            return
        import sqlite3

        from workbench.core.errors import KnownError
        from workbench.core.services.maintenance import scheduled_backup_if_changed

        try:
            scheduled_backup_if_changed(self._store)
        except KnownError as exc:
            self.err(f"note: scheduled backup skipped: {exc.one_line()}")
        except (OSError, sqlite3.Error) as exc:
            self.err(f"note: scheduled backup skipped: {exc}")

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None

    def out(self, text: str = "") -> None:
        print(text, file=self.stdout)

    def err(self, text: str) -> None:
        print(text, file=self.stderr)

    def emit_json(self, obj: Any) -> None:
        json.dump(obj, self.stdout, ensure_ascii=False, indent=2, default=_default)
        self.stdout.write("\n")


def _default(value: Any) -> Any:
    from datetime import date, datetime

    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    raise TypeError(f"cannot serialise {type(value).__name__}")
