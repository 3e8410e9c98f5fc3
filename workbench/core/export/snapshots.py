"""Which saved copy of a source a verdict was judged against.

A page can change after the fact-checker read it.  The memo therefore shows,
for each evidence item, the snapshot that was current when the verdict was
set, and the audit says when a later fetch found different text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from workbench.core.model import FetchState, Snapshot, Source


@dataclass(frozen=True, slots=True)
class SnapshotChoice:
    snapshot: Snapshot | None
    changed_by: Snapshot | None  # a later snapshot whose content differs
    not_fetched: str | None  # why there is no snapshot at all
    warnings: tuple[str, ...]


def _utc(value: datetime) -> datetime:
    """Naive UTC, so stored naive and aware timestamps compare without raising."""
    if value.tzinfo is not None:
        return value.astimezone(UTC).replace(tzinfo=None)
    return value


def _digest(snapshot: Snapshot) -> str | None:
    return snapshot.text_sha256 or snapshot.raw_sha256


def snapshot_for_evidence(
    source: Source, snapshots: Sequence[Snapshot], *, verdict_set_at: datetime | None
) -> SnapshotChoice:
    """Pick the snapshot current at ``verdict_set_at`` (the current one without a verdict)."""
    ordered = sorted(snapshots, key=lambda s: (_utc(s.fetched_at), s.id))
    warnings: list[str] = []
    if not ordered:
        reason = source.fetch_error or (
            "not fetched yet" if source.fetch_state is FetchState.PENDING else "no saved copy"
        )
        warnings.append(f"not fetched: {reason}")
        return SnapshotChoice(None, None, reason, tuple(warnings))
    chosen: Snapshot | None = None
    changed_by: Snapshot | None = None
    if verdict_set_at is None:
        chosen = next((s for s in ordered if s.id == source.current_snapshot_id), ordered[-1])
    else:
        when = _utc(verdict_set_at)
        before = [s for s in ordered if _utc(s.fetched_at) <= when]
        if before:
            chosen = before[-1]
            baseline = _digest(chosen)
            changed_by = next(
                (
                    s
                    for s in ordered
                    if _utc(s.fetched_at) > when and baseline and _digest(s) not in (None, baseline)
                ),
                None,
            )
        else:
            chosen = ordered[0]
            warnings.append("saved only after the verdict was set")
    if changed_by is not None:
        warnings.append("source changed since the verdict")
    if source.fetch_error:
        warnings.append(f"last fetch failed: {source.fetch_error}")
    return SnapshotChoice(chosen, changed_by, None, tuple(warnings))
