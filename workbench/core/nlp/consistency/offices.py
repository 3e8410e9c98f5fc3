"""Office-term stretch: a titled office holder named on a date outside their terms.

"U.S. President Donald Trump" in an article dated 2023-10-17 names a man who
was not president that day (his terms: 2017-2021 and from 2025).  The terms
come from the small bundled table resources/data/office_terms.json.

Guards against the obvious false alarms:

* "former", "ex-", "then-", "late", "future", "incoming" before the title,
  "Vice"/"Deputy" before a bare "President", and "President-elect", are not
  claims of holding the office on the dateline;
* a sentence that names its own date ("In 1962, President Kennedy ...") is
  about that date, not the dateline: it is skipped;
* a holder whose term ended long ago (more than eight years before the
  dateline), or one named in a sentence told in the past tense, is most
  likely a historical reference and is not flagged;
* a few days' slack around each term absorbs transitions and time zones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from workbench.core.model import FlagFinding
from workbench.core.nlp.consistency._common import Context, load_table, make_finding, words_of

_SLACK = timedelta(days=7)
_HISTORICAL_GAP = timedelta(days=8 * 366)
_EXCLUDING_MODIFIER = re.compile(
    r"\b(?:former|ex|then|late|future|onetime|one-time|erstwhile|previous|past|incoming|"
    r"would-be|acting|interim|candidate|nominee)[\s-]*$",
    re.I,
)
_VICE = re.compile(r"\b(?:vice|deputy)[\s-]*$", re.I)
_PAST = frozenset(
    {"was", "were", "had", "did", "said", "served", "died", "became", "ordered", "visited"}
    | {"met", "took", "won", "declared", "announced", "signed", "launched", "told", "made"}
    | {"led", "oversaw", "presided", "resigned", "left", "gave", "went", "came", "ended"}
)
_NOT_PAST = frozenset(
    {"will", "shall", "is", "are", "has", "have", "says", "continues", "remains", "plans"}
    | {"wants", "seeks", "intends", "now", "today", "currently"}
)


@dataclass(frozen=True, slots=True)
class Holder:
    name: str
    names: tuple[re.Pattern[str], ...]
    terms: tuple[tuple[date, date | None], ...]

    def in_office(self, day: date) -> bool:
        return any(s - _SLACK <= day and (e is None or day <= e + _SLACK) for s, e in self.terms)

    def describe_terms(self) -> str:
        return ", ".join(
            f"{s.isoformat()} to {e.isoformat()}" if e else f"from {s.isoformat()}"
            for s, e in self.terms
        )


@dataclass(frozen=True, slots=True)
class Office:
    id: str
    office: str
    pattern: re.Pattern[str]
    qualifier: re.Pattern[str]
    holders: tuple[Holder, ...]


@lru_cache(maxsize=1)
def offices() -> tuple[tuple[Office, ...], str]:
    """The compiled office table and its as-of date."""
    table = load_table("office_terms.json")
    out: list[Office] = []
    for raw in table["offices"]:
        holders = tuple(
            Holder(
                h["name"],
                tuple(re.compile(n) for n in h["names"]),
                tuple(
                    (date.fromisoformat(s), date.fromisoformat(e) if e else None)
                    for s, e in h["terms"]
                ),
            )
            for h in raw["holders"]
        )
        names = sorted({n for h in raw["holders"] for n in h["names"]}, key=len, reverse=True)
        qual = "|".join(raw["qualifiers"])
        title = "|".join(re.escape(t) for t in raw["titles"])
        # The title anchors the search; the optional qualifier ("U.S.") is
        # looked for just before it, which keeps the scan fast on long texts.
        pattern = re.compile(
            rf"\b(?P<title>{title})\s+(?P<name>{'|'.join(names)})(?![\w-])(?!\s+[A-Z][a-z])"
        )
        qualifier = re.compile(rf"(?<![\w.])(?:{qual})\s+$")
        out.append(Office(raw["id"], raw["office"], pattern, qualifier, holders))
    return tuple(out), str(table.get("as_of", ""))


def _own_dates(ctx: Context, sent: tuple[int, int]) -> bool:
    for m in ctx.dates_in(sent):
        if ctx.dateline_span is not None and m.start == ctx.dateline_span[0]:
            continue
        if m.kind in ("absolute", "month_year", "year", "relative", "anniversary"):
            return True
    return False


def check(ctx: Context) -> list[FlagFinding]:
    """Titled office holders named on a dateline outside their terms."""
    dl = ctx.dateline
    if dl is None:
        return []
    table, as_of = offices()
    out: list[FlagFinding] = []
    seen: set[tuple[int, int]] = set()
    for office in table:
        for m in office.pattern.finditer(ctx.text):
            start = m.start()
            window = ctx.text[max(0, start - 30) : start]
            qm = office.qualifier.search(window)
            qualified = qm is not None
            if qm is not None:
                start -= len(window) - qm.start()
            before = ctx.text[max(0, start - 25) : start]
            if _EXCLUDING_MODIFIER.search(before):
                continue
            if not qualified and _VICE.search(before):
                continue
            if (start, m.end()) in seen:
                continue
            name = m.group("name")
            holders = [h for h in office.holders if any(p.fullmatch(name) for p in h.names)]
            if not holders or any(h.in_office(dl) for h in holders):
                continue
            sent = ctx.sentence_of(start)
            if _own_dates(ctx, sent):
                continue
            starts_later = any(s > dl for h in holders for s, _ in h.terms)
            ended = [e for h in holders for _, e in h.terms if e is not None and e < dl]
            words = set(words_of(ctx.text[sent[0] : sent[1]]))
            historical = bool(words & _PAST) and not (words & _NOT_PAST)
            last_end = max(ended) if ended else None
            confidence = 0.8 if starts_later and last_end is None else 0.65
            if last_end is not None and not starts_later:
                if dl - last_end > _HISTORICAL_GAP or historical:
                    continue
            elif last_end is not None and historical:
                continue
            full = " " in name
            if qualified and full:
                confidence += 0.1
            elif not full:
                confidence -= 0.1
            who = holders[0].name if len(holders) == 1 else name
            terms = "; ".join(f"{h.name}: {h.describe_terms()}" for h in holders)
            message = (
                f"'{ctx.text[start : m.end()]}' names {who} as "
                f"{office.office} in an article dated {ctx.dateline_phrase()}, but "
                f"the office was not theirs on that date (terms in office: {terms}; "
                f"bundled table as of {as_of})."
            )
            seen.add((start, m.end()))
            out.append(
                make_finding(
                    ctx,
                    "office_term",
                    message,
                    ctx.with_dateline_span((start, m.end())),
                    confidence=confidence,
                )
            )
    return out
