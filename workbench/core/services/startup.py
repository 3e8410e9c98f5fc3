"""What the desktop app reads before anything else: the start-up glance.

The glance (``storage/glance.py``) reads the article to show with
``sqlite3`` alone, so the window can paint it while SQLAlchemy loads.  This
module is the door to it for the UI, which never imports storage; it
imports nothing heavier than the glance itself.
"""

from __future__ import annotations

from pathlib import Path

from workbench.core.storage.glance import Glance, read

__all__ = ["Glance", "glance"]


def glance(path: Path, *, prefer: int | None = None) -> Glance | None:
    """Article ``prefer`` (or the newest import) as the window shows it, or None.

    None whenever anything is unusual; the app then starts the ordinary way.
    """
    return read(path, prefer=prefer)
