"""Per-database settings (checker name, paper size, model choices).

They live in the database, not in QSettings, so the CLI and the GUI agree
and a database moved to another machine keeps its memo settings.
"""

from __future__ import annotations

from workbench.core.storage import convert
from workbench.core.storage.orm import SettingRow
from workbench.core.storage.repos.base import Repository


class SettingsRepository(Repository):
    def get(self, key: str, default: str | None = None) -> str | None:
        with self._read() as s:
            row = s.get(SettingRow, key)
            return row.value if row is not None else default

    def set(self, key: str, value: str) -> None:
        with self._tx() as s:
            row = s.get(SettingRow, key)
            if row is None:
                s.add(SettingRow(key=key, value=value, updated_at=convert.now()))
            else:
                row.value = value
                row.updated_at = convert.now()

    def all(self) -> dict[str, str]:
        from sqlalchemy import select

        with self._read() as s:
            return {r.key: r.value for r in s.scalars(select(SettingRow)).all()}
