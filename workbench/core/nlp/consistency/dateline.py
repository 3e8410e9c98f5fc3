"""Find the date an article was written, when the import metadata has none.

Heuristics, in order of trust (the highest-scoring candidate wins, earlier
position breaks ties):

1. Only the head of the article is searched: its first two paragraphs (lines),
   and no more than the first 1,000 characters.  Dates further down are
   usually about other events.
2. Only full dates with a written year count ("October 17, 2023",
   "17 October 2023", "2023-10-17"): a dateline must be a day.
3. A date introduced by "Published", "Updated", "Posted", "Dated", "Filed"
   or "Date:", a date that stands on its own line, or the wire-service form
   "BEIJING, Oct. 17, 2023 —" scores 3.
4. A date the lede ties to the reported event ("held on", "took place on",
   "signed on", "on ... ," in the first sentence) scores 2.
5. Any other full date in the head scores 1.
6. Outside the header forms of rule 3, a date introduced by "since",
   "until", "by", "before", "after", "from" or sitting in a sentence about
   an anniversary or "years ago" is history, not the dateline: it is skipped.
"""

from __future__ import annotations

import re
from datetime import date

from workbench.core.nlp.temporal import find_dates, sentence_at, sentence_spans

_HEAD_CHARS = 1000
_HEADER_CUE = re.compile(
    r"(?:published|updated|posted|dated|filed|last\s+modified|date)\s*(?:on|at)?\s*[:\-–—]?\s*$",
    re.I,
)
_WIRE_CUE = re.compile(r"(?:^|\n)\s*[A-Z][A-Z .'’-]{2,40},\s*$")
_EVENT_CUE = re.compile(
    r"(?:held|took\s+place|signed|convened|met|opened|began|announced|occurred|"
    r"happened|released|issued|on)\s+(?:on\s+)?$",
    re.I,
)
_HISTORY_PREV = re.compile(r"\b(?:since|until|till|by|before|after|from|through)\s+$", re.I)
_HISTORY_SENT = re.compile(r"\b(?:anniversary|years?\s+ago|decades?\s+ago|years?\s+since)\b", re.I)


def _head_end(text: str) -> int:
    breaks = [m.end() for m in re.finditer(r"\n\s*", text)]
    end = breaks[1] if len(breaks) > 1 else len(text)
    return min(end, _HEAD_CHARS, len(text))


def find_dateline(text: str) -> tuple[date, tuple[int, int]] | None:
    """The article's own date found in its text, with the span it was read from.

    ``None`` when the head of the article holds no full date that looks like
    a dateline (see the module docstring for the heuristics).
    """
    head = text[: _head_end(text)]
    sents = sentence_spans(head)
    best: tuple[int, int, date, tuple[int, int]] | None = None
    for m in find_dates(head):
        if m.kind != "absolute" or m.resolved_from != "text":
            continue
        d = m.as_date()
        if d is None:
            continue
        before = head[max(0, m.start - 40) : m.start]
        line_start = head.rfind("\n", 0, m.start) + 1
        nl = head.find("\n", m.end)
        line_end = nl if nl >= 0 else len(head)
        alone = not head[line_start : m.start].strip() and len(head[m.end : line_end].strip()) <= 3
        if _HEADER_CUE.search(before) or alone or _WIRE_CUE.search(head[line_start : m.start]):
            score = 3
        elif _HISTORY_PREV.search(before) or _HISTORY_SENT.search(
            _sentence_text(head, sents, m.start)
        ):
            continue
        elif _EVENT_CUE.search(before):
            score = 2
        else:
            score = 1
        if best is None or score > best[0]:
            best = (score, m.start, d, (m.start, m.end))
    if best is None:
        return None
    return best[2], best[3]


def _sentence_text(text: str, sents: list[tuple[int, int]], pos: int) -> str:
    s0, s1 = sentence_at(sents, pos)
    return text[s0:s1]
