"""Export use cases: build the memo from the store, render it, write it safely.

The UI calls :func:`audit_article` before showing the export dialog and
:func:`export_article` off the UI thread; the CLI calls the same functions, so
a memo exported headless is byte for byte the one the UI would write.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from workbench import __version__
from workbench.core.errors import KnownError, UserInputError
from workbench.core.export import FORMATS
from workbench.core.export.memo import (
    AuditItem,
    Memo,
    MemoOptions,
    MemoSettings,
    build_memo_model,
)
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
    """Who and what the memo names, from settings; the date defaults to today.

    The organization and the review URL are optional and only feed
    ClaimReview's author and url.
    """
    settings = store.settings.load()
    return MemoSettings(
        memo_date=memo_date or date.today(),
        app_version=__version__,
        checker_name=settings.checker_name,
        organization=settings.checker_organization,
        scorer=settings.scorer,
        paper_size=settings.paper_size,
        review_url=settings.review_url,
    )


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
    :func:`default_filename`.  The file is written to a temporary name beside
    the target and renamed over it, so a crash or a full disk never leaves a
    half-written memo where the last good one was.
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
        path = output / default_filename(memo, fmt) if output.is_dir() else output
        write_atomic(path, data)
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


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and ``os.replace``."""
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise UserInputError(
            f"cannot write {path}: the folder {folder} does not exist",
            hint="create it or choose another output file",
        )
    if path.is_dir():
        raise UserInputError(f"cannot write {path}: it is a folder", hint="give a file name")
    tmp_name: str | None = None
    try:
        fd, tmp_name = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            # mkstemp makes the file private (0600); a memo is a normal document,
            # so give it the permissions any new file would get.
            os.fchmod(fh.fileno(), 0o666 & ~_umask())
            os.fsync(fh.fileno())
        os.replace(tmp_name, path)
        tmp_name = None
    except PermissionError as exc:
        raise UserInputError(
            f"cannot write {path}: permission denied", hint="choose a folder you can write to"
        ) from exc
    except OSError as exc:
        what = "the disk is full" if exc.errno == errno.ENOSPC else exc.strerror or str(exc)
        raise KnownError(
            f"cannot write {path}: {what}", hint="free some space or choose another place"
        ) from exc
    finally:
        if tmp_name is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)
