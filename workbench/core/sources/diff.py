"""A one-line account of how a page's text changed between two snapshots.

Re-check shows this next to "changed" so that a fact-checker can tell a
corrected figure from a new comment count without opening both copies.
Paragraphs (non-blank lines of the extracted text) are the unit: that is
how the extractor lays text out, and it is what a reader notices.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

_SNIPPET = 90


@dataclass(frozen=True, slots=True)
class DiffSummary:
    added: int  # paragraphs only in the new text (a rewritten one counts here too)
    removed: int  # paragraphs only in the old text
    first_change: str | None  # the first differing paragraph, shortened
    first_change_kind: str | None  # "added" | "removed" | "changed"

    @property
    def changed(self) -> bool:
        return bool(self.added or self.removed)

    def __str__(self) -> str:
        if not self.changed:
            return "no change in the text"
        head = f"+{self.added} \u2212{self.removed} paragraph{'s' if self._plural else ''}"
        if self.first_change is None:
            return head
        return f'{head}; first change ({self.first_change_kind}): "{self.first_change}"'

    @property
    def _plural(self) -> bool:
        return not (self.added <= 1 and self.removed <= 1)


def paragraphs(text: str) -> list[str]:
    """Non-blank lines with inner whitespace collapsed."""
    return [p for p in (re.sub(r"\s+", " ", line).strip() for line in text.splitlines()) if p]


def summarize_diff(old: str, new: str) -> DiffSummary:
    """Count added and removed paragraphs and quote the first change."""
    before, after = paragraphs(old), paragraphs(new)
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    added = removed = 0
    first: str | None = None
    kind: str | None = None
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        added += j2 - j1
        removed += i2 - i1
        if first is None:
            if tag == "replace":
                first, kind = _changed_part(before[i1], after[j1]), "changed"
            elif tag == "insert":
                first, kind = _shorten(after[j1]), "added"
            else:
                first, kind = _shorten(before[i1]), "removed"
    return DiffSummary(added=added, removed=removed, first_change=first, first_change_kind=kind)


def _changed_part(old: str, new: str) -> str:
    """The new paragraph, starting a little before where it departs from the old."""
    common = 0
    for a, b in zip(old, new, strict=False):
        if a != b:
            break
        common += 1
    start = max(0, common - 30)
    if start > 0:
        space = new.find(" ", start)
        start = space + 1 if 0 <= space < common else start
    snippet = new[start:]
    return ("…" if start > 0 else "") + _shorten(snippet)


def _shorten(text: str) -> str:
    return text if len(text) <= _SNIPPET else text[: _SNIPPET - 1].rstrip() + "…"
