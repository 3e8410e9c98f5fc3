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
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.core.storage import migrate

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlalchemy.orm import Session

    from workbench.core.storage.changelog import RowChange
    from workbench.core.storage.repos.articles import ArticleRepository
    from workbench.core.storage.repos.claims import ClaimEdits, MachineUpdate
    from workbench.core.storage.repos.evidence import EvidenceRepository
    from workbench.core.storage.repos.flags import FlagRepository
    from workbench.core.storage.repos.history import HistoryRepository
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

        from workbench.core.storage import changelog
        from workbench.core.storage import sqlite as dialect
        from workbench.core.storage.repos.articles import ArticleRepository
        from workbench.core.storage.repos.claims import ClaimEdits
        from workbench.core.storage.repos.evidence import EvidenceRepository
        from workbench.core.storage.repos.flags import FlagRepository
        from workbench.core.storage.repos.history import HistoryRepository
        from workbench.core.storage.repos.search import SearchRepository
        from workbench.core.storage.repos.settings import SettingsRepository
        from workbench.core.storage.repos.sources import SourceRepository

        self.engine = dialect.make_engine(path)
        self.sessions = sessions = sessionmaker(self.engine, expire_on_commit=False)
        changelog.install(sessions)
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
        self.history = HistoryRepository(sessions, path, readers=readers)


class Store:
    """An open workbench database and its repositories.

    The repositories are built on first access (thread-safe: one lock, one
    build), so opening a store costs the migration check only.
    """

    def __init__(self, path: Path, *, upgrade_backup: str | None = None) -> None:
        self.path = path
        self.upgrade_backup = upgrade_backup
        self.actor: str | None = None
        """Who the history names for this store's operations, when set explicitly
        (``--user``); otherwise the services work it out per operation."""
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

    @property
    def history(self) -> HistoryRepository:
        return self._loaded().history

    @contextmanager
    def transaction(self, *, capture: bool = False) -> Iterator[Transaction]:
        """One write transaction that every repository call in the block joins.

        It begins with the write lock (``BEGIN IMMEDIATE``), so the whole
        block -- its reads included -- sees one state and commits at once or
        not at all.  With ``capture`` the rows it changes are noted for undo
        (:mod:`.changelog`).  Operations are its only users.
        """
        from sqlalchemy import exc as sa_exc

        from workbench.core.storage.repos import base

        repos = self._loaded()
        if base.active_unit(repos.sessions) is not None:
            raise RuntimeError("an operation is already running on this thread")
        try:
            with repos.sessions.begin() as session:
                tx = Transaction(self, base.Unit(session, repos.sessions), capture=capture)
                try:
                    with base.enter(tx.unit):
                        yield tx
                finally:
                    tx.close()
        except sa_exc.DBAPIError as exc:
            base.reraise(self.path, exc)
            raise

    def close(self) -> None:
        with self._lock:
            if self._repos is not None:
                self._repos.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class Transaction:
    """What an operation sees of its transaction: the session and the rows it changed."""

    def __init__(self, store: Store, unit: Any, *, capture: bool) -> None:
        from workbench.core.storage.changelog import RowLog

        self.store = store
        self.unit = unit
        self.session: Session = unit.session
        if capture:
            unit.log = RowLog(unit.session)

    def row_changes(self) -> list[RowChange]:
        """The tracked rows changed so far, before and after (empty without capture)."""
        log = self.unit.log
        return log.changes() if log is not None else []

    def revert(self, changes: list[RowChange]) -> set[int]:
        """Take ``changes`` back (see :func:`.changelog.revert`); returns the articles touched."""
        from workbench.core.storage import changelog

        articles = changelog.revert(self.session, changes)
        # Positions follow the spans: only a claim that came, went or moved
        # can change them.
        claims = [c for c in changes if c.table == "claims"]
        moved = {
            int(row["article_id"])
            for c in claims
            for row in (c.before, c.after)
            if row is not None and "article_id" in row
        }
        if any(c.before and c.after and ("start" in c.before or "end" in c.before) for c in claims):
            moved |= articles  # a span moved (the update holds no article id)
        changelog.renumber(self.session, moved)
        self.session.flush()
        return articles

    def close(self) -> None:
        if self.unit.log is not None:
            self.unit.log.close()
            self.unit.log = None
