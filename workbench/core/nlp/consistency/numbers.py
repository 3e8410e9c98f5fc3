"""Numbers that disagree: percentages over 100, parts over their total, one
quantity given two incompatible values.

Quantities come from :func:`workbench.core.nlp.facts.quantities.find_quantities`
(the same parser the claim facts use), so a hedge is respected: "over 15,000"
and "around 16,000" are compatible, "over 15,000" and "12,000" are not.

All three rules are deliberately narrow:

* ``percentage``: a share above 100% only where the text makes it a share of
  a whole ("120% of voters", "105 percent said", "turnout of 104%").
  Growth, tariffs, debt ratios and capacity legitimately exceed 100%.
* ``parts_exceed_total``: "500 of the 300 delegates", or a total followed in
  the same sentence by its breakdown ("300 delegates, including 200 women
  and 150 men") whose parts add up to more than the total allows.
* ``numbers``: two sentences that count the same thing the same way (same
  head noun and the same verb: "troops ... deployed") with values whose
  hedged ranges cannot overlap, and neither sentence speaks of change,
  comparison or another time ("rose from", "now", "last year", "another").
"""

from __future__ import annotations

import math
import re
from itertools import combinations, pairwise

from workbench.core.model import FlagFinding
from workbench.core.nlp.consistency._common import Context, make_finding, quote
from workbench.core.nlp.facts.quantities import Quantity, find_quantities

_SHARE_AFTER = re.compile(
    r"^\s*(?:of\s+(?:the\s+|all\s+|its\s+|their\s+|registered\s+|eligible\s+|likely\s+)*"
    r"(?:[A-Za-z-]+\s+){0,2}?(?:voters|respondents|people|population|residents|adults|children|"
    r"students|employees|workers|members|households|citizens|participants|patients|users|"
    r"those|vote|votes|electorate|ballots|americans|women|men|seats|delegates|country|"
    r"public|nation|staff|customers|businesses|companies|firms)\b"
    r"|(?:said|say|says|voted|support|supported|oppose|opposed|backed|back|approve|approved|"
    r"agree|agreed|believe|believed|favou?r|favou?red|disapprove|disapproved)\b)",
    re.I,
)
_SHARE_BEFORE = re.compile(
    r"\b(?:turnout|approval(?:\s+rating)?|vote\s+share|share\s+of\s+the\s+vote|majority)"
    r"\s+(?:of|at|reached|hit|was|stood\s+at|rose\s+to|climbed\s+to)?\s*$",
    re.I,
)
_OF_THE = re.compile(
    r"^\s+(?:of|out\s+of)\s+(?:the\s+|its\s+|their\s+|all\s+|a\s+total\s+of\s+)?$", re.I
)
_BREAKDOWN = re.compile(
    r"\b(?:including|of\s+whom|of\s+which|among\s+them|among\s+whom|comprising|"
    r"consisting\s+of|made\s+up\s+of)\b",
    re.I,
)
_TIME_UNITS = frozenset(
    {"year", "years", "day", "days", "month", "months", "week", "weeks", "hour", "hours"}
    | {"decade", "decades", "minute", "minutes", "second", "seconds", "century", "centuries"}
)
_CHANGE_CUES = frozenset(
    {
        "from",
        "up",
        "down",
        "rose",
        "risen",
        "rise",
        "rises",
        "fell",
        "fallen",
        "fall",
        "increased",
        "increase",
        "decreased",
        "decrease",
        "grew",
        "grown",
        "dropped",
        "drop",
        "compared",
        "than",
        "previous",
        "previously",
        "earlier",
        "initially",
        "initial",
        "originally",
        "later",
        "latest",
        "subsequently",
        "estimates",
        "estimate",
        "first",
        "now",
        "revised",
        "updated",
        "another",
        "additional",
        "further",
        "more",
        "new",
        "total",
        "per",
        "each",
        "every",
        "daily",
        "weekly",
        "monthly",
        "annually",
        "last",
        "since",
        "while",
        "whereas",
        "only",
        "other",
        "plus",
        "before",
        "after",
        "until",
        "by",
        "expected",
        "will",
        "could",
        "would",
        "may",
        "might",
        "target",
        "goal",
        "if",
    }
)
_AUX = frozenset(
    {"have", "has", "had", "been", "be", "were", "was", "are", "is", "already", "reportedly"}
    | {"also", "since", "so", "far", "now", "allegedly", "officially", "being", "just"}
)
_VERBS = frozenset(
    {"died", "killed", "deployed", "sent", "wounded", "injured", "arrested", "evacuated"}
    | {"displaced", "attended", "built", "sold", "hired", "fired", "released", "captured"}
    | {"detained", "missing", "dead", "stationed", "signed", "voted", "registered", "employed"}
)
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")


def _lower(q: Quantity) -> float:
    if q.hedge == "approx":
        return float(q.value) * 0.9
    if q.hedge in ("lt", "lte"):
        return 0.0
    return float(q.value)


def _upper(q: Quantity) -> float:
    if q.hedge == "approx":
        return float(q.value) * 1.1
    if q.hedge in ("gt", "gte"):
        return math.inf
    if q.hedge == "range" and q.high is not None:
        return float(q.high)
    return float(q.value)


def _fmt(q: Quantity) -> str:
    return f"'{q.text}{' ' + q.unit if q.unit and q.unit != '%' else ''}'"


def _percentages(ctx: Context, qs: list[Quantity]) -> list[FlagFinding]:
    out: list[FlagFinding] = []
    for q in qs:
        if q.unit != "%" or max(q.value, q.high or 0) <= 100:
            continue
        after = ctx.text[q.end : q.end + 60]
        before = ctx.text[max(0, q.start - 40) : q.start]
        if not (_SHARE_AFTER.match(after) or _SHARE_BEFORE.search(before)):
            continue
        s0, s1 = ctx.sentence_of(q.start)
        message = (
            f"{_fmt(q)} is given as a share of a whole ('{quote(ctx.text[s0:s1], 120)}'), "
            f"but a share cannot exceed 100%."
        )
        out.append(
            make_finding(
                ctx, "percentage", message, (q_span(q),), confidence=0.8, uses_dateline=False
            )
        )
    return out


def q_span(q: Quantity) -> tuple[int, int]:
    return (q.start, q.end)


def _parts(ctx: Context, qs: list[Quantity]) -> list[FlagFinding]:
    out: list[FlagFinding] = []
    text = ctx.text
    for a, b in pairwise(qs):
        if a.unit == "%" or b.unit == "%" or not _OF_THE.match(text[a.end : b.start]):
            continue
        if _lower(a) > _upper(b):
            message = f"{_fmt(a)} of {_fmt(b)}: the part is larger than the total it is taken from."
            out.append(
                make_finding(
                    ctx,
                    "parts_exceed_total",
                    message,
                    (q_span(a), q_span(b)),
                    confidence=0.8,
                    uses_dateline=False,
                )
            )
    for i, total in enumerate(qs):
        if total.unit in (None, "%") or total.unit in _TIME_UNITS:
            continue
        _s0, s1 = ctx.sentence_of(total.start)
        cue = _BREAKDOWN.search(text, total.end, s1)
        if cue is None:
            continue
        if any(total.end <= q.start < cue.start() for q in qs[i + 1 :]):
            continue  # another figure stands between the total and its breakdown
        parts = [
            q
            for q in qs[i + 1 :]
            if cue.end() <= q.start < s1 and q.unit != "%" and q.unit not in _TIME_UNITS
        ]
        if _is_currency(total.unit):
            parts = [p for p in parts if p.unit == total.unit]
        else:
            parts = [p for p in parts if not _is_currency(p.unit)]
        if not parts:
            continue
        low = sum(_lower(p) for p in parts)
        if low <= _upper(total):
            continue
        listed = ", ".join(_fmt(p) for p in parts)
        message = (
            f"The parts {listed} add up to at least {low:,.0f}, more than the total "
            f"{_fmt(total)} they are said to be part of."
        )
        out.append(
            make_finding(
                ctx,
                "parts_exceed_total",
                message,
                (q_span(total), *(q_span(p) for p in parts)),
                confidence=0.75,
                uses_dateline=False,
            )
        )
    return out


def _is_currency(unit: str | None) -> bool:
    return unit is not None and len(unit) == 3 and unit.isupper()


def _words(text: str) -> list[str]:
    return [w.lower().replace("’", "'") for w in _WORD.findall(text)]


def _predicate(ctx: Context, q: Quantity, sent: tuple[int, int]) -> str | None:
    """The verb that says what the figure counts: "troops (have been) deployed"."""
    after = _words(ctx.text[q.end : sent[1]])
    for w in after[:8]:
        if w in _AUX:
            continue
        if w in _VERBS or (w.endswith("ed") and len(w) > 4):
            return w
    before = _words(ctx.text[sent[0] : q.start])
    if before and (before[-1] in _VERBS or before[-1].endswith("ed")):
        return before[-1]
    return None


def _noun(q: Quantity) -> str | None:
    if not q.unit or q.unit == "%" or q.unit.lower() in _TIME_UNITS:
        return None
    if _is_currency(q.unit):
        return None  # currencies: amounts of money differ for many legitimate reasons
    return q.unit.split()[0].lower()


def _duplicates(ctx: Context, qs: list[Quantity]) -> list[FlagFinding]:
    out: list[FlagFinding] = []
    keyed: list[tuple[tuple[str, str], Quantity, tuple[int, int]]] = []
    for q in qs:
        noun = _noun(q)
        if noun is None or q.hedge == "range":
            continue
        sent = ctx.sentence_of(q.start)
        pred = _predicate(ctx, q, sent)
        if pred is None:
            continue
        keyed.append(((noun, pred), q, sent))
    changes: dict[tuple[int, int], bool] = {}

    def changed(sent: tuple[int, int]) -> bool:
        if sent not in changes:
            changes[sent] = _changes(ctx, sent, qs)
        return changes[sent]

    for (k1, q1, s1), (k2, q2, s2) in combinations(keyed, 2):
        if k1 != k2 or s1 == s2:
            continue
        if _lower(q1) <= _upper(q2) and _lower(q2) <= _upper(q1):
            continue
        if changed(s1) or changed(s2):
            continue
        if ctx.dates_in(s1) or ctx.dates_in(s2):
            continue  # figures tied to dates may describe different moments
        message = (
            f"The same count is given twice with values that cannot both hold: "
            f"{_fmt(q1)} ('{quote(ctx.text[s1[0] : s1[1]], 80)}') and "
            f"{_fmt(q2)} ('{quote(ctx.text[s2[0] : s2[1]], 80)}')."
        )
        out.append(
            make_finding(
                ctx,
                "numbers",
                message,
                (q_span(q1), q_span(q2)),
                confidence=0.55,
                uses_dateline=False,
            )
        )
    return out


def _changes(ctx: Context, sent: tuple[int, int], qs: list[Quantity]) -> bool:
    """Whether the sentence speaks of change, comparison or another occasion."""
    text = ctx.text
    chunks: list[str] = []
    pos = sent[0]
    # Hedge words ("more than") belong to the figure, not to a comparison.
    for q in qs:
        if sent[0] <= q.start and q.end <= sent[1]:
            chunks.append(text[pos : q.start])
            pos = q.end
    chunks.append(text[pos : sent[1]])
    return any(w in _CHANGE_CUES for w in _words(" ".join(chunks)))


def check(ctx: Context) -> list[FlagFinding]:
    """All three number rules."""
    qs = find_quantities(ctx.text)
    return [*_percentages(ctx, qs), *_parts(ctx, qs), *_duplicates(ctx, qs)]
