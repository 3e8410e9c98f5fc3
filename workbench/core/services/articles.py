"""Article use cases: import from a file, stdin, pasted text or a URL; delete."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from workbench.core.errors import UserInputError
from workbench.core.model import Article, CancelFn, Changes, ProgressFn
from workbench.core.paths import sample_article_path
from workbench.core.services import importing
from workbench.core.storage import Store

if TYPE_CHECKING:
    from workbench.core.sources.fetch import FetchConfig

SAMPLE_OUTLET = "Sample article (shipped with the workbench)"


def import_text(
    store: Store,
    text: str,
    *,
    title: str | None = None,
    url: str | None = None,
    published: date | None = None,
    outlet: str | None = None,
    author: str | None = None,
) -> tuple[Article, Changes]:
    """Store pasted or already-decoded text as a new article."""
    body = importing.clean_text(text)
    if not body:
        raise UserInputError("the article text is empty", hint="paste or choose some text")
    importing.check_length(body, "the pasted text")
    imported = importing.ImportedText(text=body, title=importing.guess_title(body))
    return _store(
        store, imported, title=title, url=url, published=published, outlet=outlet, author=author
    )


def load_source(
    source: str,
    *,
    stdin: bytes | None = None,
    config: FetchConfig | None = None,
    is_cancelled: CancelFn | None = None,
) -> importing.ImportedText:
    """Read and clean ``source`` without touching any database.

    ``source`` is a file path, ``-`` (with ``stdin`` bytes) or an http(s) URL
    (fetched within ``config``'s limits, cancellable).  Kept apart from
    saving so that bad input fails before a database is opened or created.
    """
    if not source:
        raise UserInputError(
            "the source is empty", hint="give a file path, '-' for stdin, or an http(s) URL"
        )
    if source == "-":
        if stdin is None:
            raise UserInputError("no input on stdin", hint="pipe the article text in")
        return importing.from_bytes(stdin, name="standard input")
    if source.lower().startswith(("http://", "https://")):
        imported = fetch_article(source, config=config, is_cancelled=is_cancelled)
        return replace(imported, url=imported.url or source)
    if "://" in source or source.lower().startswith(("javascript:", "data:", "file:")):
        raise UserInputError(
            f"cannot import '{source[:80]}'",
            hint="give a file path, '-' for stdin, or an http(s) URL",
        )
    return importing.read_path(Path(source).expanduser())


def save_imported(
    store: Store,
    imported: importing.ImportedText,
    *,
    title: str | None = None,
    url: str | None = None,
    published: date | None = None,
) -> tuple[Article, Changes]:
    """Store text from :func:`load_source`; explicit options beat found metadata."""
    return _store(store, imported, title=title, url=url, published=published)


def import_source(
    store: Store,
    source: str,
    *,
    title: str | None = None,
    url: str | None = None,
    published: date | None = None,
    stdin: bytes | None = None,
) -> tuple[Article, Changes]:
    """Load ``source`` and store it as a new article."""
    imported = load_source(source, stdin=stdin)
    return save_imported(store, imported, title=title, url=url, published=published)


def fetch_article(
    url: str, *, config: FetchConfig | None = None, is_cancelled: CancelFn | None = None
) -> importing.ImportedText:
    """Download an article page and extract its text (no database access)."""
    from workbench.core.sources.fetch import decode_body, fetch_url
    from workbench.core.sources.urls import validate_url

    checked = validate_url(url)
    result = fetch_url(checked, config=config, is_cancelled=is_cancelled)
    if result.is_pdf:
        raise UserInputError(f"{url} is a PDF", hint="save its text to a .txt file and import that")
    text, _ = decode_body(result.body, charset=result.charset, html=result.is_html)
    name = result.final_url
    imported = importing.from_bytes(text.encode("utf-8"), name=name, html=result.is_html)
    return imported


def _store(
    store: Store,
    imported: importing.ImportedText,
    *,
    title: str | None,
    url: str | None,
    published: date | None,
    outlet: str | None = None,
    author: str | None = None,
) -> tuple[Article, Changes]:
    if published is not None:
        importing.check_dateline(published)
    imported = replace(
        imported,
        title=(title or "").strip() or imported.title or "Untitled article",
        url=url or imported.url,
        dateline=published or imported.dateline,
        outlet=outlet or imported.outlet,
        author=author or imported.author,
    )
    article = store.articles.add(
        title=(imported.title or "Untitled article")[:500],
        text=imported.text,
        url=imported.url,
        outlet=imported.outlet,
        author=imported.author,
        dateline=imported.dateline,
    )
    return article, Changes(articles={article.id})


def delete_article(store: Store, article_id: int) -> Changes:
    store.articles.delete(article_id)
    return Changes(deleted_articles={article_id})


def set_dateline(store: Store, article_id: int, dateline: date | None) -> tuple[Article, Changes]:
    """The user's dateline wins over one found in the text; None clears it."""
    if dateline is not None:
        importing.check_dateline(dateline)
    article = store.articles.update(article_id, dateline=dateline, clear_dateline=dateline is None)
    return article, Changes(articles={article_id})


def ensure_sample(
    store: Store,
    *,
    extract: bool = True,
    progress: ProgressFn | None = None,
) -> Article | None:
    """First run: an empty database gets the sample article, extracted.

    Returns the sample article when it was imported now, None otherwise.
    """
    if store.articles.count() > 0:
        return None
    text = sample_article_path().read_text(encoding="utf-8")
    article, _ = import_text(
        store,
        text,
        title="Xi, Putin and Kim meet in Beijing ahead of military parade",
        outlet=SAMPLE_OUTLET,
    )
    if extract:
        from workbench.core.services.claims import extract_article

        extract_article(store, article.id, progress=progress)
    return article
