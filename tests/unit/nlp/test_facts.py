"""Quote speakers, attribution sources and date facts, on real spaCy parses."""

from __future__ import annotations

from datetime import date
from typing import Any

from workbench.core.nlp.facts import date_fact
from workbench.core.nlp.facts.attribution import find_attributions
from workbench.core.nlp.facts.quotes import find_quotes
from workbench.core.nlp.facts.speakers import person_names
from workbench.core.nlp.temporal import find_dates


def quotes_of(nlp: Any, text: str, names: tuple[str, ...] = ()) -> list[tuple[str, str | None]]:
    doc = nlp(text)
    out = []
    for sent in doc.sents:
        known = [*names, *person_names(sent, up_to=sent.end_char)]
        for q in find_quotes(sent, names=known):
            assert text[q.start : q.end] == q.text
            out.append((q.text, q.speaker))
    return out


def sources_of(nlp: Any, text: str) -> list[tuple[str | None, str]]:
    doc = nlp(text)
    out = []
    for sent in doc.sents:
        for a in find_attributions(sent, names=person_names(sent)):
            assert a.start < a.end
            if a.source is not None:
                assert text[a.start : a.end].strip(" ,“”").startswith(a.source.split()[0])
            out.append((a.source, a.cue))
    return out


def test_quote_speaker_through_participle_and_name_resolution(nlp: Any) -> None:
    text = (
        "China’s President Xi Jinping has convened Vladimir Putin in Beijing. "
        "Xi did not shy away from criticizing Western hegemony, "
        "stating, “We must continue to take a clear stand against hegemonism.”"
    )
    assert quotes_of(nlp, text) == [
        ("We must continue to take a clear stand against hegemonism.", "Xi Jinping")
    ]


def test_partial_quote_with_describe(nlp: Any) -> None:
    text = "Xi described Putin as his “old friend” during talks."
    assert quotes_of(nlp, text, names=("Xi Jinping",)) == [("old friend", "Xi Jinping")]


def test_quote_before_said_and_straight_quotes(nlp: Any) -> None:
    text = '"We will not back down from this fight," said Senator Maria Lopez.'
    [(quoted, speaker)] = quotes_of(nlp, text)
    assert quoted.startswith("We will not back down")
    assert speaker is not None and "Lopez" in speaker


def test_pronoun_speaker_resolves_to_last_person(nlp: Any) -> None:
    text = "Angela Merkel spoke in Berlin. She said “the budget will balance by 2025”."
    doc = nlp(text)
    names = person_names(doc[:])
    sent = list(doc.sents)[1]
    [quote] = find_quotes(sent, names=names)
    assert quote.speaker == "Angela Merkel"


def test_slogans_are_not_quotes(nlp: Any) -> None:
    text = "The parade will counteract U.S. President Donald Trump’s “America First” policies."
    assert quotes_of(nlp, text) == []


def test_attribution_sources(nlp: Any) -> None:
    assert ("South Korea’s intelligence agency", "estimates") in sources_of(
        nlp, "South Korea’s intelligence agency estimates that around 600 soldiers have died."
    )
    assert ("reports", "indicate") in sources_of(
        nlp, "Reports indicate that over 15,000 troops have been deployed."
    ) or ("Reports", "indicate") in sources_of(
        nlp, "Reports indicate that over 15,000 troops have been deployed."
    )
    found = sources_of(nlp, "According to the World Health Organization, 300 people died.")
    assert found[0][1] == "according to"
    assert found[0][0] is not None and "World Health Organization" in found[0][0]


def test_unnamed_passive_source_and_no_false_source(nlp: Any) -> None:
    found = sources_of(nlp, "Kim’s armored train was confirmed to have arrived in Beijing.")
    assert (None, "confirmed") in found
    found = sources_of(nlp, "Troops were deployed, with significant casualties reported.")
    assert all(source != "significant casualties" for source, _cue in found)
    assert sources_of(nlp, "I think it shows that we need change.") == []


def test_date_fact_from_temporal() -> None:
    text = "The parade will be held on Wednesday. The pact was signed in June 2024."
    facts = [date_fact(m) for m in find_dates(text, dateline=date(2025, 9, 1))]
    by_text = {f["text"]: f for f in facts}
    assert by_text["June 2024"]["iso"] == "2024-06"
    assert by_text["June 2024"]["resolved_from"] == "text"
    wednesday = next(f for f in facts if "Wednesday" in f["text"])
    assert wednesday["iso"] == "2025-09-03"
    assert wednesday["resolved_from"] == "dateline"
    for f in facts:
        assert f["kind"] == "date"
        assert text[f["start"] : f["end"]] == f["text"]
