"""Structure fingerprints of rendered memos, for the injection tests.

A fingerprint keeps every structural element (tags, block and inline markup
tokens) and drops the text, so benign and hostile payloads must give equal
fingerprints when the escaping is right.
"""

from __future__ import annotations

from html.parser import HTMLParser

from markdown_it import MarkdownIt


def markdown_structure(md: str) -> list[str]:
    tokens = MarkdownIt("commonmark").parse(md)
    shape: list[str] = []
    for tok in tokens:
        shape.append(f"{tok.type}:{tok.tag}")
        for child in tok.children or ():
            if child.type not in ("text", "softbreak"):
                shape.append(f"  {child.type}:{child.tag}")
    return shape


def markdown_links(md: str) -> list[str]:
    hrefs: list[str] = []
    for tok in MarkdownIt("commonmark").parse(md):
        for child in tok.children or ():
            if child.type in ("link_open", "image"):
                hrefs.append(str(child.attrs.get("href") or child.attrs.get("src")))
    return hrefs


class TagCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text: list[str] = []
        self.style: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self.tags.append(("/" + tag, []))
        self._in_style = False

    def handle_data(self, data: str) -> None:
        (self.style if self._in_style else self.text).append(data)


def parse_html(html: str) -> TagCollector:
    collector = TagCollector()
    collector.feed(html)
    collector.close()
    return collector


def html_structure(html: str) -> list[str]:
    return [tag for tag, _ in parse_html(html).tags]
