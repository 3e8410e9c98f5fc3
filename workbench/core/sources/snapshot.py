"""Fetch a page and turn it into what a snapshot stores.

This is the network-and-parsing half of "fetch a source", with no database:
it is safe to run on worker threads, several at once, while the services
write the results on one thread.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from workbench.core.sources.fetch import FetchConfig, FetchResult, decode_body, fetch_url


@dataclass(frozen=True, slots=True)
class TakenSnapshot:
    """One successful fetch, ready for ``store.sources.add_snapshot``."""

    url: str
    fetched_at: datetime
    final_url: str
    http_status: int
    content_type: str  # media type plus the charset actually used, e.g. "text/html; charset=utf-8"
    raw: bytes
    text: str | None
    title: str | None = None
    site: str | None = None
    author: str | None = None
    published: str | None = None
    note: str | None = None


def take_snapshot(
    url: str,
    *,
    config: FetchConfig | None = None,
    is_cancelled: Callable[[], bool] | None = None,
) -> TakenSnapshot:
    """Fetch ``url`` and extract its text and metadata.

    Raises :class:`~workbench.core.sources.fetch.FetchError` when no usable
    page came back; extraction problems never raise, they leave a note.
    """
    fetched_at = datetime.now(UTC)
    result = fetch_url(url, config=config, is_cancelled=is_cancelled)
    return snapshot_from_result(result, fetched_at=fetched_at)


def snapshot_from_result(result: FetchResult, *, fetched_at: datetime) -> TakenSnapshot:
    """Extract text and metadata from a fetched body; never raises on hostile content.

    The raw bytes are the evidence and are always kept.  If the extractors
    trip over the page (lxml, trafilatura and pypdf meet every kind of
    malformed input), the snapshot keeps the bytes and a note says why it
    has no text.  Every string is made storable (no lone surrogates), since
    a database refuses those and the whole batch would fail on one page.
    """
    try:
        taken = _extract(result, fetched_at)
    except (MemoryError, KeyboardInterrupt):
        raise
    except Exception as exc:  # the page is untrusted; its raw bytes are still kept
        taken = TakenSnapshot(
            url=result.url,
            fetched_at=fetched_at,
            final_url=result.final_url,
            http_status=result.http_status,
            content_type=result.content_type,
            raw=result.body,
            text=None,
            note=f"The text could not be extracted ({type(exc).__name__}).",
        )
    return _storable(taken)


def _storable(taken: TakenSnapshot) -> TakenSnapshot:
    def fix(value: str | None) -> str | None:
        if value is None:
            return None
        return value.encode("utf-8", "surrogatepass").decode("utf-8", "replace")

    return replace(
        taken,
        final_url=fix(taken.final_url) or taken.final_url,
        content_type=fix(taken.content_type) or taken.content_type,
        text=fix(taken.text),
        title=fix(taken.title),
        site=fix(taken.site),
        author=fix(taken.author),
        published=fix(taken.published),
        note=fix(taken.note),
    )


def _extract(result: FetchResult, fetched_at: datetime) -> TakenSnapshot:
    if result.is_pdf:
        from workbench.core.sources.pdf import extract_pdf

        pdf = extract_pdf(result.body)
        return TakenSnapshot(
            url=result.url,
            fetched_at=fetched_at,
            final_url=result.final_url,
            http_status=result.http_status,
            content_type=result.content_type,
            raw=result.body,
            text=pdf.text,
            title=pdf.title,
            author=pdf.author,
            note=pdf.note,
        )
    text, encoding = decode_body(result.body, charset=result.charset, html=result.is_html)
    content_type = f"{result.content_type}; charset={encoding}"
    if not result.is_html:
        return TakenSnapshot(
            url=result.url,
            fetched_at=fetched_at,
            final_url=result.final_url,
            http_status=result.http_status,
            content_type=content_type,
            raw=result.body,
            text=text.replace("\r\n", "\n").strip(),
        )
    from workbench.core.sources.extract import extract_page

    page = extract_page(text, url=result.final_url)
    note = None
    if page.used_fallback:
        note = (
            "Main text not recognised; the snapshot text is all visible text of the page."
            if page.text
            else "The page has no visible text."
        )
    return TakenSnapshot(
        url=result.url,
        fetched_at=fetched_at,
        final_url=result.final_url,
        http_status=result.http_status,
        content_type=content_type,
        raw=result.body,
        text=page.text,
        title=page.title,
        site=page.site,
        author=page.author,
        published=page.published,
        note=note,
    )
