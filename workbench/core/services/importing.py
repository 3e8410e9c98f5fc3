"""Turn a file, stdin bytes or a fetched page into article text, or say why not.

Import is where untrusted input enters, so every path ends either in clean
text or in one :class:`UserInputError` line; nothing is stored until the text
is known to be good.
"""

from __future__ import annotations

import os
import re
import stat
import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from workbench.core.errors import UserInputError
from workbench.core.sources.extract import TooDeep, extract_page, parse_html, streamed_text
from workbench.core.sources.fetch import decode_body
from workbench.core.sources.sniff import binary_kind, mostly_undecodable

MAX_IMPORT_BYTES = 50 * 1024 * 1024
"""Larger than any article; guards against pointing the importer at a disk image."""

MAX_ARTICLE_CHARS = 2_000_000
"""The longest clean article text accepted (about 350,000 words).

Raw input may be larger (a saved web page carries scripts and styles), but
article text beyond this is a book or a data dump: extraction would run for
hours and the reader would be unusable, so it is refused up front with a
clear message instead of being half-handled later.
"""

MIN_PROSE_CHARS = 20
"""Letters or digits outside links and navigation that make a page an article."""

TEXT_SUFFIXES = frozenset({".txt", ".text", ".md", ".markdown", ""})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})


@dataclass(frozen=True, slots=True)
class ImportedText:
    """Clean article text plus whatever metadata the input carried."""

    text: str
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    author: str | None = None
    dateline: date | None = None


def read_path(path: Path) -> ImportedText:
    """Read a .txt/.md/.html file into article text."""
    name = str(path)
    try:
        st = path.stat()
    except FileNotFoundError:
        raise UserInputError(f"{name} does not exist", hint="check the path") from None
    except OSError as exc:
        raise UserInputError(f"cannot read {name}: {exc.strerror}") from None
    if stat.S_ISDIR(st.st_mode):
        raise UserInputError(f"{name} is a directory", hint="pass a .txt, .md or .html file")
    if not stat.S_ISREG(st.st_mode):
        raise UserInputError(f"{name} is not a regular file", hint="pass a .txt, .md or .html file")
    if st.st_size > MAX_IMPORT_BYTES:
        raise UserInputError(
            f"{name} is {st.st_size / 1e6:.0f} MB, more than the "
            f"{MAX_IMPORT_BYTES // 1_000_000} MB an article can be",
            hint="split it or import only the article",
        )
    if not os.access(path, os.R_OK):
        raise UserInputError(f"cannot read {name}: permission denied", hint="check its permissions")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UserInputError(f"cannot read {name}: {exc.strerror}") from None
    suffix = path.suffix.lower()
    html = suffix in HTML_SUFFIXES or (suffix not in TEXT_SUFFIXES and _looks_like_html(data))
    return from_bytes(data, name=name, html=html, fallback_title=_text_of_name(path.stem))


def _text_of_name(name: str) -> str:
    """A file name as text: bytes that are not UTF-8 (kept by Python as lone
    surrogates, which no database stores) become U+FFFD."""
    return os.fsencode(name).decode("utf-8", errors="replace")


def from_bytes(
    data: bytes, *, name: str, html: bool = False, fallback_title: str | None = None
) -> ImportedText:
    """Decode and clean raw bytes; ``name`` is used in messages."""
    if len(data) > MAX_IMPORT_BYTES:
        raise UserInputError(f"{name} is larger than {MAX_IMPORT_BYTES // 1_000_000} MB")
    _refuse_binary(data, name)
    if not html and _looks_like_html(data):
        html = True
    text, _encoding = decode_body(data, charset=None, html=html)
    if mostly_undecodable(text):
        raise UserInputError(
            f"{name} is binary data, not readable text", hint="import a .txt, .md or .html file"
        )
    if html:
        page = extract_page(text)
        body = clean_text(page.text)
        if not body or not _has_prose(text):
            # Both trafilatura and the fallback may return link labels from a
            # page that has nothing else; that is not an article to check.
            raise UserInputError(
                f"{name} is a web page with no article text in it",
                hint="save the article itself, or paste its text",
            )
        check_length(body, name)
        return ImportedText(
            text=body,
            title=page.title or fallback_title,
            outlet=page.site,
            author=page.author,
            dateline=parse_date(page.published),
        )
    body = clean_text(text)
    if not body:
        raise UserInputError(f"{name} is empty", hint="choose a file with the article's text")
    check_length(body, name)
    return ImportedText(text=body, title=guess_title(body) or fallback_title)


def check_length(body: str, name: str) -> None:
    """Refuse clean text longer than :data:`MAX_ARTICLE_CHARS` (one clear line)."""
    if len(body) > MAX_ARTICLE_CHARS:
        raise UserInputError(
            f"{name} holds {len(body):,} characters of text, more than the "
            f"{MAX_ARTICLE_CHARS:,} an article can have",
            hint="import only the article, or split the file",
        )


_NON_PROSE_TAGS = (
    "script", "style", "noscript", "template", "head", "nav", "header", "footer",
    "aside", "form", "button", "select", "menu", "a", "svg", "iframe", "object",
)  # fmt: skip


def _has_prose(html: str) -> bool:
    """Whether the page has some text outside scripts, links and navigation."""
    from lxml import etree

    try:
        root = parse_html(html)
    except TooDeep:  # the tree parser would drop text; the tokenizer has no depth limit
        _title, visible = streamed_text(html, skip=frozenset(_NON_PROSE_TAGS))
        return sum(ch.isalnum() for ch in visible) >= MIN_PROSE_CHARS
    except (etree.ParserError, ValueError):
        return False
    etree.strip_elements(root, *_NON_PROSE_TAGS, with_tail=False)
    text: str = root.text_content()
    return sum(ch.isalnum() for ch in text) >= MIN_PROSE_CHARS


def _looks_like_html(data: bytes) -> bool:
    head = data[:2048].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html")) or (
        b"<body" in head and b"</" in data[:65536]
    )


def _refuse_binary(data: bytes, name: str) -> None:
    """The same rule as for fetched pages (:mod:`workbench.core.sources.sniff`)."""
    kind = binary_kind(data)
    if kind is not None:
        shown = kind if kind.startswith("binary") else f"{kind}, not text"
        raise UserInputError(f"{name} is {shown}", hint="import a .txt, .md or .html file")


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(text: str) -> str:
    """Normalize line endings and Unicode (NFC), drop control characters, trim.

    Offsets of claims point into exactly this string, so it must be stable:
    the same input always cleans to the same text.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    text = _CONTROL.sub("", text)
    text = unicodedata.normalize("NFC", text)
    lines = [line.rstrip() for line in text.split("\n")]
    return "\n".join(lines).strip()


def guess_title(text: str) -> str | None:
    first = text.split("\n", 1)[0].strip()
    if not first:
        return None
    if len(first) <= 120:
        return first.lstrip("#").strip() or None
    cut = first[:100].rsplit(" ", 1)[0]
    return (cut or first[:100]) + "…"


EARLIEST_DATELINE = date(1000, 1, 1)
LATEST_DATELINE = date(2999, 12, 31)
"""Datelines outside these are typing slips (9999-12-31, 0001-01-01), not news.

Date arithmetic on them (the weekday a "next Monday" means) would run off
the calendar, so they are refused where a date is typed and ignored where a
page's metadata states one.
"""


def dateline_in_range(value: date) -> bool:
    return EARLIEST_DATELINE <= value <= LATEST_DATELINE


def check_dateline(value: date) -> date:
    """``value`` if it is a plausible dateline, else one clear UserInputError."""
    if not dateline_in_range(value):
        raise UserInputError(
            f"{value.isoformat()} is not a plausible dateline",
            hint=f"give a date between {EARLIEST_DATELINE.isoformat()} and "
            f"{LATEST_DATELINE.isoformat()}",
        )
    return value


def parse_date(value: str | None) -> date | None:
    """An ISO date (or the date part of a timestamp) in the dateline range, else None."""
    if not value:
        return None
    try:
        parsed = date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None
    return parsed if dateline_in_range(parsed) else None


def parse_user_date(value: str) -> date:
    """``--published`` input: YYYY-MM-DD in the dateline range, or a clear error."""
    try:
        parsed = date.fromisoformat(value.strip())
    except ValueError:
        raise UserInputError(
            f"'{value}' is not a date", hint="write it as YYYY-MM-DD, e.g. 2023-10-17"
        ) from None
    return check_dateline(parsed)
