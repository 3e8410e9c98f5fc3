"""Claim extraction: article text in, scored and typed claim proposals out.

Flow (see the architecture guide, section 4):

1. :func:`segment.chunks` cuts the article into paragraphs (long ones into
   pieces), each with its article offset.
2. ``nlp.pipe(paragraphs, batch_size=8)`` parses them; offsets map back by
   adding the piece's start.  Progress is reported and cancellation polled
   once per batch.
3. Each sentence becomes a candidate span, trimmed of whitespace and wire
   labels ("UPDATE:").  A sentence whose main clause is framing but which
   buries a checkable clause ("Analysts are closely monitoring ..., following
   a defense pact signed ... in June 2024") is split so the checkable part
   is its own claim; so is a sentence of two independent checkable clauses.
   Sentences longer than :data:`segment.MAX_SENTENCE_CHARS` are cut.
4. Candidates are scored in one call per batch (model + cue layer; with a
   trained model the call runs on a worker thread while the next batch is
   parsed), typed, and given entities and facts.  Dates come from
   :mod:`.temporal`, run once over the whole article so relative dates
   resolve against the dateline.

Invariant: for every claim, ``text[claim.start:claim.end] == claim.text``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from workbench.core.errors import CancelledError, UserInputError
from workbench.core.model import CancelFn, ClaimType, Entity, ExtractedClaim, ProgressFn
from workbench.core.nlp import segment
from workbench.core.nlp.cues import Cues, analyze, quoted_spans
from workbench.core.nlp.facts import date_fact
from workbench.core.nlp.facts.attribution import find_attributions
from workbench.core.nlp.facts.quotes import find_quotes
from workbench.core.nlp.facts.speakers import is_noun, is_proper, is_verb, person_mentions

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span

    from workbench.core.nlp.scoring import ClaimScorer
    from workbench.core.nlp.temporal import DateMention

DEFAULT_MIN_SCORE = 0.25
"""Proposals below this are not returned.

The UI shows claims at or above 0.5 by default and offers a slider.  Keeping
the near misses (0.25-0.5) means a fact-checker who lowers the slider sees
them without re-extracting or adding claims by hand; below 0.25 are framing
and boilerplate lines that would only swamp the list.  Pass ``min_score=0``
to get every sentence.
"""

BATCH_SIZE = 8
PROGRESS_LABEL = "Extracting claims"

_EVENT_SUBJECT_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "FAC", "LOC", "EVENT"})


@dataclass(frozen=True)
class ExtractionResult:
    """What one extraction run proposes, and which scorer and pipeline made it."""

    claims: list[ExtractedClaim]
    scorer_name: str
    scorer_note: str | None
    pipeline: str


@dataclass
class _Candidate:
    start: int  # article offsets
    end: int
    text: str
    span: Span | None  # the parsed span (doc offsets = article offset - base)
    base: int  # article offset of the span's doc
    cues: Cues


def extract_claims(
    text: str,
    *,
    dateline: date | None = None,
    min_score: float = DEFAULT_MIN_SCORE,
    progress: ProgressFn | None = None,
    is_cancelled: CancelFn | None = None,
    nlp: Language | None = None,
    scorer: ClaimScorer | None = None,
) -> ExtractionResult:
    """Propose the check-worthy claims of an article, in reading order.

    ``nlp`` and ``scorer`` default to the process-wide cached pipeline and
    scorer (loading them on first use, so call this off the UI thread).
    Raises :class:`CancelledError` as soon as ``is_cancelled()`` is true at a
    batch boundary, and :class:`ModelUnavailableError` when no spaCy pipeline
    is installed.
    """
    if not isinstance(text, str):
        raise UserInputError("Article text must be a string.")
    from workbench.core.nlp.loader import describe, load_pipeline
    from workbench.core.nlp.scoring import get_scorer

    if nlp is None:
        nlp = load_pipeline()
    if scorer is None:
        scorer = get_scorer()
    _check_cancel(is_cancelled)

    pieces = segment.chunks(text)
    dates = _find_dates(pieces, dateline)
    total = len(pieces)
    if progress is not None:
        progress(0, total, PROGRESS_LABEL)

    claims: list[ExtractedClaim] = []
    names: list[str] = []
    done = 0

    def finish(batch: _ParsedBatch, scores: list[float]) -> None:
        nonlocal done
        it = iter(scores)
        for doc, group in zip(batch.docs, batch.candidates, strict=True):
            doc_names = person_mentions(doc)
            for cand in group:
                score = next(it)
                if score < min_score:
                    continue
                # People named so far, in reading order, so that "he" and
                # "Xi" resolve to someone named before them.
                local = cand.end - cand.base
                here = [*names, *(name for at, name in doc_names if at < local)]
                claims.append(_build_claim(cand, score, here, dates))
            names.extend(name for _at, name in doc_names)
        done += len(batch.docs)
        if progress is not None:
            progress(done, total, PROGRESS_LABEL)

    def parse(batch: Sequence[segment.Piece]) -> _ParsedBatch:
        docs = list(nlp.pipe([p.text for p in batch], batch_size=BATCH_SIZE))
        pairs = zip(batch, docs, strict=True)
        return _ParsedBatch(docs, [_candidates(text, piece.start, doc) for piece, doc in pairs])

    if scorer.model is None:
        for batch in _batches(pieces, BATCH_SIZE):
            _check_cancel(is_cancelled)
            parsed = parse(batch)
            finish(parsed, scorer.score_with_cues(parsed.texts(), parsed.cues()))
    else:
        # A trained model scores batch k on a worker thread while spaCy parses
        # batch k+1: onnxruntime and spaCy's matrix code both release the GIL,
        # so on two free cores the model's time mostly hides behind parsing.
        from concurrent.futures import Future, ThreadPoolExecutor

        pending: tuple[_ParsedBatch, Future[list[float]]] | None = None
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="claim-scorer") as pool:
            for batch in _batches(pieces, BATCH_SIZE):
                _check_cancel(is_cancelled)
                parsed = parse(batch)
                future = pool.submit(scorer.score_with_cues, parsed.texts(), parsed.cues())
                if pending is not None:
                    finish(pending[0], pending[1].result())
                pending = (parsed, future)
            if pending is not None:
                _check_cancel(is_cancelled)
                finish(pending[0], pending[1].result())
    return ExtractionResult(
        claims=claims,
        scorer_name=scorer.name,
        scorer_note=scorer.missing_reason,
        pipeline=describe(nlp),
    )


@dataclass
class _ParsedBatch:
    docs: list[Doc]
    candidates: list[list[_Candidate]]

    def texts(self) -> list[str]:
        return [c.text for group in self.candidates for c in group]

    def cues(self) -> list[Cues]:
        return [c.cues for group in self.candidates for c in group]


def _check_cancel(is_cancelled: CancelFn | None) -> None:
    if is_cancelled is not None and is_cancelled():
        raise CancelledError("claim extraction cancelled")


def _batches(items: Sequence[segment.Piece], size: int) -> Iterator[Sequence[segment.Piece]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _find_dates(pieces: Sequence[segment.Piece], dateline: date | None) -> list[DateMention]:
    """Date mentions of every paragraph, in article offsets.

    Run per paragraph (each at most :data:`segment.MAX_CHUNK_CHARS`), not on
    the whole article: a date's tense and meaning come from its own sentence,
    relative dates resolve against the dateline, and the finder's work then
    grows linearly with the article instead of with its longest paragraph.
    """
    import dataclasses

    from workbench.core.nlp.temporal import find_dates

    out: list[DateMention] = []
    for piece in pieces:
        for m in find_dates(piece.text, dateline=dateline):
            event_span = m.event_span
            if event_span is not None:
                event_span = (event_span[0] + piece.start, event_span[1] + piece.start)
            out.append(
                dataclasses.replace(
                    m, start=m.start + piece.start, end=m.end + piece.start, event_span=event_span
                )
            )
    return out


# ---------------------------------------------------------------------------
# Candidates


def _candidates(text: str, base: int, doc: Doc) -> list[_Candidate]:
    out: list[_Candidate] = []
    for sent in doc.sents:
        start, end = segment.trim(text, base + sent.start_char, base + sent.end_char)
        start, end = segment.strip_label(text, start, end)
        if start >= end or not segment.has_words(text[start:end]):
            continue
        if end - start > segment.MAX_SENTENCE_CHARS:
            for a, b in segment.split_long(text, start, end, max_chars=segment.MAX_SENTENCE_CHARS):
                a, b = segment.trim(text, a, b)
                if a < b and segment.has_words(text[a:b]):
                    piece = doc.char_span(a - base, b - base, alignment_mode="expand")
                    out.append(_Candidate(a, b, text[a:b], piece, base, analyze(text[a:b])))
            continue
        span = doc.char_span(start - base, end - base, alignment_mode="expand")
        cues = analyze(text[start:end])
        split = None
        if span is not None:
            split = _split_framing(text, base, span, cues) or _split_conjoined(
                text, base, span, cues
            )
        if split:
            out.extend(split)
        else:
            out.append(_Candidate(start, end, text[start:end], span, base, cues))
    return out


def _split_framing(text: str, base: int, sent: Span, cues: Cues) -> list[_Candidate] | None:
    """Cut a checkable clause out of a sentence whose main clause is framing.

    Only when the sentence has strong framing *and* a hard fact: the clause
    chosen is a noun phrase with a participle or relative clause ("a defense
    pact signed between Russia and North Korea in June 2024") or a
    subordinate clause with its own subject, whose text alone carries a hard
    fact and no framing.  The rest of the sentence stays a (low-scored)
    candidate, so the spans do not overlap and nothing is dropped.
    """
    if not (cues.strong_framing and cues.has_hard_fact):
        return None
    best: tuple[int, int] | None = None
    for tok in sent:
        sub: tuple[int, int] | None = None
        deps = {c.dep_ for c in tok.children}
        if is_noun(tok) and deps & {"acl", "relcl"}:
            sub = (tok.left_edge.idx, tok.right_edge.idx + len(tok.right_edge.text))
        elif (
            is_verb(tok)
            and tok.dep_ in ("advcl", "ccomp", "conj", "relcl")
            and deps & {"nsubj", "nsubjpass"}
        ):
            lefts = [c for c in tok.lefts if c.dep_ not in ("mark", "cc", "punct", "advmod")]
            first = min([tok, *(c.left_edge for c in lefts)], key=lambda t: t.i)
            sub = (first.idx, tok.right_edge.idx + len(tok.right_edge.text))
        if sub is None:
            continue
        a, b = segment.trim(text, base + sub[0], base + sub[1])
        if a <= base + sent.start_char or b - a < 20:
            continue
        sub_cues = analyze(text[a:b])
        if not sub_cues.has_hard_fact or sub_cues.strong_framing:
            continue
        if best is None or (b - a) > (best[1] - best[0]):
            best = (a, b)
    if best is None:
        return None
    s_start, s_end = segment.trim(text, base + sent.start_char, base + sent.end_char)
    s_start, s_end = segment.strip_label(text, s_start, s_end)
    a, b = best
    tail = text[b:s_end]
    if not segment.has_words(tail):
        b = s_end  # keep the full stop with the clause
    pieces = [(s_start, a), (a, b), (b, s_end)]
    out: list[_Candidate] = []
    for p_start, p_end in pieces:
        p_start, p_end = segment.trim(text, p_start, p_end)
        if p_start >= p_end or not segment.has_words(text[p_start:p_end]):
            continue
        span = sent.doc.char_span(p_start - base, p_end - base, alignment_mode="expand")
        piece_text = text[p_start:p_end]
        out.append(_Candidate(p_start, p_end, piece_text, span, base, analyze(piece_text)))
    return out


def _split_conjoined(text: str, base: int, sent: Span, cues: Cues) -> list[_Candidate] | None:
    """Two independent checkable clauses in one sentence become two claims.

    "Exports fell 12 percent in 2023, and the deficit reached $40 billion":
    the root verb has a conjoined verb with its own subject, and each half
    alone carries a hard fact.  The conjunction between them belongs to
    neither claim.  Sentences with quotes are left whole (a quote may straddle
    the cut), and so is framing (handled by :func:`_split_framing`).
    """
    if not cues.has_hard_fact or cues.strong_framing or cues.quote:
        return None
    root = sent.root
    for conj in root.children:
        if conj.dep_ != "conj" or not is_verb(conj):
            continue
        if not any(c.dep_ in ("nsubj", "nsubjpass") for c in conj.children):
            continue
        left = conj.left_edge
        joiners = [c for c in root.children if c.dep_ in ("cc", "punct") and root.i < c.i < left.i]
        if not joiners:
            continue
        cut = min(joiners, key=lambda t: t.i)
        s_start, s_end = segment.trim(text, base + sent.start_char, base + sent.end_char)
        s_start, s_end = segment.strip_label(text, s_start, s_end)
        first = segment.trim(text, s_start, base + cut.idx)
        second = segment.trim(text, base + left.idx, s_end)
        halves: list[_Candidate] = []
        for a, b in (first, second):
            piece = text[a:b]
            piece_cues = analyze(piece)
            if len(piece.split()) < 5 or not piece_cues.has_hard_fact:
                return None
            span = sent.doc.char_span(a - base, b - base, alignment_mode="expand")
            halves.append(_Candidate(a, b, piece, span, base, piece_cues))
        return halves
    return None


# ---------------------------------------------------------------------------
# Claims: entities, facts, types


def _build_claim(
    cand: _Candidate, score: float, names: Sequence[str], dates: Sequence[DateMention]
) -> ExtractedClaim:
    facts: list[dict[str, Any]] = []
    entities: list[Entity] = []
    types: set[str] = set()
    quantities = cand.cues.quantities
    for q in quantities:
        fact = q.to_fact()
        fact["start"] += cand.start
        fact["end"] += cand.start
        facts.append(fact)
    if quantities:
        types.add(ClaimType.QUANTITY.value)
    for mention in dates:
        if mention.start >= cand.start and mention.end <= cand.end:
            facts.append(date_fact(mention))
            types.add(ClaimType.TIME.value)
    if cand.cues.date_explicit or cand.cues.date_soft:
        types.add(ClaimType.TIME.value)

    span = cand.span
    if span is not None:
        for ent in span.ents:
            a, b = cand.base + ent.start_char, cand.base + ent.end_char
            if a >= cand.start and b <= cand.end:
                entities.append(Entity(label=ent.label_, start=a, end=b, text=ent.text))
                if ent.label_ in ("DATE", "TIME"):
                    types.add(ClaimType.TIME.value)
        quotes = find_quotes(span, offset=cand.base, names=names)
        quotes = [q for q in quotes if q.start >= cand.start and q.end <= cand.end]
        for quote in quotes:
            facts.append(quote.to_fact())
        if any(q.speaker or len(q.text.split()) >= 4 for q in quotes):
            types.add(ClaimType.QUOTE.value)
        skip = [(span.start_char + a, span.start_char + b) for a, b in quoted_spans(span.text)]
        for attribution in find_attributions(span, offset=cand.base, names=names, skip=skip):
            if cand.start <= attribution.start and attribution.end <= cand.end:
                facts.append(attribution.to_fact())
                types.add(ClaimType.ATTRIBUTION.value)
        if _is_event(span):
            types.add(ClaimType.EVENT.value)
    else:
        if cand.cues.quote_attributed:
            types.add(ClaimType.QUOTE.value)
        if cand.cues.attribution:
            types.add(ClaimType.ATTRIBUTION.value)
    if "event" in cand.cues.hard:
        types.add(ClaimType.EVENT.value)
    if cand.cues.comparison:
        types.add(ClaimType.COMPARISON.value)
    if cand.cues.causal:
        types.add(ClaimType.CAUSAL.value)
    if cand.cues.prediction:
        types.add(ClaimType.PREDICTION.value)
    facts.sort(key=lambda f: (f["start"], f["end"]))
    ordered = tuple(t.value for t in ClaimType if t.value in types)
    return ExtractedClaim(
        start=cand.start,
        end=cand.end,
        text=cand.text,
        score=score,
        types=ordered,
        entities=tuple(entities),
        facts=tuple(facts),
    )


def _is_event(span: Span) -> bool:
    """Someone named did something: a past-tense (or perfect) verb with a named subject."""
    for tok in span:
        if not tok.tag_.startswith("VB"):
            continue
        past = tok.tag_ == "VBD" or (
            tok.tag_ == "VBN" and any(c.dep_ in ("aux", "auxpass") for c in tok.children)
        )
        if not past:
            continue
        for child in tok.children:
            if child.dep_ in ("nsubj", "nsubjpass"):
                phrase = list(child.subtree)
                if any(t.ent_type_ in _EVENT_SUBJECT_LABELS or is_proper(t) for t in phrase):
                    return True
    return False


def analyse_span(
    text: str,
    *,
    offset: int = 0,
    dateline: date | None = None,
    scorer: ClaimScorer | None = None,
) -> ExtractedClaim:
    """Score, type and find facts in one span without spaCy (a manual claim).

    Manual claims are saved on the UI thread's request and must not wait for
    the spaCy pipeline to load, so this uses only the scorer and the
    rule-based fact finders; quotes and attributions are typed from cues,
    and there are no entities.  ``offset`` is where ``text`` starts in the
    article, so fact offsets are article offsets like everywhere else.
    """
    from workbench.core.nlp.scoring import get_scorer

    if scorer is None:
        scorer = get_scorer()
    cues = analyze(text)
    score = scorer.score_with_cues([text], [cues])[0]
    dates = _find_dates([segment.Piece(offset, offset + len(text), text)], dateline)
    cand = _Candidate(offset, offset + len(text), text, None, offset, cues)
    return _build_claim(cand, score, (), dates)
