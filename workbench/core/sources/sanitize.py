"""Turn a snapshot's HTML into HTML that is safe to display in the app.

A fetched page is data, never code.  The sanitizer works from an allow-list
and writes a *new* document from it rather than deleting bad parts from the
old one, so anything it does not know about cannot slip through:

* only plain text-structure elements survive; unknown elements are replaced
  by their content (``<custom-card>text</custom-card>`` keeps "text");
* scripts, styles, forms, frames, embeds, media, SVG and MathML are dropped
  with their content;
* only a few harmless attributes survive; every ``on*`` handler, ``style``
  (which can load ``url(...)``), ``class``/``id`` and ``src``/``srcset`` go;
* nothing that loads a remote resource is emitted: images become their alt
  text in brackets, and links keep an absolute http(s) ``href`` only as a
  destination the user may choose to open (the viewer never follows it by
  itself).
"""

from __future__ import annotations

import html as htmllib
from urllib.parse import urljoin, urlsplit

ALLOWED_TAGS = frozenset(
    {
        "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt",
        "dd", "blockquote", "pre", "code", "em", "strong", "b", "i", "u", "s", "sub", "sup",
        "small", "mark", "q", "cite", "abbr", "time", "del", "ins", "span", "div", "article",
        "section", "header", "footer", "main", "aside", "figure", "figcaption", "table",
        "caption", "thead", "tbody", "tfoot", "tr", "th", "td", "a",
    }
)  # fmt: skip
DROPPED_TAGS = frozenset(
    {
        "script", "style", "noscript", "template", "iframe", "frame", "frameset", "object",
        "embed", "applet", "form", "input", "button", "select", "textarea", "option",
        "datalist", "output", "video", "audio", "source", "track", "picture", "canvas",
        "svg", "math", "link", "meta", "base", "head", "title", "dialog", "portal", "slot",
        "param", "map", "area",
    }
)  # fmt: skip
VOID_TAGS = frozenset({"br", "hr"})
# HTML5 void elements libxml2's older HTML parser may treat as containers,
# nesting the rest of the page inside them: drop the element, keep walking
# its "children" (they are really its following siblings).
_VOID_DROPPED = frozenset(
    {
        "embed",
        "source",
        "track",
        "param",
        "area",
        "input",
        "link",
        "meta",
        "base",
        "wbr",
        "col",
        "keygen",
    }
)
ALLOWED_ATTRIBUTES: dict[str, frozenset[str]] = {
    "*": frozenset({"title", "lang", "dir"}),
    "a": frozenset({"href"}),
    "td": frozenset({"colspan", "rowspan"}),
    "th": frozenset({"colspan", "rowspan", "scope"}),
    "time": frozenset({"datetime"}),
    "abbr": frozenset(),
    "ol": frozenset({"start"}),
}
_LINK_SCHEMES = frozenset({"http", "https"})


def sanitize_html(html: str, *, base_url: str | None = None) -> str:
    """Safe display HTML (a fragment: the content of ``<body>``).

    Relative links are made absolute against ``base_url`` (the snapshot's
    final URL); without it they are dropped, since they would otherwise
    resolve against whatever the viewer's base is.
    """
    import lxml.html
    from lxml import etree

    if not html.strip():
        return ""
    parser = lxml.html.HTMLParser(
        encoding="utf-8", remove_comments=True, remove_pis=True, no_network=True
    )
    try:
        root = lxml.html.document_fromstring(html.encode("utf-8", errors="replace"), parser=parser)
    except (etree.ParserError, ValueError):
        return f"<pre>{htmllib.escape(html)}</pre>"
    body = root.find("body")
    start = body if body is not None else root
    out: list[str] = []
    walker = etree.iterwalk(start, events=("start", "end"))
    for event, el in walker:
        tag = el.tag.lower() if isinstance(el.tag, str) else None
        is_container = el is start
        if event == "start":
            if is_container:
                out.append(_text(el.text))
                continue
            if tag in _VOID_DROPPED:
                out.append(_text(el.text))
                continue
            if tag is None or tag in DROPPED_TAGS:
                walker.skip_subtree()
                continue
            if tag == "img":
                alt = (el.get("alt") or "").strip()
                if alt:
                    out.append(f"[{_text(alt)}]")
                out.append(_text(el.text))
                continue
            if tag in ALLOWED_TAGS:
                out.append(_open_tag(tag, el.attrib, base_url))
            out.append(_text(el.text))
        else:
            if is_container:
                continue
            if tag in ALLOWED_TAGS and tag not in VOID_TAGS:
                out.append(f"</{tag}>")
            out.append(_text(el.tail))
    return "".join(out).strip()


def _open_tag(tag: str, attrib: object, base_url: str | None) -> str:
    allowed = ALLOWED_ATTRIBUTES["*"] | ALLOWED_ATTRIBUTES.get(tag, frozenset())
    parts = [tag]
    items = getattr(attrib, "items", None)
    for raw_name, raw_value in items() if items else ():
        name = str(raw_name).lower()
        if name not in allowed:
            continue
        value = str(raw_value)
        if name == "href":
            safe = _safe_link(value, base_url)
            if safe is None:
                continue
            value = safe
        elif name in {"colspan", "rowspan", "start"} and not value.strip().isdigit():
            continue
        parts.append(f'{name}="{htmllib.escape(value, quote=True)}"')
    if tag == "a" and len(parts) > 1:
        parts.append('rel="noopener noreferrer nofollow"')
    return "<" + " ".join(parts) + ">"


def _safe_link(href: str, base_url: str | None) -> str | None:
    # Browsers ignore control characters and whitespace inside a scheme
    # ("java\tscript:"), so strip them before judging it.
    cleaned = "".join(ch for ch in href.strip() if ord(ch) > 32 and ord(ch) != 127)
    if not cleaned or cleaned.startswith("#"):
        return None
    target = urljoin(base_url, cleaned) if base_url else cleaned
    if urlsplit(target).scheme.lower() not in _LINK_SCHEMES:
        return None
    return target


def _text(value: str | None) -> str:
    return htmllib.escape(value, quote=False) if value else ""
