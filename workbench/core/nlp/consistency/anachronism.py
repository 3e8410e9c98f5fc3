"""Anachronism: an event told as past but dated after the article's own date.

"following a defense pact signed ... in June 2024" in an article dated
October 2023 cannot be right: either the date or the dateline is wrong.

What counts as "told as past" is decided locally, in the clause around the
date, because a sentence can mix tenses:

* a past cue within eight words before the date, in the same clause:
  "signed", "following", "after", "was", "had", ... or another "-ed" verb
  that leads through a preposition to the date ("agreed ... in June 2024");
* or, for a fronted date ("In June 2024, the two sides signed ..."), a past
  verb among the next eight words of the sentence.

Anything that reads as future or planned is left alone: "will", "expected",
"scheduled", "to be signed", "plans", "by/until/before June 2024".  A
future mention misread as past would be a false alarm, so a future cue
anywhere before the date in the sentence, or just after it, vetoes.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from workbench.core.model import FlagFinding
from workbench.core.nlp.consistency._common import Context, make_finding, quote
from workbench.core.nlp.temporal import DateMention

_STRONG_PAST = frozenset(
    {
        "signed",
        "following",
        "after",
        "since",
        "was",
        "were",
        "had",
        "did",
        "held",
        "took",
        "happened",
        "occurred",
        "ended",
        "began",
        "started",
        "launched",
        "agreed",
        "concluded",
        "ratified",
        "finalized",
        "finalised",
        "completed",
        "died",
        "killed",
        "won",
        "lost",
        "elected",
        "invaded",
        "attacked",
        "announced",
        "reached",
        "established",
        "founded",
        "met",
        "visited",
        "passed",
        "adopted",
        "approved",
        "sealed",
        "struck",
        "inked",
    }
)
_FUTURE = frozenset(
    {
        "will",
        "shall",
        "would",
        "could",
        "may",
        "might",
        "should",
        "expected",
        "expects",
        "expect",
        "scheduled",
        "slated",
        "planned",
        "plans",
        "plan",
        "planning",
        "set",
        "due",
        "upcoming",
        "forthcoming",
        "proposed",
        "intends",
        "intended",
        "aims",
        "hopes",
        "hope",
        "anticipated",
        "postponed",
        "delayed",
        "pending",
        "prepares",
        "preparing",
        "next",
        "be",
        "if",
        "unless",
        "until",
        "projected",
        "forecast",
        "targeted",
        "target",
        "deadline",
    }
)
# "-ed" words that are not past events (adjectives, plans, names).
_ED_NOT_PAST = frozenset(
    {
        "united",
        "limited",
        "advanced",
        "armed",
        "detailed",
        "based",
        "related",
        "called",
        "so-called",
        "needed",
        "designed",
        "aimed",
        "required",
        "concerned",
        "interested",
        "supposed",
        "alleged",
        "enhanced",
        "increased",
        "reported",
        "estimated",
        "red",
        "hundred",
        "bed",
        "shed",
        "need",
        "speed",
        "seed",
        "feed",
        "breed",
        "indeed",
    }
)
_SKIP_PREV = frozenset({"by", "until", "till", "before", "through", "to", "for", "from", "ahead"})
_CLAUSE_BREAK = re.compile(r"[,;:()—–\"“”]")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")


def _after_dateline(m: DateMention, dl: date) -> bool:
    if m.kind == "absolute":
        d = m.as_date()
        return d is not None and d > dl + timedelta(days=1)
    if m.kind == "month_year" and m.year is not None and m.month is not None:
        return (m.year, m.month) > (dl.year, dl.month)
    if m.kind == "year" and m.year is not None:
        return m.year > dl.year
    return False


def _words(text: str) -> list[tuple[str, int]]:
    return [(w.group(0).lower().replace("’", "'"), w.start()) for w in _WORD.finditer(text)]


def _past_cue(ctx: Context, m: DateMention) -> tuple[int, str, bool] | None:
    """(start offset, word, strong) of the past cue that makes ``m`` read as past."""
    text = ctx.text
    s0, s1 = ctx.sentence_of(m.start)
    left_sentence = _words(text[s0 : m.start])
    if any(w in _FUTURE for w, _ in left_sentence):
        return None
    right = _words(text[m.end : s1])[:8]
    if any(w in _FUTURE for w, _ in right[:5]):
        return None
    if left_sentence and left_sentence[-1][0] in _SKIP_PREV:
        return None
    # Left: the clause holding the date, last eight words.
    clause_start = s0
    for br in _CLAUSE_BREAK.finditer(text, s0, m.start):
        clause_start = br.end()
    left = _words(text[clause_start : m.start])[-8:]
    for w, off in reversed(left):
        if w in _STRONG_PAST:
            return (clause_start + off, w, True)
    for w, off in reversed(left):
        if w.endswith("ed") and w not in _ED_NOT_PAST and len(w) > 4:
            return (clause_start + off, w, False)
    # Right: a fronted date ("In June 2024, the two sides signed ...").
    fronted = not text[s0 : m.start].strip() or re.fullmatch(
        r"\s*(?:in|on|during|by\s+early|early|late)\s+", text[s0 : m.start], re.I
    )
    if fronted:
        for w, off in right:
            if w in _STRONG_PAST and w not in ("after", "following", "since"):
                return (m.end + off, w, True)
    return None


def check(ctx: Context) -> list[FlagFinding]:
    """Past-tense events dated after the dateline."""
    dl = ctx.dateline
    if dl is None:
        return []
    out: list[FlagFinding] = []
    for m in ctx.dates:
        if m.resolved_from != "text" or not _after_dateline(m, dl):
            continue
        if ctx.dateline_span is not None and m.start == ctx.dateline_span[0]:
            continue
        cue = _past_cue(ctx, m)
        if cue is None:
            continue
        cue_start, word, strong = cue
        start = min(cue_start, m.start)
        end = max(m.end, cue_start + len(word))
        phrase = quote(ctx.text[start:end])
        message = (
            f"An event dated {m.text} is described as past ('{phrase}', cue '{word}'), "
            f"but the article is dated {ctx.dateline_phrase()}: "
            f"{m.text} is after the article's date."
        )
        out.append(
            make_finding(
                ctx,
                "anachronism",
                message,
                ctx.with_dateline_span((start, end)),
                confidence=0.85 if strong else 0.6,
            )
        )
    return out
