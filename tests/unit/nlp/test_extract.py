"""extract_claims on the sample article and on hostile text (real spaCy pipeline)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import pytest

from workbench.core.errors import CancelledError
from workbench.core.model import ExtractedClaim
from workbench.core.nlp import segment
from workbench.core.nlp.extract import ExtractionResult, analyse_span, extract_claims
from workbench.core.nlp.scoring import ClaimScorer, get_scorer

DATELINE = date(2025, 9, 1)

MUST_BE_CHECKWORTHY = [
    "has convened Vladimir Putin and Kim Jong-un in Beijing",  # the meeting
    "held on October 17, 2023",  # its date
    "“old friend”",
    "over 15,000 North Korean troops",
    "around 600 North Korean soldiers have died",
    "around 50,000 spectators",
    "more than 80,000 peace doves",
    "finalized a deal to increase gas supplies",
    "over the next three decades",
    "hegemonism and power politics",
    "a defense pact signed between Russia and North Korea in June 2024",
]
FRAMING = [
    "As the world watches",
    "Analysts are closely monitoring",
    "As these developments unfold",
    "His comments highlight",
]


def claim_with(claims: list[ExtractedClaim], needle: str) -> ExtractedClaim:
    hits = [c for c in claims if needle in c.text]
    assert len(hits) == 1, (needle, [c.text for c in hits])
    return hits[0]


def assert_valid(text: str, result: ExtractionResult) -> None:
    last_end = 0
    for c in result.claims:
        assert 0 <= c.start < c.end <= len(text)
        assert text[c.start : c.end] == c.text
        assert c.text == c.text.strip()
        assert c.start >= last_end, "claims overlap or are out of order"
        last_end = c.end
        assert 0.0 <= c.score <= 1.0
        for e in c.entities:
            assert c.start <= e.start < e.end <= c.end
            assert text[e.start : e.end] == e.text
        for f in c.facts:
            assert c.start <= f["start"] < f["end"] <= c.end
            assert f["kind"] in ("quantity", "date", "quote", "attribution")


@pytest.fixture(scope="module")
def sample_all(nlp: Any, sample_text: str) -> ExtractionResult:
    """The sample with every sentence kept, scored by the default scorer."""
    return extract_claims(sample_text, dateline=DATELINE, min_score=0.0, nlp=nlp)


@pytest.fixture(scope="module")
def sample_cues(nlp: Any, sample_text: str) -> ExtractionResult:
    return extract_claims(
        sample_text, dateline=DATELINE, min_score=0.0, nlp=nlp, scorer=ClaimScorer(None)
    )


@pytest.mark.parametrize("which", ["sample_all", "sample_cues"])
def test_sample_behaviour(which: str, request: pytest.FixtureRequest, sample_text: str) -> None:
    result: ExtractionResult = request.getfixturevalue(which)
    assert_valid(sample_text, result)
    for needle in MUST_BE_CHECKWORTHY:
        claim = claim_with(result.claims, needle)
        assert claim.score >= 0.5, (needle, claim.score, result.scorer_name)
    for needle in FRAMING:
        claim = claim_with(result.claims, needle)
        assert claim.score < 0.5, (needle, claim.score, result.scorer_name)


def test_result_names_scorer_and_pipeline(sample_all: ExtractionResult) -> None:
    assert sample_all.scorer_name == get_scorer().name
    assert sample_all.pipeline.startswith("en_core_web_sm")


def test_wire_label_is_not_part_of_the_claim(sample_all: ExtractionResult) -> None:
    first = sample_all.claims[0]
    assert first.text.startswith("In a historic gathering")


def test_framing_sentence_is_split_around_the_pact(sample_all: ExtractionResult) -> None:
    pact = claim_with(sample_all.claims, "a defense pact signed")
    assert pact.text == "a defense pact signed between Russia and North Korea in June 2024."
    framing = claim_with(sample_all.claims, "Analysts are closely monitoring")
    assert framing.end <= pact.start


def test_claim_types_and_facts(sample_all: ExtractionResult) -> None:
    claims = sample_all.claims
    spectators = claim_with(claims, "50,000 spectators")
    assert {"quantity", "prediction"} <= set(spectators.types)
    fact = next(f for f in spectators.facts if f["kind"] == "quantity")
    assert fact == {
        "kind": "quantity",
        "value": 50000,
        "unit": "spectators",
        "hedge": "approx",
        "text": "around 50,000",
        "start": fact["start"],
        "end": fact["end"],
    }

    meeting = claim_with(claims, "October 17, 2023")
    assert {"time", "comparison", "event"} <= set(meeting.types)
    date_fact = next(f for f in meeting.facts if f["kind"] == "date" and "2023" in f["text"])
    assert date_fact["iso"] == "2023-10-17"
    wednesday = next(f for f in meeting.facts if f["text"] == "Wednesday")
    assert wednesday["iso"] == "2025-09-03"
    assert wednesday["resolved_from"] == "dateline"

    friend = claim_with(claims, "old friend")
    assert "quote" in friend.types
    quote = next(f for f in friend.facts if f["kind"] == "quote")
    assert quote["text"] == "old friend"
    assert quote["speaker"] == "Xi Jinping"

    hegemony = claim_with(claims, "hegemonism")
    quote = next(f for f in hegemony.facts if f["kind"] == "quote")
    assert quote["speaker"] == "Xi Jinping"

    agency = claim_with(claims, "intelligence agency estimates")
    assert {"quantity", "attribution"} <= set(agency.types)
    attribution = next(f for f in agency.facts if f["kind"] == "attribution")
    assert attribution["source"] == "South Korea’s intelligence agency"
    assert attribution["cue"] == "estimates"

    troops = claim_with(claims, "over 15,000")
    assert "attribution" in troops.types
    q = next(f for f in troops.facts if f["kind"] == "quantity")
    assert (q["value"], q["hedge"], q["unit"]) == (15000, "gt", "troops")

    gas = claim_with(claims, "Gazprom")
    assert "event" in gas.types

    largest = claim_with(claims, "largest multilateral")
    assert "comparison" in largest.types

    anniversary = claim_with(claims, "80 years since")
    anniv = next(f for f in anniversary.facts if f["kind"] == "date")
    assert anniv["date_kind"] == "anniversary"
    assert "time" in anniversary.types

    gas_term = claim_with(claims, "three decades")
    assert {"quantity", "time", "prediction"} <= set(gas_term.types)
    for c in claims:
        assert all(e.label for e in c.entities)
    assert any(e.label == "PERSON" and e.text == "Xi Jinping" for e in claims[0].entities)


def test_causal_type(nlp: Any) -> None:
    text = "Prices rose 12 percent in 2022 because the drought cut the harvest."
    [claim] = extract_claims(text, nlp=nlp, scorer=ClaimScorer(None)).claims
    assert {"causal", "quantity", "time"} <= set(claim.types)


def test_min_score_filters(nlp: Any, sample_text: str, sample_cues: ExtractionResult) -> None:
    kept = extract_claims(sample_text, nlp=nlp, scorer=ClaimScorer(None), min_score=0.5).claims
    assert kept
    assert all(c.score >= 0.5 for c in kept)
    assert len(kept) < len(sample_cues.claims)


def test_progress_and_cancellation(nlp: Any, cue_scorer: ClaimScorer) -> None:
    text = "\n\n".join(
        f"Paragraph {i} says 1{i},000 people came on May {i % 28 + 1}." for i in range(20)
    )
    calls: list[tuple[int, int, str]] = []
    extract_claims(
        text, nlp=nlp, scorer=cue_scorer, progress=lambda d, t, lbl: calls.append((d, t, lbl))
    )
    assert calls[0][:2] == (0, 20)
    assert calls[-1][:2] == (20, 20)
    assert [d for d, _t, _l in calls] == sorted(d for d, _t, _l in calls)
    assert len(calls) == 1 + 3  # start, then one per batch of 8 paragraphs

    polls = 0

    def cancel_after_first_batch() -> bool:
        nonlocal polls
        polls += 1
        return polls > 2

    with pytest.raises(CancelledError):
        extract_claims(text, nlp=nlp, scorer=cue_scorer, is_cancelled=cancel_after_first_batch)


TRICKY = [
    "“Quoted,” she said — and then: «guillemets» ‘single’ 😀👍🏽 emoji family 👨‍👩‍👧 here.",
    "北京市人民政府于2023年10月17日宣布，约50,000人参加。这是第二句。",
    "قال الرئيس إن 15,000 جندي وصلوا. שלום עולם, 600 חיילים.",
    "Mixed RTL \u202eoverride\u202c text and zero\u200bwidth joiners e\u0301 combining marks.",
    "Line one\r\nLine two\u2028Line three\u2029Line four\n\n\n   \t  \nLast.",
    "Tabs\tand  multiple   spaces.  Trailing spaces   ",
]


@pytest.mark.parametrize("text", TRICKY)
def test_tricky_unicode_keeps_offsets(nlp: Any, cue_scorer: ClaimScorer, text: str) -> None:
    result = extract_claims(text, nlp=nlp, scorer=cue_scorer, min_score=0.0)
    assert_valid(text, result)
    assert result.claims


def test_sentence_without_punctuation_is_chunked(nlp: Any, cue_scorer: ClaimScorer) -> None:
    text = " ".join(
        f"word{i} and 1{i % 10},000 people" for i in range(700)
    )  # ~20 KB, one "sentence"
    result = extract_claims(text, nlp=nlp, scorer=cue_scorer, min_score=0.0)
    assert_valid(text, result)
    assert max(c.end - c.start for c in result.claims) <= segment.MAX_SENTENCE_CHARS
    covered = sum(c.end - c.start for c in result.claims)
    assert covered > 0.9 * len(text)


def test_one_megabyte_without_punctuation_is_cut_safely() -> None:
    # The spaCy pass over 1 MB is benchmark material; here the cutting itself
    # is checked on the full size: every piece bounded, in order, lossless.
    text = "x" * 300_000 + " " + "y" * 700_000
    pieces = segment.chunks(text)
    assert all(p.end - p.start <= segment.MAX_CHUNK_CHARS for p in pieces)
    assert "".join(p.text for p in pieces) == text.replace(" ", "")
    assert all(text[p.start : p.end] == p.text for p in pieces)


def test_empty_and_blank_text(nlp: Any, cue_scorer: ClaimScorer) -> None:
    for text in ("", "   \n\n  ", "...", "— — —"):
        assert extract_claims(text, nlp=nlp, scorer=cue_scorer, min_score=0.0).claims == []


def test_analyse_span_without_spacy() -> None:
    text = "South Korea’s intelligence agency estimates that around 600 soldiers died in June 2024."
    claim = analyse_span(text, offset=100, scorer=ClaimScorer(None))
    assert (claim.start, claim.end) == (100, 100 + len(text))
    assert claim.score >= 0.5
    assert {"quantity", "time", "attribution"} <= set(claim.types)
    q = next(f for f in claim.facts if f["kind"] == "quantity")
    assert text[q["start"] - 100 : q["end"] - 100] == "around 600"


def test_two_independent_checkable_clauses_give_two_claims(nlp: Any) -> None:
    text = "Exports fell 12 percent in 2023, and the deficit reached $40 billion last year."
    claims = extract_claims(text, nlp=nlp, scorer=ClaimScorer(None), min_score=0.0).claims
    assert [c.text for c in claims] == [
        "Exports fell 12 percent in 2023",
        "the deficit reached $40 billion last year.",
    ]
    assert all(c.score >= 0.5 for c in claims)
    plain = "He went home and she stayed."
    assert len(extract_claims(plain, nlp=nlp, scorer=ClaimScorer(None), min_score=0.0).claims) == 1


class HalfModel:
    """A real ProbabilityModel that is undecided about everything; it drives
    the threaded path (scoring overlapping parsing) used with trained models."""

    name = "half"
    description = "Always 0.5."

    def __init__(self) -> None:
        self.calls = 0

    def predict(self, sentences: Sequence[str]) -> list[float]:
        self.calls += 1
        return [0.5] * len(sentences)


def test_model_path_matches_cue_path_spans_and_cancels(nlp: Any) -> None:
    text = "\n\n".join(
        f"Officials said {i + 2},000 people attended on May {i % 28 + 1}. Analysts are watching."
        for i in range(20)
    )
    model = HalfModel()
    with_model = extract_claims(text, nlp=nlp, scorer=ClaimScorer(model), min_score=0.0)
    cue_only = extract_claims(text, nlp=nlp, scorer=ClaimScorer(None), min_score=0.0)
    assert [(c.start, c.end) for c in with_model.claims] == [
        (c.start, c.end) for c in cue_only.claims
    ]
    assert model.calls == 3  # one call per batch of 8 paragraphs
    assert with_model.scorer_name == "half+cues"
    assert_valid(text, with_model)

    polls = 0

    def cancel_later() -> bool:
        nonlocal polls
        polls += 1
        return polls > 2

    with pytest.raises(CancelledError):
        extract_claims(text, nlp=nlp, scorer=ClaimScorer(HalfModel()), is_cancelled=cancel_later)


def test_wire_dateline_and_institution_sources(nlp: Any) -> None:
    text = (
        "LONDON — The Bank of England raised interest rates to 5.25% on Thursday.\n"
        "According to the Office for National Statistics, prices rose 7.9% in the year to June.\n"
        "Mortgage approvals fell to 54,600 in June, data from the Bank showed.\n"
        "NATO - the alliance - met in June."
    )
    claims = extract_claims(text, nlp=nlp, scorer=ClaimScorer(None), min_score=0.0).claims
    assert claims[0].text.startswith("The Bank of England")
    sources = [f["source"] for c in claims for f in c.facts if f["kind"] == "attribution"]
    assert "the Office for National Statistics" in sources
    assert "data from the Bank" in sources
    assert claims[-1].text.startswith("NATO")
