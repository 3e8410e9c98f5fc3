"""Where the workbench keeps its files.

Everything hangs off one data directory (platformdirs' user data dir for the
app) so that a test, or a user with a portable setup, can move it all with
``--data-dir`` / ``WORKBENCH_DATA_DIR``; ``--db`` / ``WORKBENCH_DB`` points at a
single database file instead.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

APP_NAME = "claim-workbench"
DB_FILENAME = "workbench.sqlite3"


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The data directory: the override, else WORKBENCH_DATA_DIR, else platformdirs."""
    if override:
        return Path(override).expanduser()
    env = os.environ.get("WORKBENCH_DATA_DIR")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False))


def db_path(
    *,
    db: str | os.PathLike[str] | None = None,
    data: str | os.PathLike[str] | None = None,
) -> Path:
    """The database file: ``--db``, else WORKBENCH_DB, else inside the data directory."""
    if db:
        return Path(db).expanduser()
    env = os.environ.get("WORKBENCH_DB")
    if env:
        return Path(env).expanduser()
    return data_dir(data) / DB_FILENAME


def backups_dir(database: Path) -> Path:
    """Backups sit beside the database they protect, so they move with it."""
    return database.parent / "backups"


def resource_path(*parts: str) -> Path:
    """A file shipped in resources/ (installed as the package workbench.resources)."""
    base = resources.files("workbench.resources")
    return Path(str(base.joinpath(*parts)))


def sample_article_path() -> Path:
    return resource_path("samples", "beijing-summit-article.txt")
