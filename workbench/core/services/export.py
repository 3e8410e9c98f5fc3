"""Export use cases: build the memo from the store, render it, write it safely.

The UI calls :func:`audit_article` before showing the export dialog and
:func:`export_article` off the UI thread; the CLI calls the same functions, so
a memo exported headless is byte for byte the one the UI would write.
"""

from __future__ import annotations

import re
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from workbench import __version__
from workbench.core.errors import UserInputError
from workbench.core.export import FORMATS
from workbench.core.export.memo import (
    AuditItem,
    Memo,
    MemoOptions,
    MemoSettings,
    build_memo_model,
)
from workbench.core.fileio import is_folder, write_atomic
from workbench.core.model import EvidenceView, ProgressFn, Snapshot
from workbench.core.storage import Store

__all__ = [
    "FORMATS",
    "ExportResult",
    "MemoOptions",
    "audit_article",
    "build_memo",
    "default_filename",
    "export_article",
    "memo_settings",
    "normalize_format",
    "render_memo",
]

# Settings keys read here; "checker_organization" and "review_url" are
# optional and only feed ClaimReview's author and url.
SETTING_CHECKER = "checker_name"
SETTING_ORGANIZATION = "checker_organization"
SETTING_PAPER = "paper_size"
SETTING_SCORER = "scorer"
SETTING_REVIEW_URL = "review_url"

_ALIASES = {
    "md": "md",
    "markdown": "md",
    "html": "html",
    "htm": "html",
    "pdf": "pdf",
    "claimreview": "claimreview",
    "jsonld": "claimreview",
    "json-ld": "claimreview",
}
_EXTENSIONS = {"md": ".md", "html": ".html", "pdf": ".pdf", "claimreview": ".jsonld"}
TEXT_FORMATS = frozenset({"md", "html", "claimreview"})


@dataclass(frozen=True, slots=True)
class ExportResult:
    """What an export wrote; ``data`` holds the bytes when no output path was given."""

    format: str
    path: Path | None
    data: bytes | None
    size: int
    claims: int
    sources: int
    audit: tuple[AuditItem, ...]
    seconds: float


def normalize_format(fmt: str) -> str:
    """The canonical format name, or a UserInputError listing the choices."""
    canonical = _ALIASES.get(fmt.strip().lower())
    if canonical is None:
        raise UserInputError(
            f"unknown export format {fmt!r}", hint=f"choose one of: {', '.join(FORMATS)}"
        )
    return canonical


def memo_settings(store: Store, *, memo_date: date | None = None) -> MemoSettings:
    """Who and what the memo names, from settings; the date defaults to today."""
    paper = (store.settings.get(SETTING_PAPER) or "A4").strip()
    return MemoSettings(
        memo_date=memo_date or date.today(),
        app_version=__version__,
        checker_name=_setting(store, SETTING_CHECKER),
        organization=_setting(store, SETTING_ORGANIZATION),
        scorer=_setting(store, SETTING_SCORER),
        paper_size="Letter" if paper.lower() == "letter" else "A4",
        review_url=_setting(store, SETTING_REVIEW_URL),
    )


def _setting(store: Store, key: str) -> str | None:
    value = store.settings.get(key)
    return value.strip() or None if value is not None else None


def build_memo(
    store: Store,
    article_id: int,
    *,
    options: MemoOptions | None = None,
    memo_date: date | None = None,
) -> Memo:
    """Read everything the memo needs through the store API and assemble it."""
    article = store.articles.get(article_id)
    claims = store.claims.for_article(article_id)
    evidence = store.evidence.for_article(article_id)
    snapshots = _snapshot_histories(store, evidence)
    return build_memo_model(
        article,
        claims,
        evidence=evidence,
        snapshots=snapshots,
        flags=store.flags.for_article(article_id),
        options=options or MemoOptions(),
        settings=memo_settings(store, memo_date=memo_date),
    )


def _snapshot_histories(
    store: Store, evidence: Mapping[int, Sequence[EvidenceView]]
) -> dict[int, list[Snapshot]]:
    """Every cited source's snapshot history (dates and hashes, no texts), in one query."""
    source_ids = sorted({view.source.id for views in evidence.values() for view in views})
    return store.sources.snapshots_for(source_ids)


def audit_article(store: Store, article_id: int) -> list[AuditItem]:
    """The audit over all of the article's claims, as shown before export."""
    return list(build_memo(store, article_id).audit)


def render_memo(memo: Memo, fmt: str) -> bytes:
    """Render a memo in one of :data:`FORMATS` (aliases accepted)."""
    fmt = normalize_format(fmt)
    if fmt == "md":
        from workbench.core.export.markdown import render_markdown

        return render_markdown(memo)
    if fmt == "html":
        from workbench.core.export.html import render_html

        return render_html(memo)
    if fmt == "pdf":
        from workbench.core.export.pdf import render_pdf

        return render_pdf(memo)
    from workbench.core.export.claimreview import render_claimreview

    return render_claimreview(memo)


def default_filename(memo: Memo, fmt: str) -> str:
    """A safe file name from the article title: ``memo-<slug>-<date>.<ext>``."""
    slug = re.sub(r"[^A-Za-z0-9]+", "-", memo.header.title).strip("-").lower()[:60] or "article"
    return f"memo-{slug}-{memo.header.memo_date.isoformat()}{_EXTENSIONS[normalize_format(fmt)]}"


def export_article(
    store: Store,
    article_id: int,
    *,
    fmt: str,
    output: Path | None,
    options: MemoOptions | None = None,
    memo_date: date | None = None,
    progress: ProgressFn | None = None,
) -> ExportResult:
    """Build, render and write a memo; ``output=None`` returns the bytes instead.

    An existing directory as ``output`` receives the memo under
    :func:`default_filename`.  The file is written by
    :func:`workbench.core.fileio.write_atomic`: atomically for a regular file
    or a new path (a crash or a full disk never leaves a half-written memo
    where the last good one was), through a symbolic link to its target, and
    never over a device, FIFO, socket or read-only file.
    """
    started = time.perf_counter()
    fmt = normalize_format(fmt)
    report = progress or _no_progress
    report(0, 3, "Reading the article")
    memo = build_memo(store, article_id, options=options, memo_date=memo_date)
    report(1, 3, f"Rendering {fmt}")
    data = render_memo(memo, fmt)
    path: Path | None = None
    if output is not None:
        report(2, 3, "Writing the file")
        path = output / default_filename(memo, fmt) if is_folder(output) else output
        write_atomic(path, data)  # refuses devices, FIFOs and read-only files
    report(3, 3, "Done")
    return ExportResult(
        format=fmt,
        path=path,
        data=data if output is None else None,
        size=len(data),
        claims=len(memo.claims),
        sources=len(memo.sources),
        audit=memo.audit,
        seconds=time.perf_counter() - started,
    )


def _no_progress(done: int, total: int, label: str) -> None:
    return None
