"""Is the excerpt a fact-checker quoted really in the snapshot?

The comparison is deliberately forgiving about form and strict about words:

* whitespace is ignored entirely: extractors join or split paragraphs and
  PDF lines differently from what the browser showed;
* quote style is ignored: curly, straight, guillemets and primes are one
  quote; all dashes and the minus sign are one hyphen; "…" is "...";
* letter case is ignored: an excerpt often starts a sentence with a capital
  where the page has it mid-sentence ("The minister said" / "the minister
  said"), and changing a claim's meaning by case alone is vanishingly rare;
* compatibility forms (ligatures, full-width digits, non-breaking spaces)
  are unified by NFKD, and soft hyphens and zero-width characters dropped.

An ellipsis in the excerpt ("A ... B" or "A […] B") marks an omission: the
parts must appear in order.  Matches map back to offsets in the original
text, so the UI can highlight them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_QUOTES = {
    **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032\u2035\u0060\u00b4\u02bc", "'"),
    **dict.fromkeys(
        "\u201c\u201d\u201e\u201f\u2033\u2036\u00ab\u00bb\u2039\u203a\u301d\u301e", '"'
    ),
    **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d", "-"),
}
_DROPPED = frozenset("\u00ad\u200b\u200c\u200d\u2060\ufeff")
_ELLIPSIS_RE = re.compile(r"\s*(?:\[\s*(?:\.\s*){3}\]|\[\s*…\s*\]|\(\s*(?:\.\s*){3}\)|…|\.{3,})\s*")


@dataclass(frozen=True, slots=True)
class ExcerptMatch:
    """Where the excerpt was found: ``text[start:end]`` spans all its parts."""

    start: int
    end: int
    spans: tuple[tuple[int, int], ...]


def _fold_char(ch: str) -> str:
    """The comparison form of one character ("" for ignored ones)."""
    if ch.isspace() or ch in _DROPPED:
        return ""
    parts = []
    for part in unicodedata.normalize("NFKD", _QUOTES.get(ch, ch)):
        if part.isspace() or part in _DROPPED:
            continue
        parts.append(_QUOTES.get(part, part).casefold())
    return "".join(parts)


_FOLDED: dict[str, str] = {}  # per-character memo; a page uses few distinct characters


def fold(text: str) -> tuple[str, list[int]]:
    """The comparison form of ``text`` and, per folded char, its source index."""
    memo = _FOLDED
    out: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text):
        folded = memo.get(ch)
        if folded is None:
            folded = memo[ch] = _fold_char(ch)
        if not folded:
            continue
        out.append(folded)
        if len(folded) == 1:
            index.append(i)
        else:
            index.extend([i] * len(folded))
    return "".join(out), index


@dataclass(frozen=True, slots=True)
class FoldedText:
    """A snapshot text folded once, to look up several excerpts in it."""

    text: str
    folded: str
    index: list[int]

    @classmethod
    def of(cls, text: str) -> FoldedText:
        folded, index = fold(text)
        return cls(text=text, folded=folded, index=index)


def split_excerpt(excerpt: str) -> list[str]:
    """The parts of an excerpt between omission marks, empty parts dropped."""
    return [part for part in _ELLIPSIS_RE.split(excerpt) if part.strip()]


def find_excerpt(excerpt: str, text: str | FoldedText) -> ExcerptMatch | None:
    """Find ``excerpt`` in ``text`` as described in the module docstring.

    Returns ``None`` when it is not there, or when the excerpt has no
    comparable characters at all (an empty excerpt is never "found").
    Pass a :class:`FoldedText` to check many excerpts against one text.
    """
    parts = [fold(part)[0] for part in split_excerpt(excerpt)]
    parts = [part for part in parts if part]
    if not parts:
        return None
    haystack = text if isinstance(text, FoldedText) else FoldedText.of(text)
    spans: list[tuple[int, int]] = []
    pos = 0
    for part in parts:
        at = haystack.folded.find(part, pos)
        if at < 0:
            return None
        end = at + len(part)
        spans.append((haystack.index[at], haystack.index[end - 1] + 1))
        pos = end
    return ExcerptMatch(start=spans[0][0], end=spans[-1][1], spans=tuple(spans))


def excerpt_found(excerpt: str, text: str | FoldedText | None) -> bool | None:
    """``True``/``False`` for the evidence's "excerpt found" mark.

    ``None`` means "cannot tell": there is no excerpt, or no snapshot text
    to look in (not fetched yet, or a PDF without a text layer).
    """
    if not excerpt.strip() or text is None:
        return None
    return find_excerpt(excerpt, text) is not None
