"""The Internet Archive's address for a source.

Built, never fetched: the workbench does not talk to archive.org on its own.
The user opens the address in a browser to see the archived copy nearest to
the given time (the Wayback Machine redirects to the closest capture), or to
ask for a capture with :func:`wayback_save_url`.
"""

from __future__ import annotations

from datetime import UTC, datetime

WAYBACK_BASE = "https://web.archive.org/web"


def wayback_timestamp(at: datetime) -> str:
    """``YYYYMMDDhhmmss`` in UTC; naive datetimes are taken to be UTC."""
    moment = at if at.tzinfo is not None else at.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y%m%d%H%M%S")


def wayback_url(url: str, *, at: datetime | None = None) -> str:
    """``https://web.archive.org/web/<timestamp>/<url>``.

    ``at`` is usually the snapshot's ``fetched_at``, so the archived copy
    closest to what the fact-checker saw is shown; without it, "now" asks
    for the newest capture.
    """
    stamp = wayback_timestamp(at or datetime.now(UTC))
    return f"{WAYBACK_BASE}/{stamp}/{url}"


def wayback_save_url(url: str) -> str:
    """The address that asks the Wayback Machine to capture ``url`` now."""
    return f"https://web.archive.org/save/{url}"
