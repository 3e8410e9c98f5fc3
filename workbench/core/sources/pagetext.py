"""Main text and metadata of a fetched HTML page.

trafilatura strips navigation, footers and comments, which is what makes an
excerpt check meaningful (a quote found only in a "related stories" box is
not the article saying it).  When it finds no main text (very short pages,
unusual markup) we fall back to the visible text of the whole body, so that
the snapshot is never silently empty.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

_SKIP_TAGS = frozenset(
    {"script", "style", "noscript", "template", "head", "svg", "iframe", "object"}
)
_BLOCK_TAGS = frozenset(
    {
        "p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section",
        "article", "header", "footer", "blockquote", "pre", "table", "ul", "ol", "dd", "dt",
        "figcaption", "main", "aside", "nav", "hr", "title",
    }
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class PageContent:
    """What a snapshot records about an HTML page besides its raw bytes."""

    text: str
    title: str | None = None
    site: str | None = None
    author: str | None = None
    published: str | None = None  # ISO date as the page states it, e.g. "2024-05-03"
    used_fallback: bool = False


def extract_page(html: str, *, url: str | None = None) -> PageContent:
    """Extract main text and metadata from decoded ``html``."""
    import trafilatura

    document: Any = None
    try:
        document = trafilatura.bare_extraction(
            html,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
        )
    except (ValueError, TypeError, AttributeError):  # malformed markup trips it
        document = None
    text = _clean(getattr(document, "text", None) or "")
    title = _meta(document, "title")
    site = _meta(document, "sitename")
    author = _meta(document, "author")
    published = _meta(document, "date")
    if text:
        return PageContent(text=text, title=title, site=site, author=author, published=published)
    fallback_title, fallback_text = visible_text(html)
    return PageContent(
        text=fallback_text,
        title=title or fallback_title,
        site=site,
        author=author,
        published=published,
        used_fallback=True,
    )


def visible_text(html: str) -> tuple[str | None, str]:
    """``(title, text)`` of a page, block elements on their own lines."""
    import lxml.html
    from lxml import etree

    if not html.strip():
        return None, ""
    try:
        parser = lxml.html.HTMLParser(
            encoding="utf-8", remove_comments=True, remove_pis=True, no_network=True
        )
        root = lxml.html.document_fromstring(html.encode("utf-8"), parser=parser)
    except (etree.ParserError, ValueError):
        return None, _clean(re.sub(r"<[^>]*>", " ", html))
    title_el = root.find(".//title")
    title = _clean(_text_of(title_el)) if title_el is not None else None
    body = root.find("body")
    parts: list[str] = []
    walker = etree.iterwalk(body if body is not None else root, events=("start", "end"))
    for event, el in walker:
        tag = el.tag if isinstance(el.tag, str) else ""
        if event == "start":
            if tag in _SKIP_TAGS:
                walker.skip_subtree()  # its "end" event still comes, with the tail
                continue
            if tag in _BLOCK_TAGS:
                parts.append("\n")
            if el.text:
                parts.append(el.text)
        else:
            if tag in _BLOCK_TAGS:
                parts.append("\n")
            if el.tail:
                parts.append(el.tail)
    return title or None, _clean("".join(parts))


def _clean(text: str) -> str:
    """Collapse runs of spaces inside lines and drop blank lines."""
    lines = (re.sub(r"[ \t\r\f\v\u00a0]+", " ", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def _meta(document: Any, name: str) -> str | None:
    value = getattr(document, name, None) if document is not None else None
    if not isinstance(value, str):
        return None
    value = value.strip()
    return value or None


def _text_of(element: Any) -> str:
    """All the text in ``element`` (lxml's HTML elements have ``text_content``)."""
    text: str = element.text_content()
    return text
