"""What a CLI command gets: the chosen database (opened lazily) and output helpers."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, BinaryIO, TextIO

from workbench.cli.terminal import GuardedText, json_safe, neutralize
from workbench.core import paths
from workbench.core.storage import Store


class CliContext:
    def __init__(
        self,
        *,
        db: str | None,
        data_dir: str | None,
        stdout: TextIO | None = None,
        stderr: TextIO | None = None,
        creates_database: bool = True,
    ) -> None:
        self.db_path: Path = paths.db_path(db=db, data=data_dir)
        self.stdout: Any = GuardedText(stdout or sys.stdout)
        self.stderr: Any = GuardedText(stderr or sys.stderr, "standard error")
        self.creates_database = creates_database
        self._store: Store | None = None
        self._scratch: Any = None  # a TemporaryDirectory when --db names no database

    @property
    def store(self) -> Store:
        """The database, opened on first use.

        Only commands that add content (``import``, ``db upgrade``) may
        create a missing database.  Any other command given a ``--db`` where
        there is none reads an empty library instead, and leaves no folder
        or file behind (a mistyped path used to create both).
        """
        if self._store is None:
            from workbench.core.storage.migrate import MissingDatabaseError

            try:
                self._store = Store.open(self.db_path, create=self.creates_database)
            except MissingDatabaseError:
                # Read as an empty library ("no article with id 42"), from a
                # scratch database that disappears with this command.
                self._store = self._scratch_store()
            if self._store.upgrade_backup:
                self.err(f"database upgraded; backup of the old one: {self._store.upgrade_backup}")
        return self._store

    def _scratch_store(self) -> Store:
        import tempfile

        self._scratch = tempfile.TemporaryDirectory(prefix="workbench-empty-")
        return Store.open(Path(self._scratch.name) / "empty.sqlite3")

    @property
    def database_missing(self) -> bool:
        """True when the command ran on an empty scratch library (no file at --db)."""
        return self._scratch is not None

    def maintain(self) -> None:
        """After a successful command: the day's scheduled backup, if data changed.

        Best effort: a backup that cannot be written is reported on stderr
        and never changes the command's outcome.
        """
        if self._store is None or self._scratch is not None:
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
        if self._scratch is not None:
            self._scratch.cleanup()
            self._scratch = None

    def out(self, text: str = "") -> None:
        """One or more lines for a person: stored text is shown terminal-safe."""
        self.stdout.write(neutralize(text) + "\n")

    def err(self, text: str) -> None:
        self.stderr.write(neutralize(text) + "\n")

    def emit_json(self, obj: Any) -> None:
        text = json.dumps(obj, ensure_ascii=False, indent=2, default=_default)
        self.stdout.write(json_safe(text) + "\n")

    def read_stdin(self, limit: int, name: str = "standard input") -> bytes:
        """All of standard input, at most ``limit`` bytes, or one clear refusal."""
        from workbench.core.fileio import read_capped

        return read_capped(self.stdin_binary(name), limit=limit, name=name)

    def stdin_binary(self, name: str = "standard input") -> BinaryIO:
        """Standard input as bytes; a closed one (``<&-``) is one clear refusal."""
        from workbench.core.errors import UserInputError

        stream = getattr(sys.stdin, "buffer", None)
        if stream is None:
            raise UserInputError(
                f"{name} is closed; there is nothing to read", hint="pipe the input in"
            )
        return stream  # type: ignore[no-any-return]


def _default(value: Any) -> Any:
    from datetime import date, datetime

    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    raise TypeError(f"cannot serialise {type(value).__name__}")
