"""Each consistency rule, positive and negative, plus dateline detection."""

from __future__ import annotations

from datetime import date

import pytest

from workbench.core.model import FlagFinding
from workbench.core.nlp.consistency import check_article, find_dateline
from workbench.core.nlp.consistency.anniversary import lookup_event, normalise_event

DL = date(2023, 10, 17)


def kinds(text: str, dateline: date | None = DL) -> list[str]:
    return sorted(f.kind for f in check_article(text, dateline=dateline).findings)


def single(text: str, kind: str, dateline: date | None = DL) -> FlagFinding:
    found = [f for f in check_article(text, dateline=dateline).findings if f.kind == kind]
    assert len(found) == 1, found
    f = found[0]
    assert 0.0 <= f.confidence <= 1.0
    for s, e in f.spans:
        assert 0 <= s < e <= len(text)
    return f


# --- dateline -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected", "span_text"),
    [
        ("This meeting, held on October 17, 2023, is set to matter.", date(2023, 10, 17), None),
        ("Published: 2024-02-05\nThe factory opened.", date(2024, 2, 5), "2024-02-05"),
        ("BERLIN, November 9, 2019 — Crowds gathered.", date(2019, 11, 9), None),
        ("March 3, 2021\nThe council met.", date(2021, 3, 3), None),
        (
            "Updated 12 May 2022. Since January 5, 2020, prices rose.",
            date(2022, 5, 12),
            "12 May 2022",
        ),
    ],
)
def test_find_dateline(text: str, expected: date, span_text: str | None) -> None:
    found = find_dateline(text)
    assert found is not None
    d, (s, e) = found
    assert d == expected
    if span_text is not None:
        assert text[s:e] == span_text


@pytest.mark.parametrize(
    "text",
    [
        "The council met on Monday to discuss the budget.",
        "Since January 5, 2020, prices have risen.",
        "It is 22 years since September 11, 2001, changed the city.",
        "The plan was first floated in June 2019.",
    ],
)
def test_no_dateline_in_history_or_partial_dates(text: str) -> None:
    assert find_dateline(text) is None


def test_dateline_far_down_the_article_is_not_used() -> None:
    text = "Intro paragraph.\nSecond paragraph.\nThird paragraph, held on October 17, 2023."
    assert find_dateline(text) is None


def test_metadata_dateline_wins_over_text() -> None:
    text = "The summit, held on October 17, 2023, ended.\nIt followed a pact signed in May 2022."
    report = check_article(text, dateline=date(2021, 1, 1))
    assert report.dateline == date(2021, 1, 1)
    assert report.dateline_origin == "metadata"
    assert report.dateline_span is None
    # Both dates lie after the metadata dateline, the one in the text included.
    assert [f.kind for f in report.findings] == ["anachronism", "anachronism"]
    assert all(f.dateline_used == date(2021, 1, 1) for f in report.findings)
    assert all("import metadata" in f.message for f in report.findings)


def test_without_any_dateline_date_rules_are_skipped() -> None:
    report = check_article("Following a pact signed in June 2024, ties grew.")
    assert report.dateline is None
    assert report.dateline_origin is None
    assert report.findings == []


# --- anachronism --------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Cooperation grew following a defense pact signed in June 2024.",
        "The treaty was ratified in March 2024 by both parliaments.",
        "In 2025, the two sides signed a border agreement.",
        "Prices have doubled since 2024.",
        "The bridge, which opened on December 3, 2023, carries 40,000 cars a day.",
    ],
)
def test_anachronism_positive(text: str) -> None:
    f = single(text, "anachronism")
    assert "2023-10-17" in f.message
    assert f.dateline_used == DL
    assert len(f.spans) == 1  # metadata dateline has no span in the text


@pytest.mark.parametrize(
    "text",
    [
        "The pact is expected to be signed in June 2024.",
        "Elections will be held in 2024.",
        "The cabinet must take office by March 2025.",
        "Talks are scheduled for January 2024.",
        "A pact signed in June 2023 deepened ties.",
        "The plan runs until 2030.",
        "The summit opened on October 18, 2023, officials said.",
        "Construction, planned for 2026, will start soon.",
        "The plant's capacity in 2030 is projected to double.",
    ],
)
def test_anachronism_negative(text: str) -> None:
    assert "anachronism" not in kinds(text)


def test_anachronism_spans_name_both_sides_with_text_dateline() -> None:
    text = "The meeting, held on October 17, 2023, followed a pact signed in June 2024."
    f = single(text, "anachronism", None)
    texts = [text[s:e] for s, e in f.spans]
    assert texts == ["signed in June 2024", "October 17, 2023"]
    assert "dateline found in text" in f.message


# --- anniversary --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "dateline"),
    [
        ("The parade commemorates 80 years since Japan's defeat in World War II.", DL),
        ("Families mark 25 years since the September 11 attacks.", date(2021, 9, 11)),
        ("China marked the 60th anniversary of the founding of the PRC.", date(2019, 10, 1)),
        ("It is 40 years since the fall of the Berlin Wall.", date(2019, 11, 9)),
        ("Next year marks 90 years since the end of the Second World War.", DL),
        ("Today is 30 years since the 1994 genocide in Rwanda.", date(2014, 4, 7)),
    ],
)
def test_anniversary_positive(text: str, dateline: date) -> None:
    f = single(text, "anniversary", dateline)
    assert "years after" in f.message


@pytest.mark.parametrize(
    ("text", "dateline"),
    [
        (
            "The parade commemorates 80 years since Japan's defeat in World War II.",
            date(2025, 9, 3),
        ),
        # written ahead of the day: still within a year of the anniversary
        ("Preparations for 80 years since Japan's surrender begin.", date(2025, 1, 10)),
        ("Families mark 20 years since the 9/11 attacks.", date(2021, 9, 11)),
        (
            "It marks the 70th anniversary of the founding of the People's Republic.",
            date(2019, 10, 1),
        ),
        ("It is 50 years since the moon landing.", date(2019, 7, 20)),
        ("It is 80 years since an event nobody has heard of.", DL),
        ("In 2025, China will mark 80 years since Japan's defeat.", DL),
        ("It is 29 years since the 1994 genocide in Rwanda.", date(2023, 4, 7)),
    ],
)
def test_anniversary_negative(text: str, dateline: date) -> None:
    assert "anniversary" not in kinds(text, dateline)


def test_anniversary_uses_a_year_stated_in_the_same_sentence() -> None:
    f = single("In 2024, the city marked 70 years since Japan's defeat.", "anniversary", DL)
    assert f.dateline_used is None  # judged against 2024, not against the dateline
    assert "2024" in f.message


@pytest.mark.parametrize(
    ("phrase", "event_id"),
    [
        ("Japan’s defeat in World War II", "japan_surrender_wwii"),
        ("the end of the Second World War in Europe", "ve_day"),
        ("the end of WW2", "end_wwii"),
        ("the founding of the People's Republic of China", "prc_founding"),
        ("the fall of the Berlin Wall", "berlin_wall"),
        ("the first moon landing", "moon_landing"),
        ("the 9/11 attacks", "nine_eleven"),
        ("the outbreak of the First World War", "wwi_start"),
        ("the collapse of the Soviet Union", "ussr_dissolution"),
    ],
)
def test_historical_event_table(phrase: str, event_id: str) -> None:
    ev = lookup_event(phrase)
    assert ev is not None
    assert ev.id == event_id


def test_event_normalisation() -> None:
    assert normalise_event("Japan’s defeat in the Second  World War") == "japan's defeat in wwii"
    assert lookup_event("a lovely picnic") is None


# --- weekday -----------------------------------------------------------------


def test_weekday_stated_with_full_date_mismatch() -> None:
    text = "On Wednesday, October 17, 2023, the leaders met."
    f = single(text, "weekday", None)
    assert [text[s:e] for s, e in f.spans] == ["Wednesday", "October 17, 2023"]
    assert "Tuesday" in f.message
    assert f.confidence >= 0.9


def test_weekday_with_parenthesised_date() -> None:
    text = "The vote takes place on Friday (October 19, 2023) in the capital."
    f = single(text, "weekday")
    assert "Thursday" in f.message


def test_weekday_yearless_date_uses_dateline_year_with_lower_confidence() -> None:
    f = single("They meet again on Friday, October 19.", "weekday")
    assert f.confidence < 0.9
    assert f.dateline_used == DL


@pytest.mark.parametrize(
    "text",
    [
        "Rates were left unchanged yesterday, Wednesday, by the bank.",
        "The result will be announced tomorrow (Monday).",
        "Ministers meet today, Friday, in Brussels.",
    ],
)
def test_relative_day_weekday_mismatch(text: str) -> None:
    f = single(text, "weekday")
    assert "2023-10-17" in f.message


@pytest.mark.parametrize(
    "text",
    [
        "On Tuesday, October 17, 2023, the leaders met.",
        "Rates were left unchanged yesterday, Monday, by the bank.",
        "The result will be announced tomorrow (Wednesday).",
        "They meet again on Thursday, October 19.",
        "The parade is on Wednesday and the talks end on Friday.",
        "Markets open on Mondays.",
    ],
)
def test_weekday_negative(text: str) -> None:
    assert "weekday" not in kinds(text)


# --- numbers -----------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Officials claimed that 120% of registered voters backed the constitution.",
        "Some 105 percent of respondents said they approved.",
        "Turnout of 104% was reported in the district.",
    ],
)
def test_percentage_positive(text: str) -> None:
    f = single(text, "percentage")
    assert "100%" in f.message
    assert f.dateline_used is None


@pytest.mark.parametrize(
    "text",
    [
        "Exports rose 150% compared with last year.",
        "The country imposed a 145% tariff on the goods.",
        "Public debt stands at 120% of GDP.",
        "About 45% of respondents backed the plan.",
    ],
)
def test_percentage_negative(text: str) -> None:
    assert "percentage" not in kinds(text)


@pytest.mark.parametrize(
    "text",
    [
        "The 300 delegates, including 200 women and 150 men, approved it.",
        "Some 500 of the 300 delegates voted in favour.",
        "The 40 victims, of whom 45 were children, were buried.",
    ],
)
def test_parts_exceed_total_positive(text: str) -> None:
    f = single(text, "parts_exceed_total")
    assert len(f.spans) >= 2


@pytest.mark.parametrize(
    "text",
    [
        "The 300 delegates, including 120 women and 170 men, approved it.",
        "Of the 300 delegates, 120 were women.",
        "More than 300 delegates, including 200 women and 150 men, attended.",
        "A $5 billion package, including 300 tanks, was agreed.",
        "The 40 victims included 12 children.",
    ],
)
def test_parts_exceed_total_negative(text: str) -> None:
    assert "parts_exceed_total" not in kinds(text)


def test_same_quantity_two_values() -> None:
    text = (
        "Over 15,000 troops have been deployed to the front, officials said. "
        "The 12,000 troops deployed there face heavy shelling."
    )
    f = single(text, "numbers")
    assert [text[s:e] for s, e in f.spans] == ["Over 15,000", "12,000"]


@pytest.mark.parametrize(
    "text",
    [
        # compatible hedges
        "Over 15,000 troops have been deployed. The 16,000 troops deployed there wait.",
        # different verbs: different counts
        "Over 15,000 troops have been deployed. Around 600 troops have died.",
        # a change over time, not a contradiction
        "About 10,000 troops were deployed. Now 14,000 troops are deployed.",
        # a revised figure is news, not a contradiction
        "Officials said 1,200 homes were destroyed. Later counts said 1,500 homes were destroyed.",
        # the same sentence contrasts two figures on purpose
        "Some 5,000 troops were deployed in May and 9,000 troops deployed in June.",
    ],
)
def test_same_quantity_negative(text: str) -> None:
    assert "numbers" not in kinds(text)


# --- office terms --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "dateline"),
    [
        ("It counters U.S. President Donald Trump's policies, which have strained ties.", DL),
        ("U.S. President Joe Biden says the plan will go ahead.", date(2019, 5, 1)),
        ("Prime Minister Boris Johnson says energy prices will fall.", date(2023, 6, 1)),
        ("Chancellor Olaf Scholz will visit Paris.", date(2019, 3, 1)),
    ],
)
def test_office_term_positive(text: str, dateline: date) -> None:
    f = single(text, "office_term", dateline)
    assert dateline.isoformat() in f.message


@pytest.mark.parametrize(
    ("text", "dateline"),
    [
        ("Former President Donald Trump said he would run again.", DL),
        ("President Joe Biden is traveling to Europe.", DL),
        ("In 1962, President Kennedy faced the Soviet Union.", DL),
        ("President Kennedy's legacy is still debated.", DL),  # long-gone: historical
        ("Then-Vice President Joe Biden visited Kyiv.", date(2014, 4, 21)),
        ("Vice President Joe Biden visited Kyiv.", date(2014, 4, 21)),
        ("President-elect Joe Biden named his cabinet.", date(2020, 11, 20)),
        ("President Donald Trump signed the order last year.", DL),  # past tense narrative
        ("President Ellen Johnson Sirleaf spoke in Monrovia.", DL),
        ("Chinese President Xi Jinping hosted the summit.", DL),
    ],
)
def test_office_term_negative(text: str, dateline: date) -> None:
    assert "office_term" not in kinds(text, dateline)


# --- fingerprints ------------------------------------------------------------


def test_fingerprints_are_stable_and_distinct() -> None:
    text = (
        "The meeting, held on October 17, 2023, followed a pact signed in June 2024. "
        "U.S. President Donald Trump's policies will be discussed. "
        "It marks 80 years since Japan's defeat in World War II."
    )
    first = check_article(text).findings
    second = check_article(text).findings
    assert [f.fingerprint for f in first] == [f.fingerprint for f in second]
    assert len({f.fingerprint for f in first}) == len(first) == 3
    # Text added before the findings shifts every offset but keeps the fingerprints.
    shifted = check_article("Breaking news.\n" + text).findings
    assert {f.fingerprint for f in shifted} == {f.fingerprint for f in first}


def test_fingerprint_changes_with_the_dateline() -> None:
    text = "Ties deepened following a pact signed in June 2024."
    a = check_article(text, dateline=date(2023, 10, 17)).findings
    b = check_article(text, dateline=date(2023, 11, 1)).findings
    assert a[0].fingerprint != b[0].fingerprint
