"""Weekday mismatch: a weekday written next to a date the calendar contradicts.

Two conservative patterns only, because bare weekdays ("on Wednesday") are
too loosely tied to any date to contradict one:

* a stated weekday attached to a date: "Wednesday, October 17, 2023",
  "Wednesday 17 October 2023", "Wednesday (October 17)".  With a written
  year this is certain; a yearless date takes the dateline's year and is
  less certain.  Looser pairings ("17 October, a Wednesday") are not tried.
* a relative day named with its weekday: "yesterday, Monday,",
  "tomorrow (Friday)", "today, Tuesday": the day the word points to, counted
  from the dateline, must fall on that weekday.
"""

from __future__ import annotations

import re
from datetime import timedelta

from workbench.core.model import FlagFinding
from workbench.core.nlp.consistency._common import Context, make_finding
from workbench.core.nlp.temporal import WEEKDAY_NAMES, WEEKDAYS, DateMention

_BETWEEN_PAREN = re.compile(r"^\s*\(\s*(?:on\s+)?$")
_RELDAY = re.compile(
    r"\b(?P<rel>today|yesterday|tomorrow)\s*(?:[,(]\s*|—\s*)(?:on\s+)?"
    r"(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b",
    re.I,
)
_OFFSET = {"today": 0, "yesterday": -1, "tomorrow": 1}


def _stated_with_date(ctx: Context) -> list[tuple[int, tuple[int, int], DateMention]]:
    """(stated weekday, weekday span, date mention) pairs."""
    out: list[tuple[int, tuple[int, int], DateMention]] = []
    dates = ctx.dates
    for i, m in enumerate(dates):
        if m.kind == "absolute" and m.weekday_stated and m.weekday is not None:
            name = WEEKDAY_NAMES[m.weekday]
            out.append((m.weekday, (m.start, m.start + len(name)), m))
        elif m.kind == "weekday" and m.weekday is not None and i + 1 < len(dates):
            nxt = dates[i + 1]
            if nxt.kind == "absolute" and _BETWEEN_PAREN.match(ctx.text[m.end : nxt.start]):
                out.append((m.weekday, m.span, nxt))
    return out


def check(ctx: Context) -> list[FlagFinding]:
    """Stated weekdays that the calendar contradicts."""
    out: list[FlagFinding] = []
    for stated, wd_span, m in _stated_with_date(ctx):
        d = m.as_date()
        if d is None or d.weekday() == stated:
            continue
        from_dateline = m.resolved_from == "dateline"
        if m.weekday_stated and m.kind == "absolute":
            date_span = (wd_span[1], m.end)
            while date_span[0] < date_span[1] and not ctx.text[date_span[0]].isalnum():
                date_span = (date_span[0] + 1, date_span[1])
        else:
            date_span = m.span
        year_note = (
            f" (year taken from the article's date {ctx.dateline_phrase()})"
            if from_dateline
            else ""
        )
        message = (
            f"'{ctx.text[wd_span[0] : wd_span[1]]}' is given for {d.strftime('%B')} {d.day}, "
            f"{d.year}{year_note}, but that date was a {WEEKDAY_NAMES[d.weekday()]}."
        )
        out.append(
            make_finding(
                ctx,
                "weekday",
                message,
                (wd_span, date_span),
                confidence=0.7 if from_dateline else 0.95,
                uses_dateline=from_dateline,
            )
        )
    dl = ctx.dateline
    if dl is None:
        return out
    for rm in _RELDAY.finditer(ctx.text):
        rel = rm.group("rel").lower()
        stated = WEEKDAYS[rm.group("wd").lower()]
        try:
            actual = dl + timedelta(days=_OFFSET[rel])
        except OverflowError:  # a dateline on the calendar's last or first day
            continue
        if actual.weekday() == stated:
            continue
        message = (
            f"'{rm.group(0)}' says {rel} is a {WEEKDAY_NAMES[stated]}, but counted from the "
            f"article's date {ctx.dateline_phrase()}, {rel} is {actual.isoformat()}, a "
            f"{WEEKDAY_NAMES[actual.weekday()]}."
        )
        out.append(
            make_finding(
                ctx,
                "weekday",
                message,
                ctx.with_dateline_span(rm.span("rel"), rm.span("wd")),
                confidence=0.75,
            )
        )
    return out
