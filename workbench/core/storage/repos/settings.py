"""Per-database settings (checker name, paper size, model choices), typed.

They live in the database, not in QSettings, so the CLI and the GUI agree
and a database moved to another machine keeps its memo settings.  The keys
are the field names of :class:`~workbench.core.model.Settings`: this module
is the one place that maps between the two.
"""

from __future__ import annotations

import builtins
from dataclasses import fields, replace

from sqlalchemy import select

from workbench.core.model import PAPER_SIZES, Settings
from workbench.core.storage import convert
from workbench.core.storage.orm import SettingRow
from workbench.core.storage.repos.base import Repository

KEYS = tuple(f.name for f in fields(Settings))


def _from_stored(stored: dict[str, str]) -> Settings:
    values: dict[str, str | None] = {}
    for key in KEYS:
        raw = stored.get(key)
        values[key] = raw.strip() or None if raw is not None else None
    paper = (values.pop("paper_size") or PAPER_SIZES[0]).lower()
    return replace(
        Settings(**values),  # type: ignore[arg-type]
        paper_size="Letter" if paper == "letter" else PAPER_SIZES[0],
    )


class SettingsRepository(Repository):
    def load(self) -> Settings:
        """Every setting, defaults filled in, in one read."""
        return _from_stored(self.all())

    def save(self, settings: Settings) -> None:
        """Store every setting in one transaction (all of them or none)."""
        with self._tx() as s:
            stamp = convert.now()
            for key in KEYS:
                value = getattr(settings, key)
                text = "" if value is None else str(value)
                row = s.get(SettingRow, key)
                if row is None:
                    s.add(SettingRow(key=key, value=text, updated_at=stamp))
                elif row.value != text:
                    row.value = text
                    row.updated_at = stamp

    def checker_name(self) -> str | None:
        """Just the checker name (one row): every operation asks it for its actor."""
        value = self.get("checker_name")
        return value.strip() or None if value is not None else None

    def get(self, key: str, default: str | None = None) -> str | None:
        """One raw stored value (tests and older callers; prefer :meth:`load`)."""
        with self._read() as s:
            row = s.get(SettingRow, key)
            return row.value if row is not None else default

    def set(self, key: str, value: str) -> None:
        """Store one raw value in its own transaction (prefer :meth:`save`)."""
        with self._tx() as s:
            row = s.get(SettingRow, key)
            if row is None:
                s.add(SettingRow(key=key, value=value, updated_at=convert.now()))
            else:
                row.value = value
                row.updated_at = convert.now()

    def all(self) -> builtins.dict[str, str]:
        with self._read() as s:
            return {r.key: r.value for r in s.scalars(select(SettingRow)).all()}
