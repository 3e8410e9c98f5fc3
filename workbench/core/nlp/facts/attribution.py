"""Attribution: who a claim is credited to ("according to", "X estimates that").

The source decides where a fact-checker looks first: "South Korea’s
intelligence agency estimates" sends them to NIS briefings, "reports
indicate" tells them the article names no source at all.  Both are worth
recording, so a vague source ("reports") is kept as written, and a passive
confirmation with no agent ("was confirmed to have arrived") is recorded
with ``source`` None: an unnamed source is itself something to flag.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from workbench.core.nlp.facts.speakers import is_pronoun, is_verb, noun_phrase, resolve_name

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

_ATTRIBUTION_FORMS = frozenset(
    [
        "say",
        "report",
        "indicate",
        "confirm",
        "announce",
        "claim",
        "reveal",
        "state",
        "estimate",
        "said",
        "says",
        "estimates",
        "estimated",
        "estimate",
        "reported",
        "reports",
        "indicate",
        "indicates",
        "indicated",
        "confirmed",
        "confirms",
        "announced",
        "announces",
        "claimed",
        "claims",
        "suggest",
        "suggests",
        "suggested",
        "show",
        "shows",
        "showed",
        "revealed",
        "reveals",
        "found",
        "finds",
        "stated",
        "states",
        "told",
        "disclosed",
        "acknowledged",
        "admitted",
        "alleged",
        "alleges",
        "asserted",
        "believes",
        "calculated",
    ]
)
_PASSIVE_FORMS = frozenset({"confirmed", "reported", "estimated", "announced", "believed", "said"})


@dataclass(frozen=True, slots=True)
class Attribution:
    """A source (or None when unnamed) and the cue word that credits it."""

    source: str | None
    cue: str
    start: int
    end: int

    def to_fact(self) -> dict[str, Any]:
        return {
            "kind": "attribution",
            "source": self.source,
            "cue": self.cue,
            "start": self.start,
            "end": self.end,
        }


def _is_cue(token: Token) -> bool:
    return is_verb(token) and token.lower_ in _ATTRIBUTION_FORMS


def find_attributions(
    span: Span, *, offset: int = 0, names: Sequence[str] = (), skip: Sequence[tuple[int, int]] = ()
) -> list[Attribution]:
    """Attributions in ``span``; ``skip`` are doc-relative character ranges to ignore (quotes)."""
    doc = span.doc
    found: list[Attribution] = []

    def inside_skip(tok: Token) -> bool:
        return any(a <= tok.idx < b for a, b in skip)

    for tok in span:
        if inside_skip(tok):
            continue
        if tok.lower_ == "according" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "to":
            to = doc[tok.i + 1]
            objs = [c for c in to.children if c.dep_ == "pobj"]
            if objs:
                start, end, phrase = noun_phrase(objs[0])
                source = resolve_name(objs[0], _clean(phrase), names=names, before=start)
                found.append(Attribution(source, "according to", start + offset, end + offset))
            continue
        if not _is_cue(tok):
            continue
        subjects = [c for c in tok.children if c.dep_ == "nsubj"]
        if subjects and not _reports_something(tok):
            continue  # "with casualties reported": the subject is what was reported
        if subjects:
            subj = subjects[0]
            if is_pronoun(subj) and subj.lower_ not in ("he", "she"):
                continue  # "I think", "it shows": not a credited source
            start, end, phrase = noun_phrase(subj)
            source = resolve_name(subj, _clean(phrase), names=names, before=start)
            if source is None:
                continue
            found.append(Attribution(source, tok.text, start + offset, end + offset))
            continue
        passive = any(c.dep_ == "auxpass" for c in tok.children)
        if passive and tok.lower_ in _PASSIVE_FORMS:
            agents = [c for c in tok.children if c.dep_ == "agent"]
            objs = [c for a in agents for c in a.children if c.dep_ == "pobj"]
            if objs:
                start, end, phrase = noun_phrase(objs[0])
                source = resolve_name(objs[0], _clean(phrase), names=names, before=start)
                found.append(Attribution(source, tok.text, start + offset, end + offset))
            else:
                found.append(
                    Attribution(None, tok.text, tok.idx + offset, tok.idx + len(tok.text) + offset)
                )
    return found


def _reports_something(verb: Token) -> bool:
    """A crediting verb carries what is credited: a clause, an object or a quote."""
    if any(c.dep_ in _CONTENT_DEPS for c in verb.children):
        return True
    doc = verb.doc
    window = doc[max(0, verb.i - 4) : min(len(doc), verb.i + 4)]
    return any(t.text in _QUOTE_MARKS for t in window)


_CONTENT_DEPS = frozenset({"ccomp", "dobj", "xcomp", "parataxis", "attr", "oprd", "advcl"})
_QUOTE_MARKS = frozenset({"“", "”", '"', "«", "»", "‘", "’", "``", "''"})


def _clean(phrase: str) -> str:
    return phrase.strip(" ,;:“”\"'")
