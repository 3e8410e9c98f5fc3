"""Find and normalise date and time expressions in article text.

Rule-based on purpose: the consistency checker and the claim-fact extractor
both need dates on every run, and a handful of regular expressions is fast,
deterministic, needs no model and gives exact character offsets.  spaCy's
DATE entities are neither normalised nor reliable on news ledes.

The entry point is :func:`find_dates`.  Relative expressions ("Wednesday",
"last year", "80 years since ...") are resolved against the article's
dateline when one is given; without it they keep ``iso=None`` but still carry
what the text says (the amount, the unit, the weekday).

Conventions:

* ``weekday`` uses Python's numbering, Monday = 0 .. Sunday = 6.
* ``iso`` is as precise as the text (or the resolution) allows:
  ``"2023-10-17"``, ``"2023-10"`` or ``"2023"``.
* ``tense`` is a hint from cue words around the mention ("will", "signed",
  "following", ...): ``"past"``, ``"future"``, ``"present"`` or ``None``.
"""

from __future__ import annotations

import bisect
import calendar
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from workbench.core.model import JSONValue

Kind = Literal["absolute", "month_year", "year", "weekday", "relative", "anniversary", "duration"]
Tense = Literal["past", "future", "present"]
ResolvedFrom = Literal["text", "dateline"]


@dataclass(frozen=True, slots=True)
class DateMention:
    """One date or time expression found in a text.

    ``start``/``end`` are character offsets into the text handed to
    :func:`find_dates`.  ``amount``/``unit`` describe counted expressions
    ("three decades" -> 3, "decade"); ``event``/``event_span`` name what an
    anniversary counts from ("80 years since Japan's defeat").
    ``weekday_stated`` tells whether ``weekday`` was written in the text (as
    in "Tuesday, October 17, 2023") or computed from the calendar.
    """

    start: int
    end: int
    text: str
    kind: Kind
    iso: str | None = None
    year: int | None = None
    month: int | None = None
    day: int | None = None
    weekday: int | None = None
    resolved_from: ResolvedFrom | None = None
    tense: Tense | None = None
    amount: int | None = None
    unit: str | None = None
    event: str | None = None
    event_span: tuple[int, int] | None = None
    weekday_stated: bool = False

    @property
    def span(self) -> tuple[int, int]:
        return (self.start, self.end)

    def as_date(self) -> date | None:
        """The full calendar date, when year, month and day are all known."""
        if self.year is None or self.month is None or self.day is None:
            return None
        return date(self.year, self.month, self.day)

    def to_json(self) -> dict[str, JSONValue]:
        """A JSON-ready dict for claim facts (``{"type": "date", ...}``)."""
        out: dict[str, JSONValue] = {
            "type": "date",
            "kind": self.kind,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "iso": self.iso,
        }
        optional: dict[str, JSONValue] = {
            "weekday": self.weekday,
            "resolved_from": self.resolved_from,
            "tense": self.tense,
            "amount": self.amount,
            "unit": self.unit,
            "event": self.event,
        }
        out.update({k: v for k, v in optional.items() if v is not None})
        return out


# ---------------------------------------------------------------------------
# Vocabulary

MONTHS: dict[str, int] = {
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
WEEKDAYS: dict[str, int] = {
    "monday": 0,
    "tuesday": 1,
    "wednesday": 2,
    "thursday": 3,
    "friday": 4,
    "saturday": 5,
    "sunday": 6,
}
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

_UNITS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7}
_UNITS.update({"eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12})
_UNITS.update({"thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16})
_UNITS.update({"seventeen": 17, "eighteen": 18, "nineteen": 19})
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50}
_TENS.update({"sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90})
_ORD_UNITS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6}
_ORD_UNITS.update({"seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11})
_ORD_UNITS.update({"twelfth": 12, "thirteenth": 13, "fourteenth": 14, "fifteenth": 15})
_ORD_UNITS.update({"sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19})
_ORD_TENS = {"twentieth": 20, "thirtieth": 30, "fortieth": 40, "fiftieth": 50}
_ORD_TENS.update({"sixtieth": 60, "seventieth": 70, "eightieth": 80, "ninetieth": 90})

_MONTH_RE = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November"
    r"|December|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)"
)
_WD_RE = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_CARD_WORD = (
    r"(?:(?:" + "|".join(_TENS) + r")(?:[- ](?:" + "|".join(list(_UNITS)[:9]) + r"))?"
    r"|" + "|".join(sorted(_UNITS, key=len, reverse=True)) + r"|a\s+hundred|one\s+hundred|hundred)"
)
_ORD_WORD = (
    r"(?:(?:" + "|".join(_TENS) + r")-(?:" + "|".join(list(_ORD_UNITS)[:9]) + r")"
    r"|"
    + "|".join(sorted(list(_ORD_UNITS) + list(_ORD_TENS), key=len, reverse=True))
    + r"|(?:one\s+)?hundredth)"
)
_NUM = r"(?:\d{1,4}|" + _CARD_WORD + r")"
_ORD = r"(?:\d{1,4}(?:st|nd|rd|th)|" + _ORD_WORD + r")"
_UNIT = r"(?:days?|weeks?|months?|years?|decades?|centur(?:y|ies))"

_UNIT_DAYS = {"day": 1, "week": 7}


def parse_number(word: str) -> int | None:
    """Parse "80", "eighty", "seventy-five", "a", "a hundred" into an int."""
    w = re.sub(r"\s+", " ", word.strip().lower())
    if w.isdigit():
        return int(w)
    if w in ("a", "an", "one"):
        return 1
    if w in ("hundred", "a hundred", "one hundred"):
        return 100
    if w in _UNITS:
        return _UNITS[w]
    parts = re.split(r"[- ]", w)
    if parts[0] in _TENS:
        if len(parts) == 1:
            return _TENS[parts[0]]
        if len(parts) == 2 and parts[1] in _UNITS and _UNITS[parts[1]] < 10:
            return _TENS[parts[0]] + _UNITS[parts[1]]
    return None


def parse_ordinal(word: str) -> int | None:
    """Parse "75th", "seventy-fifth", "hundredth" into an int."""
    w = re.sub(r"\s+", " ", word.strip().lower())
    m = re.fullmatch(r"(\d+)(?:st|nd|rd|th)", w)
    if m:
        return int(m.group(1))
    if w in ("hundredth", "one hundredth"):
        return 100
    if w in _ORD_UNITS:
        return _ORD_UNITS[w]
    if w in _ORD_TENS:
        return _ORD_TENS[w]
    parts = w.split("-")
    if len(parts) == 2 and parts[0] in _TENS and parts[1] in _ORD_UNITS:
        return _TENS[parts[0]] + _ORD_UNITS[parts[1]]
    return None


def _unit_name(raw: str) -> str:
    u = raw.lower()
    if u.startswith("centur"):
        return "century"
    return u[:-1] if u.endswith("s") else u


# ---------------------------------------------------------------------------
# Sentences and tense cues (shared with the consistency rules)

_ABBREV = {
    "u.s",
    "u.k",
    "u.n",
    "e.u",
    "mr",
    "mrs",
    "ms",
    "dr",
    "prof",
    "gen",
    "sen",
    "rep",
    "gov",
    "lt",
    "col",
    "st",
    "jr",
    "sr",
    "inc",
    "corp",
    "co",
    "ltd",
    "vs",
    "no",
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
    "e.g",
    "i.e",
    "a.m",
    "p.m",
}
_SENT_END = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s+|$)|\n+")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Split ``text`` into sentence spans; newlines always end a sentence.

    A period after a known abbreviation ("U.S.", "Oct.") or a single letter
    ("George W. Bush") does not end a sentence.
    """
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _SENT_END.finditer(text):
        if m.group(0)[0] == ".":
            word = re.search(r"([\w.]+)$", text[start : m.start()])
            token = word.group(1).lower() if word else ""
            if token in _ABBREV or (len(token) == 1 and token.isalpha()) or "." in token:
                continue
        end = m.end()
        if text[start:end].strip():
            spans.append(_strip_span(text, start, end))
        start = end
    if text[start:].strip():
        spans.append(_strip_span(text, start, len(text)))
    return spans


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end)


def sentence_at(spans: list[tuple[int, int]], pos: int) -> tuple[int, int]:
    """The sentence span holding character ``pos`` (or the nearest before it).

    ``spans`` must be sorted and disjoint, as :func:`sentence_spans` returns them.
    """
    i = bisect.bisect_right(spans, (pos, sys.maxsize)) - 1
    if i < 0:
        return (0, 0)
    return spans[i]


FUTURE_CUES = frozenset(
    {
        "will",
        "'ll",
        "shall",
        "upcoming",
        "forthcoming",
        "impending",
        "scheduled",
        "slated",
        "planned",
        "plans",
        "plan",
        "expected",
        "expects",
        "set",
        "due",
        "prepares",
        "preparing",
        "prepare",
        "intends",
        "intend",
        "aims",
        "next",
        "coming",
        "later",
        "tomorrow",
        "until",
        "by",
        "anticipated",
        "proposed",
        "postponed",
        "delayed",
        "would",
        "going",
    }
)
PAST_CUES = frozenset(
    {
        "was",
        "were",
        "had",
        "did",
        "ago",
        "following",
        "after",
        "since",
        "last",
        "previous",
        "previously",
        "earlier",
        "yesterday",
        "signed",
        "held",
        "took",
        "happened",
        "occurred",
        "ended",
        "began",
        "started",
        "launched",
        "announced",
        "agreed",
        "reached",
        "concluded",
        "died",
        "killed",
        "won",
        "lost",
        "elected",
        "said",
        "ratified",
        "adopted",
        "approved",
        "passed",
        "met",
        "visited",
        "founded",
        "established",
        "released",
        "published",
        "finalized",
        "completed",
        "invaded",
        "attacked",
    }
)
PRESENT_CUES = frozenset({"is", "are", "am", "now", "today", "currently", "this"})
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")


def tense_hint(text: str, start: int, end: int, *, sentence: tuple[int, int]) -> Tense | None:
    """Guess whether the expression at ``start:end`` is talked of as past or future.

    Looks inside the expression's own clause only (commas, semicolons,
    dashes and words such as "which" or "while" end it): first at up
    to ten words before, nearest first, then at up to six after.  A cue
    before wins because English puts the verb before its time phrase ("will
    meet on March 3", "the pact signed in June 2024"); one after counts when
    the time phrase comes first ("On Monday the ministers signed").  Reading
    past the clause took a later verb for the date's own ("will meet on
    March 3 and signed ...").
    """
    before = _clause_words(text[sentence[0] : start], backwards=True)[:10]
    for idx in range(len(before)):
        t = _cue_in(before, idx, backwards=True)
        if t:
            return t
    after = _clause_words(text[end : sentence[1]], backwards=False)[:6]
    for idx in range(len(after)):
        t = _cue_in(after, idx, backwards=False)
        if t:
            return t
    return None


_CLAUSE_BREAK = re.compile(r"[,;:()\[\]—–]|\s-\s")
_CLAUSE_WORDS = frozenset({"which", "while", "whereas", "although", "though", "because", "when"})
"""Words that open another clause.  Not "and"/"but": they join nouns as often
as clauses ("signed between Russia and North Korea in June 2024")."""


def _clause_words(chunk: str, *, backwards: bool) -> list[str]:
    """Lower-cased words of ``chunk`` up to the first clause break, read outward
    from the expression (so ``backwards`` lists the nearest word first)."""
    parts = _CLAUSE_BREAK.split(chunk)
    piece = parts[-1] if backwards else parts[0]
    words = [w.lower().replace("’", "'") for w in _WORD.findall(piece)]
    if backwards:
        words.reverse()
    for i, word in enumerate(words):
        if word in _CLAUSE_WORDS:
            return words[: i + 1] if backwards and word == "which" else words[:i]
    return words


def _cue_in(words: list[str], idx: int, *, backwards: bool = False) -> Tense | None:
    """The cue of ``words[idx]``; "be signed" / "being held" read as future, not past.

    ``backwards``: ``words`` runs from the expression outward, so the word
    before ``words[idx]`` in the text is ``words[idx + 1]``.
    """
    t = _cue(words[idx])
    prev_idx = idx + 1 if backwards else idx - 1
    if t == "past" and 0 <= prev_idx < len(words) and words[prev_idx] in ("be", "being"):
        return "future"
    return t


def _cue(word: str) -> Tense | None:
    if word in FUTURE_CUES:
        return "future"
    if word in PAST_CUES:
        return "past"
    if word in PRESENT_CUES:
        return "present"
    return None


# ---------------------------------------------------------------------------
# Patterns, in priority order (earlier wins an overlap of equal length)

_P_ANNIV_SINCE = re.compile(
    r"\b(?P<n>" + _NUM + r")\s+(?P<unit>years?|decades?|centur(?:y|ies))\s+since\s+", re.I
)
_P_ANNIV_ORD = re.compile(r"\b(?:the\s+)?(?P<ord>" + _ORD + r")\s+anniversary\s+of\s+", re.I)
_P_DURATION_DIR = re.compile(
    r"\b(?:over|for|during|within|throughout|in|across|of)\s+the\s+"
    r"(?P<dir>next|past|last|coming|previous|following)\s+"
    r"(?:(?P<n>" + _NUM + r"|few|several|many)\s+)?(?P<unit>" + _UNIT + r")\b",
    re.I,
)
_P_DURATION_FOR = re.compile(
    r"\bfor\s+(?:(?:about|around|nearly|almost|more\s+than|over|some)\s+)?"
    r"(?P<n>" + _NUM + r"|a|an)\s+(?P<unit>" + _UNIT + r")\b",
    re.I,
)
_P_DURATION_ADJ = re.compile(
    r"\b(?P<n>\d{1,3}|" + _CARD_WORD + r")-(?P<unit>day|week|month|year|decade)\b", re.I
)
_P_WEEKDAY_MDY = re.compile(
    r"\b(?:(?P<wd>" + _WD_RE + r"),?\s+)?(?P<mon>" + _MONTH_RE + r")\s+"
    r"(?P<day>\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(?P<year>\d{4})\b)?"
)
_P_WEEKDAY_DMY = re.compile(
    r"\b(?:(?P<wd>" + _WD_RE + r"),?\s+)?(?:the\s+)?(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+"
    r"(?:of\s+)?(?P<mon>" + _MONTH_RE + r")(?![A-Za-z])(?:,?\s+(?P<year>\d{4})\b)?"
)
_P_ISO = re.compile(r"\b(?P<year>\d{4})-(?P<mon>\d{2})-(?P<day>\d{2})\b")
_P_MONTH_YEAR = re.compile(r"\b(?P<mon>" + _MONTH_RE + r")\s+(?:of\s+)?(?P<year>\d{4})\b")
_P_REL_MONTH = re.compile(
    r"\b(?P<which>last|next|this|past|coming)\s+(?P<mon>" + _MONTH_RE + r")(?![A-Za-z])"
)
_P_AGO = re.compile(r"\b(?P<n>" + _NUM + r"|a|an)\s+(?P<unit>" + _UNIT + r")\s+ago\b", re.I)
_P_IN_N = re.compile(
    r"\bin\s+(?P<n>" + _NUM + r"|a|an)\s+(?P<unit>" + _UNIT + r")(?:'s|’s)?(?:\s+time)?\b", re.I
)
_P_REL_UNIT = re.compile(
    r"\b(?:(?P<pre>earlier|later)\s+)?(?P<which>last|next|this|past|previous|coming)\s+"
    r"(?P<unit>year|month|week)\b",
    re.I,
)
_P_DAYWORD = re.compile(r"\b(?P<w>today|yesterday|tomorrow|tonight)\b", re.I)
_P_WEEKDAY = re.compile(
    r"\b(?:(?P<mod>this|next|last|on|coming|past|until|by|since)\s+)?(?P<wd>"
    + _WD_RE
    + r")(?![A-Za-z])"
)
_P_YEAR = re.compile(r"(?<![\d$£€.,/-])\b(?P<year>1[6-9]\d\d|20\d\d|2100)\b(?![\d%/]|,\d|\.\d)")

_YEAR_PREV_WORDS = frozenset(
    {
        "in",
        "since",
        "by",
        "of",
        "from",
        "until",
        "till",
        "to",
        "before",
        "after",
        "during",
        "between",
        "and",
        "or",
        "early",
        "late",
        "mid",
        "year",
        "around",
        "circa",
        "through",
        "throughout",
        "summer",
        "winter",
        "spring",
        "autumn",
        "fall",
        "his",
        "her",
        "its",
        "their",
        "our",
        "fiscal",
        "for",
        "than",
        "at",
        "on",
        "as",
        "that",
    }
)
_YEAR_NEXT_OK = re.compile(r"^\s*(?:$|[,.;:!?)\]”\"'’—–-]|'s|’s)")

# Where an anniversary's event phrase ends.
_EVENT_STOP = re.compile(
    r"[,;:!?()\[\]\"“”—–\n]|\.(?:\s|$)|\s(?:and|which|that|when|while|as|but|marking|"
    r"making|with|because|where|who|is|are|was|were|will|has|have|had)\s"
)


_AddFn = Callable[[int, DateMention], None]
_TenseFn = Callable[[int, int], Tense | None]


@dataclass(frozen=True, slots=True)
class _Cand:
    start: int
    end: int
    priority: int
    mention: DateMention


def find_dates(text: str, *, dateline: date | None = None) -> list[DateMention]:
    """Every date/time expression in ``text``, sorted by position, non-overlapping.

    With ``dateline`` the relative ones get an ``iso`` and
    ``resolved_from="dateline"``; absolute dates carry ``resolved_from="text"``.
    Never raises on odd input: impossible dates ("February 30") are skipped.
    """
    sents = sentence_spans(text)
    cands: list[_Cand] = []

    def tense(s: int, e: int) -> Tense | None:
        return tense_hint(text, s, e, sentence=sentence_at(sents, s))

    def add(priority: int, m: DateMention) -> None:
        cands.append(_Cand(m.start, m.end, priority, m))

    _anniversaries(text, dateline, add, tense)
    _durations(text, add, tense)
    _absolutes(text, dateline, add, tense)
    _relatives(text, dateline, add, tense)
    _weekdays(text, dateline, add, tense)
    _years(text, add, tense)

    cands.sort(key=lambda c: (c.start, -(c.end - c.start), c.priority))
    out: list[DateMention] = []
    last_end = -1
    for c in cands:
        if c.start >= last_end:
            out.append(c.mention)
            last_end = c.end
    return out


def _anniversaries(text: str, dateline: date | None, adder: _AddFn, tns: _TenseFn) -> None:
    for m in list(_P_ANNIV_SINCE.finditer(text)) + list(_P_ANNIV_ORD.finditer(text)):
        if "ord" in m.groupdict() and m.groupdict().get("ord"):
            n = parse_ordinal(m.group("ord"))
            unit = "year"
        else:
            n = parse_number(m.group("n"))
            unit = _unit_name(m.group("unit"))
        if n is None or n <= 0:
            continue
        years = n * {"year": 1, "decade": 10, "century": 100}[unit]
        ev_start = m.end()
        stop = _EVENT_STOP.search(text, ev_start)
        ev_end = stop.start() if stop else len(text)
        ev_end = min(ev_end, ev_start + 120)
        event = text[ev_start:ev_end].rstrip()
        if len(event) < 3:
            continue
        ev_end = ev_start + len(event)
        iso = year = None
        resolved: ResolvedFrom | None = None
        if dateline is not None:
            year = dateline.year - years
            iso = f"{year:04d}" if year > 0 else None
            resolved = "dateline" if iso else None
        start = m.start()
        if text[start : start + 4].lower() == "the ":
            start += 4
        adder(
            0,
            DateMention(
                start,
                ev_end,
                text[start:ev_end],
                "anniversary",
                iso=iso,
                year=year if iso else None,
                resolved_from=resolved,
                tense=tns(start, ev_end),
                amount=n,
                unit=unit,
                event=event,
                event_span=(ev_start, ev_end),
            ),
        )


def _durations(text: str, adder: _AddFn, tns: _TenseFn) -> None:
    for m in _P_DURATION_DIR.finditer(text):
        raw = m.group("n")
        n = 1 if raw is None else parse_number(raw)
        direction = m.group("dir").lower()
        t: Tense = "future" if direction in ("next", "coming", "following") else "past"
        adder(
            1,
            DateMention(
                m.start(),
                m.end(),
                m.group(0),
                "duration",
                tense=t,
                amount=n,
                unit=_unit_name(m.group("unit")),
            ),
        )
    for pat in (_P_DURATION_FOR, _P_DURATION_ADJ):
        for m in pat.finditer(text):
            n = parse_number(m.group("n"))
            if n is None:
                continue
            adder(
                1,
                DateMention(
                    m.start(),
                    m.end(),
                    m.group(0),
                    "duration",
                    tense=tns(m.start(), m.end()),
                    amount=n,
                    unit=_unit_name(m.group("unit")),
                ),
            )


def _month_num(raw: str) -> int:
    return MONTHS[raw.rstrip(".").lower()]


def _absolutes(text: str, dateline: date | None, adder: _AddFn, tns: _TenseFn) -> None:
    for pat in (_P_WEEKDAY_MDY, _P_WEEKDAY_DMY, _P_ISO):
        for m in pat.finditer(text):
            gd = m.groupdict()
            mon_raw = gd["mon"]
            month = int(mon_raw) if mon_raw.isdigit() else _month_num(mon_raw)
            day = int(gd["day"])
            year_raw = gd.get("year")
            resolved: ResolvedFrom = "text"
            if year_raw:
                year = int(year_raw)
            elif dateline is not None:
                year = _closest_year(month, day, dateline, tns(m.start(), m.end()))
                resolved = "dateline"
            else:
                year = None
            if not (1 <= month <= 12) or not (1 <= day <= 31):
                continue
            if day > _days_in_month(year if year is not None else 2000, month):
                continue
            stated = gd.get("wd")
            weekday: int | None = WEEKDAYS[stated.lower()] if stated else None
            iso = None
            if year is not None:
                iso = f"{year:04d}-{month:02d}-{day:02d}"
                if weekday is None:
                    weekday = date(year, month, day).weekday()
            end = m.end()
            adder(
                2,
                DateMention(
                    m.start(),
                    end,
                    text[m.start() : end],
                    "absolute",
                    iso=iso,
                    year=year,
                    month=month,
                    day=day,
                    weekday=weekday,
                    resolved_from=resolved if year is not None else None,
                    tense=tns(m.start(), end),
                    weekday_stated=stated is not None,
                ),
            )
    for m in _P_MONTH_YEAR.finditer(text):
        month = _month_num(m.group("mon"))
        year = int(m.group("year"))
        adder(
            3,
            DateMention(
                m.start(),
                m.end(),
                m.group(0),
                "month_year",
                iso=f"{year:04d}-{month:02d}",
                year=year,
                month=month,
                resolved_from="text",
                tense=tns(m.start(), m.end()),
            ),
        )


def _days_in_month(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _closest_year(month: int, day: int, dateline: date, tense: Tense | None) -> int:
    """The year for a yearless "December 28": nearest the dateline, nudged by tense.

    A past-tense mention cannot lie after the dateline and a future one
    cannot lie before it, so the tense overrides plain nearness.
    """
    best = dateline.year
    best_dist: int | None = None
    for y in (dateline.year - 1, dateline.year, dateline.year + 1):
        if not date.min.year <= y <= date.max.year:
            continue  # a dateline at the edge of the calendar (0001 or 9999)
        d = date(y, month, min(day, _days_in_month(y, month)))
        if (tense == "past" and d > dateline) or (tense == "future" and d < dateline):
            continue
        dist = abs((d - dateline).days)
        if best_dist is None or dist < best_dist:
            best, best_dist = y, dist
    return best


def _shift_months(d: date, months: int) -> tuple[int, int]:
    total = d.year * 12 + (d.month - 1) + months
    return total // 12, total % 12 + 1


def _resolve_offset(
    dateline: date, n: int, unit: str, sign: int
) -> tuple[str, int, int | None, int | None]:
    """ISO string and parts for dateline + sign * n units, at the unit's precision."""
    if unit in _UNIT_DAYS:
        try:
            d = dateline + timedelta(days=sign * n * _UNIT_DAYS[unit])
        except OverflowError:  # "900000 years ago": past the calendar's edge
            y = dateline.year + sign * n * _UNIT_DAYS[unit] // 365
            return f"{y:04d}", y, None, None
        return d.isoformat(), d.year, d.month, d.day
    if unit == "month":
        y, mo = _shift_months(dateline, sign * n)
        return f"{y:04d}-{mo:02d}", y, mo, None
    years = n * {"year": 1, "decade": 10, "century": 100}[unit]
    y = dateline.year + sign * years
    return f"{y:04d}", y, None, None


def _relatives(text: str, dateline: date | None, adder: _AddFn, tns: _TenseFn) -> None:

    def emit(m: re.Match[str], n: int | None, unit: str, sign: int, t: Tense | None) -> None:
        iso = year = month = day = None
        if dateline is not None and n is not None:
            iso, year, month, day = _resolve_offset(dateline, n, unit, sign)
        adder(
            4,
            DateMention(
                m.start(),
                m.end(),
                m.group(0),
                "relative",
                iso=iso,
                year=year,
                month=month,
                day=day,
                resolved_from="dateline" if iso else None,
                tense=t,
                amount=n,
                unit=unit,
            ),
        )

    for m in _P_AGO.finditer(text):
        emit(m, parse_number(m.group("n")), _unit_name(m.group("unit")), -1, "past")
    for m in _P_IN_N.finditer(text):
        n = parse_number(m.group("n"))
        if m.group("n").isdigit() and len(m.group("n")) == 4:
            continue  # "in 2019 years"? not a relative offset
        emit(m, n, _unit_name(m.group("unit")), +1, "future")
    for m in _P_REL_UNIT.finditer(text):
        which = m.group("which").lower()
        unit = m.group("unit").lower()
        sign = {"last": -1, "past": -1, "previous": -1, "next": 1, "coming": 1}.get(which, 0)
        t: Tense | None = "past" if sign < 0 else "future" if sign > 0 else tns(m.start(), m.end())
        if m.group("pre"):
            t = "past" if m.group("pre").lower() == "earlier" else "future"
        emit(m, 1 if sign else 0, unit, sign or 1, t)
    for m in _P_DAYWORD.finditer(text):
        w = m.group("w").lower()
        off = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1}[w]
        t2: Tense = "present" if off == 0 else "past" if off < 0 else "future"
        emit(m, abs(off), "day", -1 if off < 0 else 1, t2)
    for m in _P_REL_MONTH.finditer(text):
        month = _month_num(m.group("mon"))
        which = m.group("which").lower()
        iso = None
        year: int | None = None
        if dateline is not None:
            if which in ("last", "past"):
                year = dateline.year if month < dateline.month else dateline.year - 1
            elif which in ("next", "coming"):
                year = dateline.year if month > dateline.month else dateline.year + 1
            else:
                year = dateline.year
            iso = f"{year:04d}-{month:02d}"
        adder(
            4,
            DateMention(
                m.start(),
                m.end(),
                m.group(0),
                "relative",
                iso=iso,
                year=year,
                month=month,
                resolved_from="dateline" if iso else None,
                tense="past"
                if which in ("last", "past")
                else "future"
                if which != "this"
                else None,
                unit="month",
            ),
        )


def resolve_weekday(
    weekday: int, dateline: date, *, modifier: str | None, tense: Tense | None
) -> date:
    """The calendar date a weekday name most likely means, seen from ``dateline``.

    "next W" / "last W": the first occurrence strictly after / before.
    "this W": the same Monday-to-Sunday week, unless the tense says which side.
    Bare or "on W": the tense decides the direction (0..6 days); with no cue,
    the nearest occurrence.  At the edges of the calendar (a dateline in the
    first or last week of years 1 or 9999) the dateline itself is returned.
    """
    try:
        return _resolve_weekday(weekday, dateline, modifier=modifier, tense=tense)
    except OverflowError:
        return dateline


def _resolve_weekday(
    weekday: int, dateline: date, *, modifier: str | None, tense: Tense | None
) -> date:
    ahead = (weekday - dateline.weekday()) % 7
    back = (dateline.weekday() - weekday) % 7
    mod = (modifier or "").lower()
    if mod in ("next", "coming"):
        return dateline + timedelta(days=ahead or 7)
    if mod in ("last", "past", "since"):
        return dateline - timedelta(days=back or 7)
    if mod in ("until", "by"):
        return dateline + timedelta(days=ahead)
    if tense == "future":
        return dateline + timedelta(days=ahead)
    if tense == "past":
        return dateline - timedelta(days=back)
    if mod == "this":
        return dateline + timedelta(days=weekday - dateline.weekday())
    return dateline + timedelta(days=ahead) if ahead <= back else dateline - timedelta(days=back)


def _weekdays(text: str, dateline: date | None, adder: _AddFn, tns: _TenseFn) -> None:
    for m in _P_WEEKDAY.finditer(text):
        if text[m.end() : m.end() + 1] == "s" and text[m.end() : m.end() + 2] != "s’":
            continue  # "on Mondays": habitual, not a date
        wd = WEEKDAYS[m.group("wd").lower()]
        mod = m.group("mod")
        start = (
            m.start()
            if mod and mod.lower() in ("this", "next", "last", "coming", "past")
            else m.start("wd")
        )
        t = tns(m.start("wd"), m.end())
        if mod and mod.lower() in ("next", "coming", "until", "by"):
            t = "future"
        elif mod and mod.lower() in ("last", "past", "since"):
            t = "past"
        iso = year = month = day = None
        if dateline is not None:
            d = resolve_weekday(wd, dateline, modifier=mod, tense=t)
            iso, year, month, day = d.isoformat(), d.year, d.month, d.day
        adder(
            5,
            DateMention(
                start,
                m.end(),
                text[start : m.end()],
                "weekday",
                iso=iso,
                year=year,
                month=month,
                day=day,
                weekday=wd,
                resolved_from="dateline" if iso else None,
                tense=t,
                weekday_stated=True,
            ),
        )


def _years(text: str, adder: _AddFn, tns: _TenseFn) -> None:
    for m in _P_YEAR.finditer(text):
        prev = re.search(r"([A-Za-z]+)[\s-]*$", text[max(0, m.start() - 20) : m.start()])
        prev_word = prev.group(1).lower() if prev else ""
        at_start = not text[: m.start()].strip() or text[: m.start()].rstrip()[-1:] in ".\n"
        nxt_ok = bool(_YEAR_NEXT_OK.match(text[m.end() : m.end() + 3]))
        if not (prev_word in _YEAR_PREV_WORDS or nxt_ok or at_start):
            continue
        year = int(m.group("year"))
        adder(
            6,
            DateMention(
                m.start(),
                m.end(),
                m.group(0),
                "year",
                iso=f"{year:04d}",
                year=year,
                resolved_from="text",
                tense=tns(m.start(), m.end()),
            ),
        )
