"""Escaping shared by every memo format.

Everything a user or a source wrote (claim text, rationale, page titles,
notes, excerpts, URLs) passes through here before it reaches a renderer.  The
rule is the same in every format: user text can only ever become text, never
structure (a heading, a list item, a link, a tag) and never a script.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote, urlsplit

SAFE_SCHEMES = frozenset({"http", "https"})
"""The only URL schemes a memo turns into links.

Sources are web pages; anything else (``javascript:``, ``data:``, ``file:``)
is shown as text so that clicking in a memo can never run or open something
unexpected.
"""

# Bidi embedding, override and isolate controls can visually reorder the text
# that follows them ("Trojan Source"), so a note could make a verdict appear
# to say something else.  Right-to-left letters themselves are kept.
_BIDI_CONTROLS = dict.fromkeys(
    [0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069, 0x200E, 0x200F]
)


# C0 and C1 controls (except tab and newline) and lone surrogates.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def clean_text(text: str) -> str:
    """Drop control characters and bidi overrides; keep newlines and tabs.

    Control characters are invalid in XML (HTML, the PDF markup) and
    invisible elsewhere; a memo that differs invisibly from what the editor
    sees is worse than one that drops them.
    """
    text = text.translate(_BIDI_CONTROLS)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROLS.sub("", text)


def one_line(text: str) -> str:
    """User text for places that must stay on one line (titles, list entries)."""
    return " ".join(clean_text(text).split())


def paragraphs(text: str) -> list[str]:
    """Split multi-line user text (a rationale, a note) into one-line paragraphs.

    Renderers emit each paragraph on its own, so a newline in a rationale can
    never start a new block in the memo's structure.
    """
    blocks = re.split(r"\n\s*\n", clean_text(text))
    return [line for line in (one_line(b) for b in blocks) if line]


def safe_url(url: str | None) -> str | None:
    """The URL if it may become a link (http/https with a host), else None.

    The result is percent-encoded where characters could end an attribute,
    a Markdown autolink or a PDF link: spaces, quotes, angle brackets,
    backslashes, backticks and control characters.
    """
    if not url:
        return None
    url = url.strip()
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Zs", "Zl", "Zp") for ch in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in SAFE_SCHEMES or not parts.netloc:
        return None
    return quote(url, safe="/:?#[]@!$&()*+,;=%~-._")


# CommonMark lets a backslash escape any ASCII punctuation.  These are the ones
# that can start inline structure anywhere in a line: emphasis, code, links,
# images, raw HTML, entities, GFM tables and strikethrough.
_MD_INLINE = re.compile(r"([\\`*_\[\]<>&|~!{}])")
# ... and these only at the start of a line, where they open a block: ATX
# headings, block quotes, list items ("-", "+", "1." / "1)" before a space),
# thematic breaks and setext underlines ("---", "==="), and fenced code.
# The user text is always one line, so only its very start matters; the
# callers put it at a line start often (block quotes, list items).
_MD_LINE_START = re.compile(r"^([#>+=-]|\d{1,9}(?=[.)](?:\s|$)))")


def md_inline(text: str) -> str:
    """User text as one line of inert CommonMark inline content."""
    line = _MD_INLINE.sub(r"\\\1", one_line(text))
    line = _MD_LINE_START.sub(_escape_line_start, line)
    # A closing run of "#" would be eaten by an ATX heading.
    line = re.sub(r"(\s)(#+)$", lambda m: m.group(1) + "\\#" * len(m.group(2)), line)
    # Trailing spaces would be a hard line break; one_line already strips them.
    return line


def _escape_line_start(match: re.Match[str]) -> str:
    marker = match.group(1)
    if marker[0].isdigit():
        # "1." -> "1\." : the digits stay, the delimiter is escaped.
        return marker + "\\"
    return "\\" + marker


def md_code(text: str) -> str:
    """Text as a CommonMark code span (hashes): backtick-safe, one line."""
    line = one_line(text)
    longest = max((len(m) for m in re.findall(r"`+", line)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if line.startswith("`") or line.endswith("`") else ""
    return f"{fence}{pad}{line}{pad}{fence}"


def md_autolink(url: str | None) -> str:
    """A URL as a CommonMark autolink when safe, else as inert text."""
    link = safe_url(url)
    if link is not None:
        return f"<{link}>"
    return md_inline(url or "")


def xml_text(text: str) -> str:
    """Text for HTML element content or reportlab paragraph markup."""
    return clean_text(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def xml_attr(text: str) -> str:
    """Text for a double- or single-quoted attribute value."""
    return xml_text(text).replace('"', "&quot;").replace("'", "&#x27;")
