"""Anniversary arithmetic: "N years since EVENT" must fit the article's date.

The reference year is, in order: a date stated in the same sentence ("In
2025, China marks 80 years since ..."), a relative date there resolved from
the dateline ("next year marks ..."), else the dateline itself.  The event's
year comes from a year written inside the event phrase ("since the 1994
genocide") or from the bundled table resources/data/historical_events.json.

Tolerance, because anniversaries are written about before and after the day:

* with the event's full date and the dateline as reference, flag only when
  the dateline is more than a year away from the anniversary date;
* otherwise flag only when the years differ by two or more.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from workbench.core.model import FlagFinding
from workbench.core.nlp.consistency._common import (
    Context,
    load_table,
    make_finding,
    parse_iso,
    quote,
)
from workbench.core.nlp.temporal import DateMention

_UNIT_YEARS = {"year": 1, "decade": 10, "century": 100}


@dataclass(frozen=True, slots=True)
class HistoricalEvent:
    id: str
    name: str
    year: int
    month: int | None
    day: int | None
    patterns: tuple[re.Pattern[str], ...]

    def as_date(self) -> date | None:
        if self.month is None or self.day is None:
            return None
        return date(self.year, self.month, self.day)


@lru_cache(maxsize=1)
def historical_events() -> tuple[HistoricalEvent, ...]:
    """The bundled table, compiled once."""
    out: list[HistoricalEvent] = []
    for raw in load_table("historical_events.json")["events"]:
        y, mo, d = parse_iso(raw["date"])
        pats = tuple(re.compile(p) for p in raw["patterns"])
        out.append(HistoricalEvent(raw["id"], raw["name"], y, mo, d, pats))
    return tuple(out)


_NORMALISE = [
    (re.compile(r"[’‘`]"), "'"),
    (re.compile(r"\s+"), " "),
    (re.compile(r"\b(?:world war (?:ii|two|2)|second world war|ww ?ii|ww ?2)\b"), "wwii"),
    (re.compile(r"\b(?:world war (?:i|one|1)|first world war|great war|ww ?i|ww ?1)\b"), "wwi"),
    (re.compile(r"\bthe (wwii|wwi)\b"), r"\1"),
]


def normalise_event(phrase: str) -> str:
    """Lower-case, fold apostrophes and spell world wars one way, for table patterns."""
    s = phrase.lower()
    for pat, repl in _NORMALISE:
        s = pat.sub(repl, s)
    return s.strip()


def lookup_event(phrase: str) -> HistoricalEvent | None:
    """The first table entry whose pattern matches the event phrase."""
    norm = normalise_event(phrase)
    for ev in historical_events():
        if any(p.search(norm) for p in ev.patterns):
            return ev
    return None


def _reference(ctx: Context, a: DateMention) -> tuple[int, DateMention | None] | None:
    """The year the anniversary is counted to, and the mention it came from."""
    s0, s1 = ctx.sentence_of(a.start)
    for m in ctx.dates_in((s0, s1)):
        if m is a or m.year is None:
            continue
        if m.kind in ("absolute", "month_year", "year", "relative") and m.resolved_from:
            if ctx.dateline_span is not None and m.start == ctx.dateline_span[0]:
                continue
            return m.year, m
    if ctx.dateline is None:
        return None
    return ctx.dateline.year, None


def _year_in_event(ctx: Context, a: DateMention) -> DateMention | None:
    assert a.event_span is not None
    es, ee = a.event_span
    for m in find_years(ctx.text, es, ee):
        return m
    return None


def find_years(text: str, start: int, end: int) -> list[DateMention]:
    """Year mentions inside ``text[start:end]`` ("the 1994 genocide"), any context."""
    out: list[DateMention] = []
    for m in re.finditer(r"(?<!\d)(1[6-9]\d\d|20\d\d)(?!\d)", text[start:end]):
        y = int(m.group(1))
        out.append(
            DateMention(start + m.start(), start + m.end(), m.group(1), "year", iso=str(y), year=y)
        )
    return out


def check(ctx: Context) -> list[FlagFinding]:
    """Anniversaries whose arithmetic disagrees with the article's date."""
    out: list[FlagFinding] = []
    for a in ctx.dates:
        if a.kind != "anniversary" or a.amount is None or a.unit is None or a.event is None:
            continue
        ref = _reference(ctx, a)
        if ref is None:
            continue
        ref_year, ref_mention = ref
        years = a.amount * _UNIT_YEARS[a.unit]
        implied = ref_year - years
        in_text = _year_in_event(ctx, a)
        if in_text is not None and in_text.year is not None:
            event_year = in_text.year
            event_desc = f"the article itself dates it {event_year} ('{in_text.text}')"
            event_date = None
            extra_spans: tuple[tuple[int, int], ...] = ()
            confidence = 0.8
        else:
            ev = lookup_event(a.event)
            if ev is None:
                continue
            event_year = ev.year
            event_date = ev.as_date()
            event_desc = (
                f"{ev.name} was in {ev.year}"
                + (f" ({event_date.isoformat()})" if event_date else "")
                + " per the bundled table of historical events"
            )
            extra_spans = ()
            confidence = 0.85
        diff = implied - event_year
        if diff == 0:
            continue
        if event_date is not None and ref_mention is None and ctx.dateline is not None:
            try:
                anniversary = event_date.replace(year=event_year + years)
            except ValueError:  # 29 February
                anniversary = date(event_year + years, 3, 1)
            if abs((ctx.dateline - anniversary).days) <= 366:
                continue
        elif abs(diff) < 2:
            continue
        if ref_mention is not None:
            ref_desc = f"the year the sentence names ({ref_mention.text} -> {ref_year})"
            spans: tuple[tuple[int, int], ...] = (a.span, ref_mention.span)
            uses_dateline = ref_mention.resolved_from == "dateline"
        else:
            ref_desc = f"the article's date {ctx.dateline_phrase()}"
            spans = ctx.with_dateline_span(a.span)
            uses_dateline = True
        if in_text is not None:
            spans = (*spans, in_text.span)
        spans = (*spans, *extra_spans)
        message = (
            f"'{quote(a.text)}' counted from {ref_desc} puts the event in {implied} "
            f"({ref_year} - {years}), but {event_desc}; {years} years after {event_year} "
            f"is {event_year + years}, not {ref_year}."
        )
        out.append(
            make_finding(
                ctx,
                "anniversary",
                message,
                spans,
                confidence=confidence,
                uses_dateline=uses_dateline,
            )
        )
    return out
