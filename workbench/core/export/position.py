"""Where a claim stands in its article: "paragraph 3, sentence 2".

An editor checks a memo against the published article, where character
offsets mean nothing.  The export layer cannot use spaCy (it must stay light
and headless), so sentences are found with a small rule set that knows the
abbreviations news prose is full of ("U.S.", "Mr.", "Jan.").  It only has to
be right about which sentence a claim *starts* in.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

_ABBREVIATIONS = frozenset(
    {
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "sr",
        "jr",
        "st",
        "gen",
        "col",
        "lt",
        "sgt",
        "capt",
        "cmdr",
        "adm",
        "gov",
        "sen",
        "rep",
        "rev",
        "hon",
        "pres",
        "vs",
        "etc",
        "al",
        "inc",
        "ltd",
        "co",
        "corp",
        "no",
        "nos",
        "fig",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "mt",
        "ft",
        "approx",
        "est",
        "dept",
        "univ",
    }
)
_BOUNDARY = re.compile(r"[.!?…]+[\"'”’)\]]*\s+")
_DOTTED = re.compile(r"(?:\b[A-Za-z]\.){2,}$|\b[A-Z]\.$")
_WORD_BEFORE = re.compile(r"([A-Za-z]+)\.$")


@dataclass(frozen=True, slots=True)
class Position:
    paragraph: int  # 1-based
    sentence: int  # 1-based, within the paragraph

    def describe(self) -> str:
        return f"paragraph {self.paragraph}, sentence {self.sentence}"


class PositionIndex:
    """Paragraph and sentence starts of one article text, built once per memo."""

    def __init__(self, text: str) -> None:
        self._length = len(text)
        self._paragraph_starts: list[int] = []
        self._sentence_starts: list[list[int]] = []
        for start, end in _paragraph_spans(text):
            self._paragraph_starts.append(start)
            self._sentence_starts.append(_sentence_starts(text, start, end))

    def locate(self, offset: int) -> Position | None:
        """The position of the character at ``offset``; None when outside the text."""
        if not self._paragraph_starts or offset < 0 or offset >= self._length:
            return None
        p = max(bisect.bisect_right(self._paragraph_starts, offset) - 1, 0)
        s = max(bisect.bisect_right(self._sentence_starts[p], offset) - 1, 0)
        return Position(paragraph=p + 1, sentence=s + 1)


def _paragraph_spans(text: str) -> list[tuple[int, int]]:
    # Articles pasted from the web use one newline per paragraph; hand-wrapped
    # text uses blank lines between paragraphs and single newlines inside.
    separator = re.compile(r"\n\s*\n") if re.search(r"\n\s*\n", text) else re.compile(r"\n")
    spans: list[tuple[int, int]] = []
    pos = 0
    for match in separator.finditer(text):
        spans.append((pos, match.start()))
        pos = match.end()
    spans.append((pos, len(text)))
    result = []
    for start, end in spans:
        stripped = text[start:end]
        if stripped.strip():
            lead = len(stripped) - len(stripped.lstrip())
            result.append((start + lead, end))
    return result


def _sentence_starts(text: str, start: int, end: int) -> list[int]:
    starts = [start]
    chunk = text[start:end]
    for match in _BOUNDARY.finditer(chunk):
        nxt = match.end()
        if nxt >= len(chunk):
            break
        head = chunk[: match.start() + 1]
        if not _is_sentence_end(head, chunk[nxt]):
            continue
        starts.append(start + nxt)
    return starts


def _is_sentence_end(head: str, following: str) -> bool:
    if following.islower():
        return False
    if head.endswith("."):
        if _DOTTED.search(head):
            return False
        word = _WORD_BEFORE.search(head)
        if word and word.group(1).lower() in _ABBREVIATIONS:
            return False
    return True
