"""Quantities in news prose: value, unit and hedge, with character offsets.

Plain regular expressions, no spaCy: the consistency checker compares the
numbers of two sentences with this same function, so it must be cheap,
deterministic and usable on any string (including text that was never parsed).

Hedge vocabulary (what a fact-checker needs to compare two figures):

* ``exact``  - a bare figure: "600 soldiers".
* ``approx`` - around, about, roughly, approximately, some, nearly, almost,
  close to, an estimated. "Nearly" and "almost" are strictly *below* the
  figure, but reporters use them as rounding words, so they count as approx.
* ``gt``     - more than, over, above, upwards of, in excess of, exceeding,
  "... -plus". "over 15,000" -> 15000 gt.
* ``gte``    - at least, no fewer/less than, "... or more". Kept apart from
  ``gt`` because "at least 600" includes 600 itself: 600 does not contradict it.
* ``lt``     - less than, fewer than, under, below.
* ``lte``    - at most, up to, no more than.
* ``range``  - "between 10 and 20", "10-20": ``value`` is the low end and
  ``high`` the high end.

Years ("in 2024"), days of the month ("October 17"), clock times and digits
inside names ("COVID-19", "G7") are not quantities; dates belong to the
temporal module.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

Number = int | float

_SCALES: dict[str, int] = {
    "thousand": 1_000,
    "k": 1_000,
    "million": 1_000_000,
    "m": 1_000_000,
    "mn": 1_000_000,
    "billion": 1_000_000_000,
    "bn": 1_000_000_000,
    "b": 1_000_000_000,
    "trillion": 1_000_000_000_000,
    "tn": 1_000_000_000_000,
}

_WORD_VALUES: dict[str, int] = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
    "dozen": 12,
}

_TENS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
_UNITS_WORDS = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|"
    "fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
)

# Longest phrases first so that "more than" wins over "more" and
# "no more than" over "more than".
_HEDGES: list[tuple[str, str]] = [
    ("no fewer than", "gte"),
    ("no less than", "gte"),
    ("not less than", "gte"),
    ("no more than", "lte"),
    ("not more than", "lte"),
    ("in excess of", "gt"),
    ("upwards of", "gt"),
    ("more than", "gt"),
    ("greater than", "gt"),
    ("higher than", "gt"),
    ("exceeding", "gt"),
    ("just over", "gt"),
    ("over", "gt"),
    ("above", "gt"),
    ("at least", "gte"),
    ("at most", "lte"),
    ("up to", "lte"),
    ("less than", "lt"),
    ("fewer than", "lt"),
    ("lower than", "lt"),
    ("just under", "lt"),
    ("under", "lt"),
    ("below", "lt"),
    ("an estimated", "approx"),
    ("estimated", "approx"),
    ("approximately", "approx"),
    ("roughly", "approx"),
    ("around", "approx"),
    ("about", "approx"),
    ("nearly", "approx"),
    ("almost", "approx"),
    ("close to", "approx"),
    ("some", "approx"),
    ("circa", "approx"),
    ("approx.", "approx"),
    ("~", "approx"),
]
_HEDGE_KIND = {phrase: kind for phrase, kind in _HEDGES}

_CURRENCY_SYMBOLS: dict[str, str] = {
    "$": "USD",
    "us$": "USD",
    "usd": "USD",
    "€": "EUR",
    "eur": "EUR",
    "£": "GBP",
    "gbp": "GBP",
    "¥": "JPY",
    "₹": "INR",
    "₽": "RUB",
}
_CURRENCY_WORDS: dict[str, str] = {
    "dollar": "USD",
    "dollars": "USD",
    "euro": "EUR",
    "euros": "EUR",
    "pound": "GBP",
    "pounds": "GBP",
    "yuan": "CNY",
    "renminbi": "CNY",
    "yen": "JPY",
    "rouble": "RUB",
    "roubles": "RUB",
    "ruble": "RUB",
    "rubles": "RUB",
    "won": "KRW",
    "rupees": "INR",
}

_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|"
    "december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)

_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+"
_WORDNUM = (
    rf"(?:(?:{_TENS})(?:[-\s](?:{_UNITS_WORDS}))?|{_UNITS_WORDS}"
    r"|a\s+dozen|dozens|hundreds|thousands|millions|billions|a\s+hundred)"
)
_HEDGE_RE = "|".join(re.escape(p) for p, _ in _HEDGES)
_CUR_RE = r"US\$|USD|EUR|GBP|[$€£¥₹₽]"

_QUANTITY_RE = re.compile(
    rf"""
    (?:(?P<hedge>{_HEDGE_RE})\s+)?
    (?:(?P<cur>{_CUR_RE})\s?)?
    (?:(?P<num>{_DIGITS})|(?P<word>\b{_WORDNUM}\b))
    (?:(?:\s|-)?(?P<scale>thousand|million|billion|trillion|bn|mn|tn|[kmb])\b)?
    (?:\s?(?P<pct>%|percent\b|per\s+cent\b|percentage\s+points?\b))?
    (?P<plus>\+|-plus\b)?
    """,
    re.IGNORECASE | re.VERBOSE,
)

_RANGE_TAIL_RE = re.compile(rf"\s*(?:-|–|—|to|and)\s*(?P<num>{_DIGITS})", re.IGNORECASE)
_OR_MORE_RE = re.compile(r"\s+or\s+(?:more|over|above)\b", re.IGNORECASE)
_WORD_RE = re.compile(r"[ \t]*([^\W\d_][\w’'-]*)")
_STOP_WORDS = frozenset(
    [
        "the",
        "a",
        "an",
        "of",
        "in",
        "on",
        "at",
        "to",
        "for",
        "from",
        "by",
        "with",
        "during",
        "since",
        "ago",
        "and",
        "or",
        "but",
        "nor",
        "that",
        "which",
        "who",
        "whom",
        "whose",
        "have",
        "has",
        "had",
        "are",
        "is",
        "was",
        "were",
        "be",
        "been",
        "being",
        "will",
        "would",
        "could",
        "should",
        "may",
        "might",
        "can",
        "did",
        "do",
        "does",
        "per",
        "each",
        "more",
        "than",
        "as",
        "into",
        "across",
        "over",
        "under",
        "after",
        "before",
        "between",
        "among",
        "including",
        "while",
        "when",
        "where",
        "if",
        "not",
        "so",
        "its",
        "their",
        "his",
        "her",
        "our",
        "your",
        "my",
        "this",
        "these",
        "those",
        "there",
        "here",
        "then",
        "also",
        "already",
        "still",
        "just",
        "only",
        "even",
        "reportedly",
        "said",
        "say",
        "says",
        "told",
        "according",
        "died",
        "left",
        "arrived",
        "came",
        "went",
        "fled",
        "remain",
        "remained",
        "remains",
        "live",
        "lived",
        "rose",
        "fell",
        "increased",
        "decreased",
        "dropped",
        "climbed",
        "grew",
        "jumped",
        "went",
    ]
)
_FUNCTION_PREV = frozenset(
    [
        "the",
        "in",
        "since",
        "by",
        "until",
        "till",
        "from",
        "to",
        "before",
        "after",
        "during",
        "of",
        "this",
        "that",
        "next",
        "last",
    ]
)


@dataclass(frozen=True, slots=True)
class Quantity:
    """One figure found in text; ``start``/``end`` cover hedge and number."""

    value: Number
    unit: str | None
    hedge: str
    text: str
    start: int
    end: int
    high: Number | None = None

    def to_fact(self) -> dict[str, Any]:
        """The JSON fact stored on a claim (``kind`` = "quantity")."""
        fact: dict[str, Any] = {
            "kind": "quantity",
            "value": self.value,
            "unit": self.unit,
            "hedge": self.hedge,
            "text": self.text,
            "start": self.start,
            "end": self.end,
        }
        if self.high is not None:
            fact["high"] = self.high
        return fact


_ANY_NUMBER = re.compile(
    rf"\d|\b(?:{_TENS}|{_UNITS_WORDS}|dozens?|hundreds?|thousands|millions|billions)\b",
    re.IGNORECASE,
)


def find_quantities(text: str) -> list[Quantity]:
    """Every figure in ``text``, in order, with absolute offsets into ``text``."""
    if _ANY_NUMBER.search(text) is None:
        return []  # most sentences hold no figure; skip the expensive pattern
    found: list[Quantity] = []
    pos = 0
    while True:
        m = _QUANTITY_RE.search(text, pos)
        if m is None:
            break
        pos = max(m.end(), m.start() + 1)
        q = _build(text, m)
        if q is not None:
            found.append(q)
            pos = max(pos, q.end)
    return found


def _build(text: str, m: re.Match[str]) -> Quantity | None:
    num_text = m.group("num")
    word_text = m.group("word")
    hedge_text = m.group("hedge")
    cur = m.group("cur")
    scale = m.group("scale")
    pct = m.group("pct")
    num_start = m.start("num") if num_text else m.start("word")
    num_end = m.end("num") if num_text else m.end("word")

    if hedge_text and not _word_boundary_before(text, m.start("hedge")):
        return None  # "moreover 5" etc.: the hedge is a fragment of a longer word
    if num_text:
        if not _digit_boundaries_ok(text, num_start, num_end):
            return None
        value: Number | None = _parse_digits(num_text)
    else:
        value = _parse_words(word_text)
    if value is None:
        return None
    lower_word = (word_text or "").lower()
    # Abbreviated scales count only when glued to digits ("3m", "$2bn");
    # "5 m" is a length and "two m" is nothing.
    abbreviated = bool(scale) and scale.lower() in ("k", "m", "b", "bn", "mn", "tn")
    if abbreviated and (not num_text or m.start("scale") != num_end):
        scale = None
    if scale:
        value = value * _SCALES[scale.lower()]
    end = m.end("scale") if scale else num_end
    if pct:
        end = m.end("pct")
    if m.group("plus"):
        end = m.end("plus")

    if num_text and not cur and not scale and not pct:
        if _looks_like_date_or_time(text, num_start, num_end, num_text):
            return None
        if not hedge_text and _inside_name(text, num_start):
            return None
    if word_text and not cur and not scale and not pct:
        if lower_word == "one":
            return None  # "one of", "no one": almost never a checkable count
        if _preceded_by(text, num_start, ("the", "these", "those", "both", "all")):
            return None  # "the two nations": a reference, not a count

    hedge = _HEDGE_KIND.get(hedge_text.lower(), "exact") if hedge_text else "exact"
    start = m.start("hedge") if hedge_text else (m.start("cur") if cur else num_start)
    if lower_word in ("dozens", "hundreds", "thousands", "millions", "billions"):
        hedge = "gte" if hedge == "exact" else hedge
    if m.group("plus"):
        hedge = "gte"

    high: Number | None = None
    if num_text and not pct:
        tail = _RANGE_TAIL_RE.match(text, end)
        between = _preceded_by(text, start, ("between", "from"))
        joiner = text[end : tail.start("num")].strip() if tail else ""
        if tail and (between or joiner in ("-", "–", "—")):
            high = _parse_digits(tail.group("num"))
            if high is not None and scale:
                high = high * _SCALES[scale.lower()]
            if high is not None and high > value:
                end = tail.end()
                hedge = "range"
                if between:
                    start = _prev_word_start(text, start)
                m_scale = re.match(
                    r"(?:\s|-)?(thousand|million|billion|trillion)\b", text[end:], re.I
                )
                if m_scale and not scale:
                    factor = _SCALES[m_scale.group(1).lower()]
                    value, high = value * factor, high * factor
                    end += m_scale.end()
                m_pct = re.match(r"\s?(%|percent\b|per\s+cent\b)", text[end:], re.I)
                if m_pct:
                    pct = m_pct.group(1)
                    end += m_pct.end()
            else:
                high = None
    unit_from = end
    more = _OR_MORE_RE.match(text, end)
    if more:
        unit_from = more.end()
        if hedge == "exact":
            hedge = "gte"

    unit: str | None
    if pct:
        unit = "percentage points" if "point" in pct.lower() else "%"
    elif cur:
        unit = _CURRENCY_SYMBOLS.get(cur.lower(), cur.upper())
    else:
        unit = _unit_after(text, unit_from)
        if unit is not None and unit.lower() in _CURRENCY_WORDS:
            unit = _CURRENCY_WORDS[unit.lower()]
    return Quantity(
        value=_tidy(value),
        unit=unit,
        hedge=hedge,
        text=text[start:end],
        start=start,
        end=end,
        high=_tidy(high) if high is not None else None,
    )


def _tidy(value: Number) -> Number:
    """Integers stay ints in JSON ("50000", not "50000.0")."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return int(value)
    return value


def _parse_digits(raw: str) -> Number | None:
    try:
        cleaned = raw.replace(",", "")
        return float(cleaned) if "." in cleaned else int(cleaned)
    except ValueError:
        return None


def _parse_words(raw: str | None) -> Number | None:
    if not raw:
        return None
    lower = re.sub(r"\s+", " ", raw.lower())
    plural = {"dozens": 24, "hundreds": 200, "thousands": 2_000, "millions": 2_000_000}
    plural["billions"] = 2_000_000_000
    if lower in plural:
        # "thousands of" means at least two thousand; reported with hedge gte.
        return plural[lower]
    if lower in ("a dozen",):
        return 12
    if lower == "a hundred":
        return 100
    total = 0
    for part in re.split(r"[-\s]", lower):
        if part not in _WORD_VALUES:
            return None
        total += _WORD_VALUES[part]
    return total


def _word_boundary_before(text: str, index: int) -> bool:
    return index == 0 or not text[index - 1].isalnum()


def _digit_boundaries_ok(text: str, start: int, end: int) -> bool:
    """Reject digits glued to letters or other digits ("G7", "COVID-19", "3rd")."""
    if start > 0:
        before = text[start - 1]
        if before.isalnum() or before in "_.":
            return False
        if before in "-–/" and start > 1 and text[start - 2].isalnum():
            return False
    if end < len(text):
        after = text[end]
        if after.isalpha() and not _scale_suffix(text, end):
            return False
        if after in "/:" and end + 1 < len(text) and text[end + 1].isdigit():
            return False  # 10:30, 3/4, 17/10/2023
    return True


def _scale_suffix(text: str, end: int) -> bool:
    m = re.match(r"(bn|mn|tn|k|m|b)\b", text[end:], re.IGNORECASE)
    return m is not None


def _preceded_by(text: str, index: int, words: tuple[str, ...]) -> bool:
    m = re.search(r"([^\W\d_]+)[\s]+$", text[max(0, index - 40) : index])
    return bool(m and m.group(1).lower() in words)


def _prev_word_start(text: str, index: int) -> int:
    m = re.search(r"[^\W\d_]+\s+$", text[max(0, index - 40) : index])
    return max(0, index - 40) + m.start() if m else index


def _prev_word(text: str, index: int) -> str | None:
    m = re.search(r"([^\W\d_][\w’'.]*)[\s,]*$", text[max(0, index - 40) : index])
    return m.group(1) if m else None


def _looks_like_date_or_time(text: str, start: int, end: int, raw: str) -> bool:
    prev = (_prev_word(text, start) or "").lower().rstrip(".")
    after = text[end : end + 30]
    if re.match(rf"\s*(?:{_MONTHS})\b", after, re.IGNORECASE):
        return True  # "17 October"
    if re.fullmatch(_MONTHS, prev):
        return True  # "October 17", "June 2024"
    if re.match(r"\s*(?:a\.m\.|p\.m\.|am\b|pm\b|o'clock|GMT|UTC|BST|EST|CET)", after, re.I):
        return True
    if re.fullmatch(r"\d{4}", raw) and 1000 <= int(raw) <= 2199:
        # A bare four-digit figure is a year unless a counted noun follows and
        # nothing that introduces a year precedes it ("2000 troops" vs "in 2000").
        if prev in _FUNCTION_PREV or prev in ("year", "fiscal", "fy", "season", "spring"):
            return True
        nxt = _WORD_RE.match(text, end)
        if nxt is None or nxt.start(1) - end > 1 or nxt.group(1).lower() in _STOP_WORDS:
            return True
        if nxt.group(1)[0].isupper():
            return True
    if re.match(r"(?:’|')s\b", text[end : end + 3]):
        return True  # "the 1990's"
    return bool(re.fullmatch(r"\d{4}", raw) and re.match(r"s\b", text[end : end + 2]))


def _inside_name(text: str, start: int) -> bool:
    """Digits right after a capitalised word are usually a name: "Section 230", "Boeing 737"."""
    m = re.search(
        r"(?:^|(?P<boundary>[.!?]\s+)|\s)(?P<word>[^\W\d_][\w-]*)\s+$",
        text[max(0, start - 40) : start],
    )
    if m is None:
        return False
    word = m.group("word")
    if not word[0].isupper() or word.isupper():
        return False
    window_start = max(0, start - 40) + m.start("word")
    before = text[:window_start].rstrip()
    at_sentence_start = not before or before[-1] in '.!?:;"“”\n'
    return not at_sentence_start


_OUT_OF = re.compile(
    r"\s+out\s+of\s+(?:about\s+|some\s+|around\s+)?\d[\d,.]*"
    r"(?:\s+(?:hundred|thousand|million|billion|trillion)\b)?"
)

_FINITE_VERBS = frozenset(
    "said says say died fled went came took left fell rose remain remained remains "
    "live lived work worked attend attended marched gathered stood".split()
)


def _looks_like_a_verb(word: str) -> bool:
    """A second word after the counted noun that starts the predicate instead.

    Without a parser, participles and common finite verbs are told by their
    form: "troops deployed", "people killed", "officers attended", "people
    living" end the noun phrase, while "peace doves" or "cubic metres" do not.
    """
    return (
        word in _FINITE_VERBS
        or (word.endswith("ed") and len(word) > 4)
        or (word.endswith("ing") and len(word) > 5)
    )


def _unit_after(text: str, index: int) -> str | None:
    """The counted noun after a figure: "15,000 North Korean troops" -> "troops".

    Proper adjectives (capitalised words) are skipped when a lowercase noun
    follows; then up to two lowercase words are taken until a function word
    or punctuation ends the phrase ("80,000 peace doves during ...").
    """
    out_of = _OUT_OF.match(text, index)
    if out_of:
        index = out_of.end()  # "500 out of 300 officers": both count the officers
    hyphen = re.match(r"-([^\W\d_]+)", text[index : index + 40])
    if hyphen and hyphen.group(1).lower() != "strong":
        return hyphen.group(1).lower()
    if hyphen:
        index += hyphen.end()  # "a 15,000-strong force" counts the force
    pos = index
    words: list[str] = []
    skipped_capitals = 0
    of_used = False
    while len(words) < 2:
        m = _WORD_RE.match(text, pos)
        if m is None or "\n" in text[pos : m.start(1)]:
            break
        word = m.group(1)
        lower = word.lower()
        if lower == "of" and not words and not of_used and not skipped_capitals:
            of_used = True  # "hundreds of people", "a total of"
            pos = m.end()
            continue
        if word[0].isupper() and not words:
            skipped_capitals += 1
            if skipped_capitals > 3:
                return None
            pos = m.end()
            continue
        if lower in _STOP_WORDS or (words and _looks_like_a_verb(lower)):
            break  # "12,000 troops deployed there": the noun is "troops"
        words.append(lower.rstrip("’'"))
        pos = m.end()
        nxt = text[pos : pos + 1]
        if nxt and not nxt.isspace():
            break  # punctuation ends the noun phrase
    if not words:
        return None
    return " ".join(words)
