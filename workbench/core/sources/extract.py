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
    """Extract main text and metadata from decoded ``html``.

    Markup nested deeper than 255 levels (where libxml2, and so trafilatura,
    would silently stop and drop the rest of the page) is parsed with the
    deep-tree option and handed over as a tree; beyond 2047 levels the text
    comes from the streaming tokenizer.  Either way no text is lost.
    """
    import trafilatura

    source: Any = html
    if _nests_deeply(html):
        try:
            source = parse_html(html)
        except TooDeep:
            title, text = streamed_text(html)
            return PageContent(text=text, title=title, used_fallback=True)
        except ValueError:
            source = html
    document: Any = None
    try:
        document = trafilatura.bare_extraction(
            source,
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
    from lxml import etree

    if not html.strip():
        return None, ""
    try:
        root = parse_html(html)
    except TooDeep:
        return streamed_text(html)
    except (etree.ParserError, ValueError):
        return None, _clean(re.sub(r"<[^>]*>", " ", html))
    title_el = root.find(".//title")
    title = _clean(title_el.text_content()) if title_el is not None else None
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


def _nests_deeply(html: str) -> bool:
    """Whether libxml2's ordinary depth limit (256) would cut this page short."""
    import lxml.html
    from lxml import etree

    if html.count("<") < 256:
        return False
    parser = lxml.html.HTMLParser(encoding="utf-8", no_network=True)
    try:
        lxml.html.document_fromstring(html.encode("utf-8", "replace"), parser=parser)
    except (etree.ParserError, ValueError):
        return False
    return any("Excessive depth" in entry.message for entry in parser.error_log)


class TooDeep(ValueError):
    """The markup nests deeper than the tree parser goes (libxml2 stops at 2048 levels)."""


def parse_html(html: str) -> Any:
    """An lxml tree of ``html``, or :class:`TooDeep` when the parser would drop text.

    libxml2 stops building the tree at its depth limit (256 levels, 2048
    with ``huge_tree``) and silently loses everything after that point,
    top-level paragraphs included.  Its error log says so; callers then use
    :func:`streamed_text`, which has no depth limit.
    """
    import lxml.html

    parser = lxml.html.HTMLParser(
        encoding="utf-8",
        remove_comments=True,
        remove_pis=True,
        no_network=True,
        huge_tree=True,
    )
    root = lxml.html.document_fromstring(html.encode("utf-8", "replace"), parser=parser)
    if any("Excessive depth" in entry.message for entry in parser.error_log):
        raise TooDeep("the page nests its markup too deeply")
    return root


def streamed_text(html: str, *, skip: frozenset[str] = _SKIP_TAGS) -> tuple[str | None, str]:
    """``(title, text)`` from a streaming tokenizer: any depth, no tree.

    Used for pages the tree parser cannot hold; block elements still end
    lines and script-like elements (``skip``) are still left out.
    """
    from html.parser import HTMLParser

    class _Collector(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.parts: list[str] = []
            self.title: list[str] = []
            self.skipping: list[str] = []
            self.in_title = False

        def handle_starttag(self, tag: str, attrs: Any) -> None:
            if tag in skip and tag not in _VOID_TAGS:
                self.skipping.append(tag)
            if tag == "title":
                self.in_title = True
            if tag in _BLOCK_TAGS:
                self.parts.append("\n")

        def handle_endtag(self, tag: str) -> None:
            if tag in self.skipping:
                while self.skipping and self.skipping.pop() != tag:
                    pass
            if tag == "title":
                self.in_title = False
            if tag in _BLOCK_TAGS:
                self.parts.append("\n")

        def handle_data(self, data: str) -> None:
            if self.in_title:
                self.title.append(data)
            elif not self.skipping:
                self.parts.append(data)

    collector = _Collector()
    collector.feed(html)
    collector.close()
    title = _clean(" ".join(collector.title)) or None
    return title, _clean("".join(collector.parts))


_VOID_TAGS = frozenset({"br", "hr", "img", "input", "meta", "link", "area", "base", "col", "wbr"})


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
