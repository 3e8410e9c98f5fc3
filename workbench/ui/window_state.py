"""What the window remembers between runs (QSettings): geometry, docks, articles.

Only the window's own state lives here; everything a memo or the CLI must
agree on is in the database (see the settings service).
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QMainWindow, QSplitter

MAX_RECENT = 8
LAST_ARTICLE = "session/last_article"
LAST_CLAIM = "session/last_claim"
RECENT = "recent/articles"


def int_or_none(value: object) -> int | None:
    try:
        return int(value)  # type: ignore[call-overload, no-any-return]
    except (TypeError, ValueError):
        return None


def remembered_article() -> int | None:
    """The article that was open when the app last closed, if any."""
    return int_or_none(QSettings().value(LAST_ARTICLE))


def remembered_claim() -> int | None:
    return int_or_none(QSettings().value(LAST_CLAIM))


def remember_article(article_id: int) -> None:
    QSettings().setValue(LAST_ARTICLE, article_id)
    ids = [article_id] + [i for i in recent_articles() if i != article_id]
    QSettings().setValue(RECENT, [str(i) for i in ids[:MAX_RECENT]])


def remember_claim(claim_id: int) -> None:
    QSettings().setValue(LAST_CLAIM, claim_id)


def recent_articles() -> list[int]:
    raw = QSettings().value(RECENT, [])
    items = raw if isinstance(raw, list) else [raw] if raw else []
    return [i for i in (int_or_none(x) for x in items) if i is not None]


def restore_geometry(window: QMainWindow, main_splitter: QSplitter) -> None:
    geometry = QSettings().value("window/geometry")
    if isinstance(geometry, QByteArray) and not geometry.isEmpty():
        window.restoreGeometry(geometry)
    restore_splitter("splitters/main", main_splitter)


def restore_dock_state(window: QMainWindow) -> None:
    """Dock placement, once the docks exist (``restoreState`` matches them by name)."""
    state = QSettings().value("window/state")
    if isinstance(state, QByteArray) and not state.isEmpty():
        window.restoreState(state)


def restore_splitter(key: str, splitter: QSplitter) -> None:
    value = QSettings().value(key)
    if isinstance(value, QByteArray) and not value.isEmpty():
        splitter.restoreState(value)


def save(
    window: QMainWindow, main_splitter: QSplitter, right_splitter: QSplitter, *, whole: bool
) -> None:
    """Geometry and splitters; the docks only when they exist (``whole``)."""
    settings = QSettings()
    settings.setValue("window/geometry", window.saveGeometry())
    settings.setValue("splitters/main", main_splitter.saveState())
    if whole:
        settings.setValue("window/state", window.saveState())
        settings.setValue("splitters/right", right_splitter.saveState())
    settings.sync()
