"""Evidence use cases: attach a URL, fetch snapshots, re-check an article.

The split between network and database is the point of this module:

* :func:`attach_evidence` never touches the network, so what the user typed
  is saved at once and can never be lost to a failing fetch;
* fetching runs the network and parsing half
  (:func:`~workbench.core.sources.snapshot.take_snapshot`) on worker threads,
  a bounded number at a time, and writes every result on the calling thread,
  so the database sees one writer;
* a failed fetch is recorded on the source and the evidence stays; earlier
  snapshots are never replaced, only superseded, so a memo can cite the copy
  that was current when its verdict was set.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from workbench.core.errors import CancelledError, UserInputError
from workbench.core.model import (
    CancelFn,
    Changes,
    EvidenceView,
    ProgressFn,
    Snapshot,
    Source,
    Stance,
    StrEnum,
)
from workbench.core.sources.diff import summarize_diff
from workbench.core.sources.excerpt import FoldedText, excerpt_found
from workbench.core.sources.fetch import FetchConfig, FetchError, FetchResult, fetch_url
from workbench.core.sources.preload import load_extractors
from workbench.core.sources.snapshot import TakenSnapshot, snapshot_from_result, take_snapshot
from workbench.core.sources.urls import check_url
from workbench.core.sources.wayback import wayback_url
from workbench.core.storage import Store

_POLL_SECONDS = 0.05


# --------------------------------------------------------------------------- attach


def parse_stance(value: Stance | str) -> Stance:
    """A :class:`Stance` from its value, with a message listing the valid ones."""
    if isinstance(value, Stance):
        return value
    try:
        return Stance(str(value).strip().lower())
    except ValueError:
        valid = ", ".join(s.value for s in Stance)
        raise UserInputError(f"Unknown stance {value!r}.", hint=f"Use one of: {valid}.") from None


def attach_evidence(
    store: Store,
    claim_id: int,
    url: str,
    *,
    stance: Stance | str,
    excerpt: str = "",
    note: str = "",
) -> tuple[EvidenceView, Changes]:
    """Attach ``url`` to a claim as evidence, without waiting for the network.

    The URL is validated and normalized first, so a bad one stores nothing.
    The same page attached twice to a claim stays one evidence row (updated);
    the same page on two claims is one source.  If the source already has a
    snapshot, the excerpt is checked against it at once.
    """
    checked = check_url(url)
    chosen = parse_stance(stance)
    store.claims.get(claim_id)  # NotFoundError before anything is stored
    source, _ = store.sources.get_or_create(checked.original, checked.normalized)
    evidence, _ = store.evidence.attach(
        claim_id, source.id, stance=chosen, excerpt=excerpt.strip(), note=note.strip()
    )
    if source.current_snapshot_id is not None:
        snapshot = store.sources.snapshot(source.current_snapshot_id)
        found = excerpt_found(evidence.excerpt, snapshot.text)
        if found != evidence.excerpt_found:
            evidence = store.evidence.set_excerpt_found(evidence.id, found)
    changes = Changes(claims={claim_id}, sources={source.id}, evidence={evidence.id})
    return EvidenceView(evidence=evidence, source=source), changes


# --------------------------------------------------------------------------- fetch


@dataclass(frozen=True, slots=True)
class FetchOutcome:
    """What one fetch of a source did.  ``error`` is set when it failed."""

    source: Source
    snapshot: Snapshot | None
    error: str | None = None
    error_kind: str | None = None  # FetchError.kind
    changes: Changes = field(default_factory=Changes)

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass(frozen=True, slots=True)
class FetchReport:
    """The outcome of fetching several sources, with all changes merged."""

    outcomes: list[FetchOutcome]
    changes: Changes

    @property
    def fetched(self) -> int:
        return sum(1 for o in self.outcomes if o.ok)

    @property
    def failed(self) -> int:
        return sum(1 for o in self.outcomes if not o.ok)


def fetch_source(
    store: Store,
    source_id: int,
    *,
    config: FetchConfig | None = None,
    is_cancelled: CancelFn | None = None,
) -> FetchOutcome:
    """Fetch one source now (on this thread) and record a snapshot or the failure.

    This holds the calling thread for the whole download.  The app should
    rather run :func:`download_source` on a network thread and hand the
    result to :func:`save_download` on its database thread.
    """
    source = store.sources.get(source_id)
    return save_download(
        store,
        download_source(
            source,
            config=config,
            is_cancelled=is_cancelled,
            allow_local=local_fetch_allowed(store, source.id),
        ),
    )


@dataclass(frozen=True, slots=True)
class Download:
    """A finished download of one source, not yet saved: a snapshot or the failure."""

    source: Source
    result: TakenSnapshot | FetchError


def download_source(
    source: Source,
    *,
    config: FetchConfig | None = None,
    is_cancelled: CancelFn | None = None,
    allow_local: bool = False,
) -> Download:
    """Fetch and extract ``source`` without touching the database (any thread).

    ``allow_local`` is the user's per-source override of the address policy
    (:func:`local_fetch_allowed`, read by the caller on its own thread).
    Raises only :class:`~workbench.core.errors.CancelledError`; a failed
    fetch is returned, so that :func:`save_download` records it.
    """
    load_extractors()
    config = _with_override(config, allow_local)
    try:
        taken = take_snapshot(source.normalized_url, config=config, is_cancelled=is_cancelled)
    except FetchError as exc:
        return Download(source=source, result=exc)
    return Download(source=source, result=taken)


def save_download(store: Store, download: Download) -> FetchOutcome:
    """Record a download: a new snapshot (and excerpt checks) or the failure."""
    if isinstance(download.result, FetchError):
        return _record_failure(store, download.source, download.result)
    return _record_snapshot(store, download.source, download.result)


def fetch_pending(
    store: Store,
    *,
    article_id: int | None = None,
    max_workers: int = 4,
    config: FetchConfig | None = None,
    progress: ProgressFn | None = None,
    is_cancelled: CancelFn | None = None,
) -> FetchReport:
    """Fetch every source that has no snapshot yet (of one article, or all).

    At most ``max_workers`` downloads run at once; results are written here,
    one at a time, as they arrive.  Cancelling stops the remaining downloads;
    what was already fetched stays saved.
    """
    if article_id is not None:
        store.articles.get(article_id)
    return _fetch_many(
        store,
        store.sources.pending(article_id=article_id),
        max_workers=max_workers,
        config=config,
        progress=progress,
        is_cancelled=is_cancelled,
    )


def fetch_sources(
    store: Store,
    source_ids: Sequence[int],
    *,
    max_workers: int = 4,
    config: FetchConfig | None = None,
    progress: ProgressFn | None = None,
    is_cancelled: CancelFn | None = None,
) -> FetchReport:
    """Fetch the given sources concurrently; see :func:`fetch_pending`."""
    return _fetch_many(
        store,
        [store.sources.get(i) for i in source_ids],
        max_workers=max_workers,
        config=config,
        progress=progress,
        is_cancelled=is_cancelled,
    )


def _fetch_many(
    store: Store,
    sources: Sequence[Source],
    *,
    max_workers: int,
    config: FetchConfig | None,
    progress: ProgressFn | None,
    is_cancelled: CancelFn | None,
) -> FetchReport:
    outcomes: list[FetchOutcome] = []

    def apply(source: Source, result: TakenSnapshot | FetchError) -> str:
        if isinstance(result, FetchError):
            outcomes.append(_record_failure(store, source, result))
            return f"failed: {source.normalized_url}"
        outcomes.append(_record_snapshot(store, source, result))
        return f"fetched: {source.normalized_url}"

    _download_all(
        sources,
        apply,
        max_workers=max_workers,
        configs=_configs(store, sources, config),
        progress=progress,
        is_cancelled=is_cancelled,
    )
    changes = Changes()
    for outcome in outcomes:
        changes.merge(outcome.changes)
    return FetchReport(outcomes=outcomes, changes=changes)


# --------------------------------------------------------------------------- re-check


class RecheckStatus(StrEnum):
    """Per-source findings of a re-check, most severe first."""

    FAILED = "failed"  # no answer (network, timeout, size, type): nothing known
    GONE = "gone"  # the server answered 4xx/5xx
    EXCERPT_MISSING = "excerpt_missing"  # a quoted excerpt is no longer in the text
    MOVED = "moved"  # the page now ends at a different final URL
    CHANGED = "changed"  # the text (or, lacking text, the bytes) differs
    NEW = "new"  # no earlier snapshot to compare with: this is the first
    UNCHANGED = "unchanged"


_SEVERITY = list(RecheckStatus)


@dataclass(frozen=True, slots=True)
class RecheckResult:
    source_id: int
    url: str
    status: RecheckStatus  # the most severe of ``statuses``
    statuses: tuple[RecheckStatus, ...]
    http_status: int | None = None
    final_url: str | None = None
    moved_from: str | None = None
    diff: str | None = None  # short summary when CHANGED
    missing_evidence: tuple[int, ...] = ()  # evidence ids whose excerpt is gone
    error: str | None = None
    snapshot_id: int | None = None  # the new snapshot, if one was taken
    previous_snapshot_id: int | None = None
    changes: Changes = field(default_factory=Changes)


def recheck_article(
    store: Store,
    article_id: int,
    *,
    max_workers: int = 4,
    config: FetchConfig | None = None,
    progress: ProgressFn | None = None,
    is_cancelled: CancelFn | None = None,
) -> list[RecheckResult]:
    """Re-fetch every source of an article and say how each one changed.

    A new snapshot is added on every successful fetch (the old ones stay),
    so "when was this last confirmed" has an answer.  Text is compared
    rather than raw bytes when both snapshots have text: pages rebuild their
    markup (ads, tokens, timestamps) on every request, and a fact-checker
    cares whether the *words* changed.
    """
    store.articles.get(article_id)
    claim_ids = {c.id for c in store.claims.for_article(article_id)}
    sources = store.sources.for_article(article_id)
    results: dict[int, RecheckResult] = {}

    def apply(source: Source, result: TakenSnapshot | FetchError) -> str:
        previous = (
            store.sources.snapshot(source.current_snapshot_id)
            if source.current_snapshot_id is not None
            else None
        )
        if isinstance(result, FetchError):
            outcome = _record_failure(store, source, result)
            status = (
                RecheckStatus.GONE
                if result.http_status is not None and result.http_status >= 400
                else RecheckStatus.FAILED
            )
            results[source.id] = RecheckResult(
                source_id=source.id,
                url=source.normalized_url,
                status=status,
                statuses=(status,),
                http_status=result.http_status,
                final_url=result.final_url,
                error=outcome.error,
                previous_snapshot_id=previous.id if previous else None,
                changes=outcome.changes,
            )
            return f"{status.value}: {source.normalized_url}"
        outcome = _record_snapshot(store, source, result)
        assert outcome.snapshot is not None
        results[source.id] = _compare(store, source, previous, outcome, claim_ids)
        return f"{results[source.id].status.value}: {source.normalized_url}"

    _download_all(
        sources,
        apply,
        max_workers=max_workers,
        configs=_configs(store, sources, config),
        progress=progress,
        is_cancelled=is_cancelled,
    )
    return [results[s.id] for s in sources if s.id in results]


def _compare(
    store: Store,
    source: Source,
    previous: Snapshot | None,
    outcome: FetchOutcome,
    claim_ids: set[int],
) -> RecheckResult:
    new = outcome.snapshot
    assert new is not None
    statuses: list[RecheckStatus] = []
    diff: str | None = None
    moved_from: str | None = None
    if previous is None:
        statuses.append(RecheckStatus.NEW)
    else:
        if previous.final_url and new.final_url and previous.final_url != new.final_url:
            statuses.append(RecheckStatus.MOVED)
            moved_from = previous.final_url
        if previous.text is not None and new.text is not None:
            if previous.text_sha256 != new.text_sha256:
                statuses.append(RecheckStatus.CHANGED)
                diff = str(summarize_diff(previous.text, new.text))
        elif previous.raw_sha256 != new.raw_sha256:
            statuses.append(RecheckStatus.CHANGED)
            diff = "content changed (no text to compare)"
    missing = tuple(
        e.id
        for e in store.evidence.for_source(source.id)
        if e.claim_id in claim_ids and e.excerpt_found is False
    )
    if missing:
        statuses.append(RecheckStatus.EXCERPT_MISSING)
    if not statuses:
        statuses.append(RecheckStatus.UNCHANGED)
    statuses.sort(key=_SEVERITY.index)
    return RecheckResult(
        source_id=source.id,
        url=source.normalized_url,
        status=statuses[0],
        statuses=tuple(statuses),
        http_status=new.http_status,
        final_url=new.final_url,
        moved_from=moved_from,
        diff=diff,
        missing_evidence=missing,
        snapshot_id=new.id,
        previous_snapshot_id=previous.id if previous else None,
        changes=outcome.changes,
    )


# --------------------------------------------------------------------------- helpers


def source_wayback_url(store: Store, source_id: int) -> str:
    """The Wayback Machine address nearest to what the user last saw."""
    source = store.sources.get(source_id)
    return wayback_url(source.final_url or source.normalized_url, at=source.fetched_at)


def snapshot_display_html(store: Store, snapshot_id: int) -> str:
    """Safe HTML to show a snapshot in the app: no script runs, nothing remote loads.

    HTML pages are sanitized from their raw bytes (decoded with the charset
    recorded at fetch time), so the user sees the page's own structure; text
    and PDF snapshots show their extracted text, escaped.
    """
    import html

    from workbench.core.sources.fetch import HTML_TYPES, decode_body, parse_content_type
    from workbench.core.sources.sanitize import sanitize_html

    snap = store.sources.snapshot(snapshot_id)
    media, charset = parse_content_type(snap.content_type)
    if media in HTML_TYPES:
        raw = store.sources.snapshot_raw(snapshot_id) or b""
        page, _ = decode_body(raw, charset=charset, html=True)
        return sanitize_html(page, base_url=snap.final_url)
    if snap.text is None:
        return f"<p><em>{html.escape(snap.note or 'No text was extracted.')}</em></p>"
    return f"<pre>{html.escape(snap.text)}</pre>"


def _record_failure(store: Store, source: Source, exc: FetchError) -> FetchOutcome:
    message = exc.one_line()
    if exc.kind == "local_address":
        message = (
            f"{exc.message} — if you trust it, allow local addresses for this source: "
            f"'workbench fetch --source {source.id} --allow-local', or fetch it in the app "
            "and confirm"
        )
    updated = store.sources.record_failure(source.id, error=message, http_status=exc.http_status)
    return FetchOutcome(
        source=updated,
        snapshot=None,
        error=message,
        error_kind=exc.kind,
        changes=Changes(sources={source.id}),
    )


def _record_snapshot(store: Store, source: Source, taken: TakenSnapshot) -> FetchOutcome:
    snapshot = store.sources.add_snapshot(
        source.id,
        fetched_at=taken.fetched_at,
        final_url=taken.final_url,
        http_status=taken.http_status,
        content_type=taken.content_type,
        raw=taken.raw,
        text=taken.text,
        title=taken.title,
        site=taken.site,
        author=taken.author,
        published=taken.published,
        note=taken.note,
    )
    changes = Changes(sources={source.id})
    _reverify_excerpts(store, source.id, snapshot.text, changes)
    return FetchOutcome(source=store.sources.get(source.id), snapshot=snapshot, changes=changes)


def _reverify_excerpts(store: Store, source_id: int, text: str | None, changes: Changes) -> None:
    """Check every excerpt quoted from this source against the new text."""
    evidence_rows = store.evidence.for_source(source_id)
    folded = FoldedText.of(text) if text is not None and evidence_rows else None
    for evidence in evidence_rows:
        found = excerpt_found(evidence.excerpt, folded)
        if found != evidence.excerpt_found:
            store.evidence.set_excerpt_found(evidence.id, found)
            changes.evidence.add(evidence.id)
            changes.claims.add(evidence.claim_id)


def _download_all(
    sources: Sequence[Source],
    apply: Callable[[Source, TakenSnapshot | FetchError], str],
    *,
    max_workers: int,
    configs: dict[int, FetchConfig | None],
    progress: ProgressFn | None,
    is_cancelled: CancelFn | None,
) -> None:
    """Download on up to ``max_workers`` threads; parse and ``apply`` here, as results arrive.

    Only the network runs on the download threads; text extraction runs on
    the caller's thread.  Extraction is CPU-bound Python, so spreading it
    over threads buys nothing under the GIL, and several threads contending
    for the GIL starve the UI thread (the benchmark measured 150-370 ms
    heartbeat stalls that way).  The caller's thread is also the only one
    that touches the store.  ``apply`` returns the progress label.

    However this call ends (cancel, Ctrl-C, an error while saving), the
    downloads still running are told to stop, and each shuts its connection
    within a tenth of a second, so leaving never waits for a slow server.
    """
    if max_workers < 1:
        raise UserInputError(f"max_workers must be at least 1, not {max_workers}.")
    total = len(sources)
    if progress is not None:
        progress(0, total, "fetching")
    if not sources:
        return
    load_extractors()
    stop = threading.Event()
    user_cancelled = is_cancelled or (lambda: False)

    def cancelled() -> bool:
        return stop.is_set() or user_cancelled()

    def work(source: Source) -> tuple[datetime, FetchResult | FetchError]:
        fetched_at = datetime.now(UTC)
        try:
            return fetched_at, fetch_url(
                source.normalized_url, config=configs.get(source.id), is_cancelled=cancelled
            )
        except FetchError as exc:
            return fetched_at, exc

    done = 0
    with ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="fetch") as pool:
        pending: dict[Future[tuple[datetime, FetchResult | FetchError]], Source] = {
            pool.submit(work, source): source for source in sources
        }
        try:
            while pending:
                if cancelled():
                    raise CancelledError("Fetching cancelled")
                finished, _ = wait(pending, timeout=_POLL_SECONDS, return_when=FIRST_COMPLETED)
                for future in finished:
                    source = pending.pop(future)
                    fetched_at, result = future.result()
                    if isinstance(result, FetchError):
                        label = apply(source, result)
                    else:
                        label = apply(source, snapshot_from_result(result, fetched_at=fetched_at))
                    done += 1
                    if progress is not None:
                        progress(done, total, label)
        finally:
            stop.set()  # running downloads shut their sockets; the pool's exit is quick
            for future in pending:
                future.cancel()


# --------------------------------------------------------------------------- address policy

_LOCAL_OVERRIDE_KEY = "fetch.allow_local.source.{}"


def allow_local_fetch(store: Store, source_id: int, *, allowed: bool = True) -> Changes:
    """Record the user's confirmation that ``source_id`` may be fetched from a local address.

    The fetcher refuses loopback, private and link-local addresses
    (:mod:`workbench.core.sources.addresses`); a fact-checker who attaches
    an intranet page on purpose confirms it once for that source, and later
    fetches and re-checks honour it.  Kept in the settings table, keyed by
    source id.
    """
    store.sources.get(source_id)  # NotFoundError first
    store.settings.set(_LOCAL_OVERRIDE_KEY.format(source_id), "1" if allowed else "0")
    return Changes(sources={source_id})


def local_fetch_allowed(store: Store, source_id: int) -> bool:
    """Whether the user allowed local addresses for this source (:func:`allow_local_fetch`)."""
    return store.settings.get(_LOCAL_OVERRIDE_KEY.format(source_id)) == "1"


def _with_override(config: FetchConfig | None, allow_local: bool) -> FetchConfig | None:
    if not allow_local:
        return config
    return replace(config or FetchConfig(), allow_local=True)


def _configs(
    store: Store, sources: Sequence[Source], config: FetchConfig | None
) -> dict[int, FetchConfig | None]:
    return {s.id: _with_override(config, local_fetch_allowed(store, s.id)) for s in sources}
