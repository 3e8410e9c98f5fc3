"""Storage: the only package that knows about SQLAlchemy and SQLite.

Open a database with :meth:`Store.open`; it checks, backs up and migrates the
file first (see :mod:`.migrate`).
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import sessionmaker

from workbench.core.storage import migrate
from workbench.core.storage import sqlite as dialect
from workbench.core.storage.repos.articles import ArticleRepository
from workbench.core.storage.repos.claims import ClaimEdits, MachineUpdate
from workbench.core.storage.repos.evidence import EvidenceRepository
from workbench.core.storage.repos.flags import FlagRepository
from workbench.core.storage.repos.search import SearchRepository
from workbench.core.storage.repos.settings import SettingsRepository
from workbench.core.storage.repos.sources import SourceRepository

__all__ = ["MachineUpdate", "Store"]


class Store:
    """An open workbench database and its repositories."""

    def __init__(self, path: Path, *, upgrade_backup: str | None = None) -> None:
        self.path = path
        self.upgrade_backup = upgrade_backup
        self._engine = dialect.make_engine(path)
        sessions = sessionmaker(self._engine, expire_on_commit=False)
        readers = sessionmaker(
            self._engine.execution_options(workbench_read=True), expire_on_commit=False
        )
        self.articles = ArticleRepository(sessions, path, readers=readers)
        self.claims = ClaimEdits(sessions, path, readers=readers)
        self.sources = SourceRepository(sessions, path, readers=readers)
        self.evidence = EvidenceRepository(sessions, path, readers=readers)
        self.flags = FlagRepository(sessions, path, readers=readers)
        self.settings = SettingsRepository(sessions, path, readers=readers)
        self.search = SearchRepository(sessions, path, readers=readers)

    @classmethod
    def open(cls, path: Path) -> Store:
        """Check, back up if behind, migrate to head, then open."""
        backup = migrate.prepare(path)
        return cls(path, upgrade_backup=backup)

    def close(self) -> None:
        self._engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
