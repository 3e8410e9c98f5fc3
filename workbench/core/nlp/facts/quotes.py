"""Direct quotations and who said them.

A quote is only checkable with its speaker: the fact-checker must find the
speech or transcript where *that person* said *those words*.  The quoted
text is found with the same quote-pair patterns as the cue layer (curly,
straight, guillemets); the speaker is the subject of the nearest verb of
saying outside the quote ("Xi described Putin as his “old friend”",
"..., stating, “We must ...”" where the subject sits on the governing verb,
"“...,” said the minister").

Short title-case quotes without a verb of saying ("“America First”
policies") are slogans or names, not quotations, and are not reported.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from workbench.core.nlp.cues import quoted_spans
from workbench.core.nlp.facts.speakers import is_verb, noun_phrase, resolve_name, subject_of

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

_SAYING_FORMS = frozenset(
    [
        "say",
        "state",
        "tell",
        "add",
        "declare",
        "describe",
        "call",
        "warn",
        "insist",
        "claim",
        "note",
        "write",
        "announce",
        "argue",
        "explain",
        "stress",
        "said",
        "says",
        "saying",
        "stated",
        "states",
        "stating",
        "told",
        "tells",
        "telling",
        "added",
        "adds",
        "adding",
        "declared",
        "declares",
        "declaring",
        "described",
        "describes",
        "describing",
        "called",
        "calls",
        "calling",
        "warned",
        "warns",
        "warning",
        "insisted",
        "insists",
        "claimed",
        "claims",
        "claiming",
        "noted",
        "notes",
        "noting",
        "wrote",
        "writes",
        "writing",
        "announced",
        "announces",
        "announcing",
        "remarked",
        "argued",
        "argues",
        "arguing",
        "asked",
        "asks",
        "replied",
        "replies",
        "explained",
        "explains",
        "vowed",
        "pledged",
        "quoted",
        "stressed",
        "stresses",
        "tweeted",
        "posted",
        "urged",
        "accused",
        "praised",
        "dubbed",
        "labelled",
        "labeled",
    ]
)


@dataclass(frozen=True, slots=True)
class Quote:
    """Quoted words (without the marks) and their speaker, offsets into the article."""

    text: str
    start: int
    end: int
    speaker: str | None

    def to_fact(self) -> dict[str, Any]:
        return {
            "kind": "quote",
            "text": self.text,
            "speaker": self.speaker,
            "start": self.start,
            "end": self.end,
        }


def is_saying(token: Token) -> bool:
    return is_verb(token) and token.lower_ in _SAYING_FORMS


def find_quotes(span: Span, *, offset: int = 0, names: Sequence[str] = ()) -> list[Quote]:
    """Quotes inside ``span`` (a sentence or clause).

    ``offset`` is added to ``span.doc`` character offsets to make them
    article offsets; ``names`` are people named earlier in the article, for
    resolving "Xi" or "he" to "Xi Jinping".
    """
    text = span.text
    quotes = quoted_spans(text)
    if not quotes:
        return []
    base = span.start_char
    # One pass over the tokens, whatever the number of quotes.
    saying = [t for t in span if is_saying(t)]
    according = [
        t.doc[t.i + 1]
        for t in span
        if t.lower_ == "according" and t.i + 1 < len(t.doc) and t.doc[t.i + 1].lower_ == "to"
    ]
    found: list[Quote] = []
    for q_start, q_end in quotes:
        inner = text[q_start:q_end].strip()
        words = inner.split()
        if not words:
            continue
        a, b = base + q_start, base + q_end
        speaker = _speaker(saying, according, a, b, names=names)
        title_like = len(words) <= 4 and all(w[:1].isupper() for w in words)
        if speaker is None and (title_like or len(words) < 2):
            continue
        found.append(
            Quote(text=text[q_start:q_end], start=a + offset, end=b + offset, speaker=speaker)
        )
    return found


def _speaker(
    saying: Sequence[Token],
    according: Sequence[Token],
    q_start: int,
    q_end: int,
    *,
    names: Sequence[str],
) -> str | None:
    verbs = [t for t in saying if not (q_start <= t.idx < q_end)]
    # Nearest verb of saying to the quote first.
    verbs.sort(key=lambda t: min(abs(t.idx - q_start), abs(t.idx - q_end)))
    for verb in verbs:
        subject = subject_of(verb)
        if subject is None or q_start <= subject.idx < q_end:
            continue
        start, _end, phrase = noun_phrase(subject)
        return resolve_name(subject, _clean(phrase), names=names, before=start)
    for to in according:
        objs = [c for c in to.children if c.dep_ == "pobj"]
        if objs and not (q_start <= objs[0].idx < q_end):
            start, _end, phrase = noun_phrase(objs[0])
            return resolve_name(objs[0], _clean(phrase), names=names, before=start)
    return None


def _clean(phrase: str) -> str:
    return phrase.strip(" ,;:“”\"'").removesuffix("’s").removesuffix("'s").strip()
