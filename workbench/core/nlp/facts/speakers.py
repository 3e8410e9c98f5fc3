"""Who a subject token refers to: shared by quote speakers and attribution sources.

A news story names a person in full once ("Xi Jinping") and then by one
name ("Xi") or a pronoun.  A fact-checker needs the full name to search for
the quote, so short names and he/she are resolved against the people named
so far in the article.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

PRONOUNS_PERSON = frozenset({"he", "she", "him", "her"})
SKIP_PRONOUNS = frozenset({"i", "we", "you", "it", "they", "this", "that", "who", "which"})
_NAME_PREPS = frozenset({"of", "from", "for", "at", "in"})
_NAME_LABELS = frozenset({"ORG", "GPE", "PERSON", "NORP", "FAC", "LOC"})
_PHRASE_DEPS = frozenset({"compound", "amod", "poss", "case", "det", "nmod", "flat", "nummod"})


def is_verb(token: Token) -> bool:
    """Verb or auxiliary, from the fine-grained tag.

    The pipeline is loaded without the attribute ruler (it only maps tags to
    coarse POS and costs about a tenth of the parse), so ``pos_`` is empty
    and every check here reads ``tag_`` (Penn Treebank) instead.
    """
    return token.tag_.startswith("VB") or token.tag_ == "MD"


def is_noun(token: Token) -> bool:
    return token.tag_.startswith("NN")


def is_proper(token: Token) -> bool:
    return token.tag_ in ("NNP", "NNPS")


def is_pronoun(token: Token) -> bool:
    return token.tag_ in ("PRP", "PRP$", "WP", "WP$", "EX")


def subject_of(verb: Token, *, max_hops: int = 5) -> Token | None:
    """The nominal subject of ``verb``, climbing to governing words when the
    verb has none ("Xi did not shy away from criticizing ..., stating, ..."
    climbs stating -> criticizing -> from -> away -> shy, whose subject is Xi)."""
    current = verb
    for _ in range(max_hops + 1):
        for child in current.children:
            if child.dep_ in ("nsubj", "nsubjpass"):
                return child
        if current.head is current or current.dep_ in ("ccomp", "parataxis"):
            # A complement clause has its own subject; the governing verb's
            # subject is someone else ("X said that Y told ...").
            return None
        current = current.head
    return None


def noun_phrase(token: Token) -> tuple[int, int, str]:
    """Doc character span and text of the name-like phrase headed by ``token``.

    Keeps determiners, possessives, compounds and adjectives on the left
    ("South Korea’s intelligence agency") but not clauses or prepositional
    tails, which would turn a source into a sentence.
    """
    left = token
    for child in token.lefts:
        if child.dep_ in _PHRASE_DEPS:
            left = min(left, child.left_edge, key=lambda t: t.i)
            break
    right = token
    for child in token.rights:
        if child.dep_ in ("flat", "compound", "appos") and child.i == right.i + 1:
            right = child.right_edge
        elif child.dep_ == "prep" and child.lower_ in _NAME_PREPS and child.i == right.i + 1:
            # "data from the Bank", "the Office for National Statistics":
            # keep a prepositional tail that names an institution.
            objs = [c for c in child.children if c.dep_ == "pobj"]
            if objs and (is_proper(objs[0]) or objs[0].ent_type_ in _NAME_LABELS):
                right = objs[0]
            break
    # A token inside a named entity stands for the whole name.
    if token.ent_iob_ in ("B", "I"):
        ent_start = token.i
        while ent_start > 0 and token.doc[ent_start].ent_iob_ == "I":
            ent_start -= 1
        ent_end = token.i
        while ent_end + 1 < len(token.doc) and token.doc[ent_end + 1].ent_iob_ == "I":
            ent_end += 1
        left = min(left, token.doc[ent_start], key=lambda t: t.i)
        right = max(right, token.doc[ent_end], key=lambda t: t.i)
    # Never start on punctuation.
    while left.is_punct and left.i < right.i:
        left = left.doc[left.i + 1]
    start = left.idx
    end = right.idx + len(right.text)
    # Slice the tokens, not ``doc.text``: spaCy rebuilds the whole document
    # string on every ``doc.text`` access, which made long texts quadratic.
    return start, end, left.doc[left.i : right.i + 1].text


def resolve_name(token: Token, phrase: str, *, names: Sequence[str], before: int) -> str | None:
    """The best full name for a subject phrase, or the phrase itself.

    ``names`` are PERSON/ORG entity texts of the article in reading order
    with ``before`` the character offset of the phrase, so only earlier
    names can be used for pronouns.
    """
    lower = phrase.lower()
    if lower in SKIP_PRONOUNS:
        return None
    if lower in PRONOUNS_PERSON:
        return names[-1] if names else None
    parts = phrase.split()
    if len(parts) <= 2 and names:
        for name in names:
            name_parts = name.split()
            if len(name_parts) > len(parts) and all(p in name_parts for p in parts):
                return name
    return phrase


def person_names(span: Span, *, up_to: int | None = None) -> list[str]:
    """PERSON entity texts in ``span``'s document, in order, ending before ``up_to``."""
    out: list[str] = []
    for ent in span.doc.ents:
        if up_to is not None and ent.start_char >= up_to:
            break
        if ent.label_ == "PERSON":
            text = ent.text.removesuffix("’s").removesuffix("'s")
            out.append(text)
    return out


def person_mentions(doc: Doc) -> list[tuple[int, str]]:
    """(start_char, name) of every PERSON entity in ``doc``, computed once per document."""
    return [
        (ent.start_char, ent.text.removesuffix("’s").removesuffix("'s"))
        for ent in doc.ents
        if ent.label_ == "PERSON"
    ]
