"""Storage: the only package that knows about SQLAlchemy and SQLite.

Open a database with :meth:`Store.open`; it checks, backs up and migrates the
file first (see :mod:`.migrate`).

Importing this package does not import SQLAlchemy.  The repositories (and
with them the ORM, about a second of imports on a slow machine) load the
first time one is used, or when :meth:`Store.warm` is called from a worker
thread.  The desktop app relies on this to paint its window from
:mod:`.glance` (plain ``sqlite3``) while the ORM loads behind it.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.core.storage import migrate

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from workbench.core.storage.repos.articles import ArticleRepository
    from workbench.core.storage.repos.claims import ClaimEdits, MachineUpdate
    from workbench.core.storage.repos.evidence import EvidenceRepository
    from workbench.core.storage.repos.flags import FlagRepository
    from workbench.core.storage.repos.search import SearchRepository
    from workbench.core.storage.repos.settings import SettingsRepository
    from workbench.core.storage.repos.sources import SourceRepository

__all__ = ["MachineUpdate", "Store"]


def __getattr__(name: str) -> Any:
    """``MachineUpdate`` lives with the claim repository; import it on demand."""
    if name == "MachineUpdate":
        from workbench.core.storage.repos.claims import MachineUpdate

        return MachineUpdate
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class _Repos:
    """The engine and every repository, built together on first use."""

    def __init__(self, path: Path) -> None:
        from sqlalchemy.orm import sessionmaker

        from workbench.core.storage import sqlite as dialect
        from workbench.core.storage.repos.articles import ArticleRepository
        from workbench.core.storage.repos.claims import ClaimEdits
        from workbench.core.storage.repos.evidence import EvidenceRepository
        from workbench.core.storage.repos.flags import FlagRepository
        from workbench.core.storage.repos.search import SearchRepository
        from workbench.core.storage.repos.settings import SettingsRepository
        from workbench.core.storage.repos.sources import SourceRepository

        self.engine = dialect.make_engine(path)
        sessions = sessionmaker(self.engine, expire_on_commit=False)
        readers = sessionmaker(
            self.engine.execution_options(workbench_read=True), expire_on_commit=False
        )
        self.articles = ArticleRepository(sessions, path, readers=readers)
        self.claims = ClaimEdits(sessions, path, readers=readers)
        self.sources = SourceRepository(sessions, path, readers=readers)
        self.evidence = EvidenceRepository(sessions, path, readers=readers)
        self.flags = FlagRepository(sessions, path, readers=readers)
        self.settings = SettingsRepository(sessions, path, readers=readers)
        self.search = SearchRepository(sessions, path, readers=readers)


class Store:
    """An open workbench database and its repositories.

    The repositories are built on first access (thread-safe: one lock, one
    build), so opening a store costs the migration check only.
    """

    def __init__(self, path: Path, *, upgrade_backup: str | None = None) -> None:
        self.path = path
        self.upgrade_backup = upgrade_backup
        self._repos: _Repos | None = None
        self._lock = threading.Lock()

    @classmethod
    def open(cls, path: Path, *, create: bool = True) -> Store:
        """Check, back up if behind, migrate to head, then open.

        ``create`` False refuses a missing database instead of making one
        (the CLI's reading commands: a mistyped --db must leave nothing behind).
        """
        backup = migrate.prepare(path, create=create)
        return cls(path, upgrade_backup=backup)

    def _loaded(self) -> _Repos:
        repos = self._repos
        if repos is None:
            with self._lock:
                repos = self._repos
                if repos is None:
                    repos = self._repos = _Repos(self.path)
        return repos

    def warm(self) -> None:
        """Import the ORM and build the repositories now (call it off the UI thread)."""
        self._loaded()

    @property
    def warmed(self) -> bool:
        """True once the repositories exist (using one will not import anything)."""
        return self._repos is not None

    @property
    def _engine(self) -> Engine:
        return self._loaded().engine

    @property
    def articles(self) -> ArticleRepository:
        return self._loaded().articles

    @property
    def claims(self) -> ClaimEdits:
        return self._loaded().claims

    @property
    def sources(self) -> SourceRepository:
        return self._loaded().sources

    @property
    def evidence(self) -> EvidenceRepository:
        return self._loaded().evidence

    @property
    def flags(self) -> FlagRepository:
        return self._loaded().flags

    @property
    def settings(self) -> SettingsRepository:
        return self._loaded().settings

    @property
    def search(self) -> SearchRepository:
        return self._loaded().search

    def close(self) -> None:
        with self._lock:
            if self._repos is not None:
                self._repos.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
