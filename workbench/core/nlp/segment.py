"""Cut an article into the pieces spaCy is fed, and trim claim spans.

The article is fed to spaCy paragraph by paragraph (``nlp.pipe``) rather than
as one document: a single huge ``nlp(text)`` call holds the GIL long enough to
stall the UI thread, and it breaks spaCy's ``max_length`` on very long input.
Paragraphs longer than :data:`MAX_CHUNK_CHARS` (a 1 MB paste without any
punctuation, say) are cut further, preferably after sentence punctuation, else
at whitespace, else anywhere.  Every piece remembers its offset in the article
so that spans map back exactly: ``text[start:end]`` is always the claim text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_CHUNK_CHARS = 4_000
"""Upper bound on one spaCy input; keeps memory and GIL hold times small."""

MAX_SENTENCE_CHARS = 1_200
"""Sentences longer than this (run-on text, lists without punctuation) are cut
into pieces: nobody checks a 5,000-character "sentence" as one claim."""

_PARAGRAPH_BREAK = re.compile(r"\n\s*\n|\r\n|\n|\r|\u2028|\u2029")
_SENTENCE_END = re.compile(r"[.!?。！？…][\"'”’»)\]]*\s+")
_WHITESPACE = re.compile(r"\s+")
_LABEL_PREFIX = re.compile(
    r"(?:UPDATE|BREAKING|EXCLUSIVE|WATCH|LIVE|UPDATED|DEVELOPING)\s*:\s*"
    # Wire datelines: "LONDON —", "WASHINGTON, D.C. -", "KYIV (Reuters) -".
    r"|[A-Z][A-Z.'’-]+(?:[ ,]+[A-Z][A-Za-z.'’-]+){0,3}\s*(?:\([^)]{1,40}\)\s*)?[—–-]{1,2}\s+"
    r"(?=[A-Z0-9\"“‘])"
)


@dataclass(frozen=True, slots=True)
class Piece:
    """A slice of the article: ``article[start:end] == text``."""

    start: int
    end: int
    text: str


def paragraphs(text: str) -> list[Piece]:
    """Non-blank paragraphs (split at line breaks), trimmed, with offsets."""
    pieces: list[Piece] = []
    pos = 0
    for m in _PARAGRAPH_BREAK.finditer(text):
        _add_trimmed(text, pos, m.start(), pieces)
        pos = m.end()
    _add_trimmed(text, pos, len(text), pieces)
    return pieces


def chunks(text: str, *, max_chars: int = MAX_CHUNK_CHARS) -> list[Piece]:
    """Paragraphs, with any paragraph longer than ``max_chars`` cut into smaller pieces."""
    out: list[Piece] = []
    for para in paragraphs(text):
        if para.end - para.start <= max_chars:
            out.append(para)
            continue
        for start, end in split_long(text, para.start, para.end, max_chars=max_chars):
            _add_trimmed(text, start, end, out)
    return out


def split_long(text: str, start: int, end: int, *, max_chars: int) -> list[tuple[int, int]]:
    """Cut ``text[start:end]`` into spans of at most ``max_chars``.

    Cuts after the last sentence end inside the window if there is one in its
    second half, else after the last whitespace, else hard at ``max_chars``.
    """
    spans: list[tuple[int, int]] = []
    pos = start
    while end - pos > max_chars:
        limit = pos + max_chars
        cut = _best_cut(text, pos, limit)
        spans.append((pos, cut))
        pos = cut
    if pos < end:
        spans.append((pos, end))
    return spans


def _best_cut(text: str, pos: int, limit: int) -> int:
    half = pos + (limit - pos) // 2
    window = text[half:limit]
    last_sentence = None
    for m in _SENTENCE_END.finditer(window):
        last_sentence = m
    if last_sentence is not None:
        return half + last_sentence.end()
    last_space = None
    for m in _WHITESPACE.finditer(window):
        last_space = m
    if last_space is not None:
        return half + last_space.end()
    cut = limit
    # Never split a surrogate-free code point pair such as a base letter and
    # its combining mark: step back over combining marks.
    while cut > half and _is_combining(text[cut]):
        cut -= 1
    return cut


def _is_combining(ch: str) -> bool:
    import unicodedata

    return unicodedata.combining(ch) != 0 or ch in "\u200d\ufe0f"


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink ``[start, end)`` so it neither starts nor ends with whitespace."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def strip_label(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop a wire-copy label ("UPDATE:", "LONDON —") from the front of a sentence.

    The label is not part of what anyone claims, and a dateline city would
    otherwise count as a named actor in the cues.
    """
    m = _LABEL_PREFIX.match(text, start, end)
    if m and m.end() < end:
        return m.end(), end
    return start, end


def has_words(text: str) -> bool:
    """True when a span holds at least one letter or digit worth showing."""
    return any(ch.isalnum() for ch in text)


def _add_trimmed(text: str, start: int, end: int, out: list[Piece]) -> None:
    start, end = trim(text, start, end)
    if start < end:
        out.append(Piece(start, end, text[start:end]))
