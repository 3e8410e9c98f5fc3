"""Date and time expressions: forms, normalisation, relative resolution."""

from __future__ import annotations

import itertools
from datetime import date

import pytest

from workbench.core.nlp.temporal import (
    DateMention,
    find_dates,
    parse_number,
    parse_ordinal,
    resolve_weekday,
    sentence_spans,
    tense_hint,
)

DL = date(2023, 10, 17)  # a Tuesday


def only(text: str, dateline: date | None = DL) -> DateMention:
    found = find_dates(text, dateline=dateline)
    assert len(found) == 1, found
    m = found[0]
    assert text[m.start : m.end] == m.text
    return m


@pytest.mark.parametrize(
    ("text", "iso", "weekday"),
    [
        ("It was held on October 17, 2023.", "2023-10-17", 1),
        ("It was held on Oct. 17, 2023.", "2023-10-17", 1),
        ("It was held on 17 October 2023.", "2023-10-17", 1),
        ("It was held on the 17th of October, 2023.", "2023-10-17", 1),
        ("Published 2023-10-17 in print.", "2023-10-17", 1),
        ("On Sept 3 1945 the war ended.", "1945-09-03", 0),
        ("It was held on February 29, 2024.", "2024-02-29", 3),
    ],
)
def test_absolute_dates(text: str, iso: str, weekday: int) -> None:
    m = only(text)
    assert m.kind == "absolute"
    assert m.iso == iso
    assert m.weekday == weekday
    assert m.resolved_from == "text"
    assert not m.weekday_stated


def test_stated_weekday_is_kept_not_recomputed() -> None:
    m = only("The talks began on Wednesday, October 17, 2023, in Beijing.")
    assert m.kind == "absolute"
    assert m.text == "Wednesday, October 17, 2023"
    assert m.weekday == 2  # as written, although the calendar says Tuesday
    assert m.weekday_stated
    assert m.as_date() == date(2023, 10, 17)


def test_impossible_date_is_not_a_day() -> None:
    kinds = [m.kind for m in find_dates("It was signed on February 30, 2023.")]
    assert "absolute" not in kinds


def test_yearless_date_takes_year_from_dateline_and_tense() -> None:
    m = only("The summit opened on October 20.")
    assert m.iso == "2023-10-20"
    assert m.resolved_from == "dateline"
    past = only("Snow fell on December 28 and was cleared.", date(2024, 1, 5))
    assert past.iso == "2023-12-28"
    assert only("Talks are scheduled for December 3.", date(2024, 11, 20)).iso == "2024-12-03"
    assert only("The summit opened on October 20.", None).iso is None


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("The pact was signed in June 2024.", "2024-06"),
        ("Prices rose in June of 2021.", "2021-06"),
        ("By Dec. 2022 the work had ended.", "2022-12"),
    ],
)
def test_month_year(text: str, iso: str) -> None:
    m = only(text)
    assert m.kind == "month_year"
    assert m.iso == iso


@pytest.mark.parametrize(
    "text",
    ["The plant opened in 2019.", "Since 1998, output grew.", "It peaked in the summer of 2015."],
)
def test_years(text: str) -> None:
    m = only(text)
    assert m.kind == "year"
    assert m.iso == m.text


@pytest.mark.parametrize(
    "text",
    [
        "They sent 2000 troops.",
        "The fee was $2019 a month.",
        "Turnout hit 2023%.",
        "Call 1999 5555.",
    ],
)
def test_numbers_that_are_not_years(text: str) -> None:
    assert [m for m in find_dates(text) if m.kind == "year"] == []


@pytest.mark.parametrize(
    ("text", "iso", "tense"),
    [
        ("Sales fell last year.", "2022", "past"),
        ("Sales will rise next year.", "2024", "future"),
        ("Output doubled earlier this year.", "2023", "past"),
        ("Talks resume next month.", "2023-11", "future"),
        ("He resigned last month.", "2023-09", "past"),
        ("She arrived two years ago.", "2021", "past"),
        ("It ended 3 days ago.", "2023-10-14", "past"),
        ("It opens in three years.", "2026", "future"),
        ("The vote is today.", "2023-10-17", "present"),
        ("The vote was yesterday.", "2023-10-16", "past"),
        ("The vote is tomorrow.", "2023-10-18", "future"),
        ("It happened last October.", "2022-10", "past"),
        ("It happens next March.", "2024-03", "future"),
    ],
)
def test_relative_expressions_resolve_against_dateline(text: str, iso: str, tense: str) -> None:
    m = only(text)
    assert m.kind == "relative"
    assert m.iso == iso
    assert m.resolved_from == "dateline"
    assert m.tense == tense


def test_relative_expressions_without_dateline_stay_unresolved() -> None:
    m = only("Sales fell last year.", None)
    assert m.kind == "relative"
    assert m.iso is None
    assert m.resolved_from is None
    assert m.unit == "year"


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("The parade will be held on Wednesday.", "2023-10-18"),
        ("The parade kicks off this Wednesday.", "2023-10-18"),
        ("He spoke on Monday, officials said.", "2023-10-16"),
        ("He spoke last Wednesday.", "2023-10-11"),
        ("He speaks next Tuesday.", "2023-10-24"),
        ("The deadline is Friday.", "2023-10-20"),
    ],
)
def test_weekdays(text: str, iso: str) -> None:
    m = only(text)
    assert m.kind == "weekday"
    assert m.iso == iso
    assert m.resolved_from == "dateline"


def test_habitual_weekday_is_not_a_date() -> None:
    assert find_dates("The market opens on Mondays.") == []


def test_resolve_weekday_rules() -> None:
    assert resolve_weekday(1, DL, modifier=None, tense=None) == DL
    assert resolve_weekday(1, DL, modifier="next", tense=None) == date(2023, 10, 24)
    assert resolve_weekday(1, DL, modifier="last", tense=None) == date(2023, 10, 10)
    assert resolve_weekday(0, DL, modifier="this", tense=None) == date(2023, 10, 16)
    assert resolve_weekday(0, DL, modifier=None, tense="future") == date(2023, 10, 23)


def test_anniversary_since() -> None:
    text = (
        "The parade will commemorate 80 years since Japan’s defeat in World War II, officials say."
    )
    m = only(text)
    assert m.kind == "anniversary"
    assert m.amount == 80
    assert m.unit == "year"
    assert m.event == "Japan’s defeat in World War II"
    assert m.event_span is not None
    assert text[m.event_span[0] : m.event_span[1]] == m.event
    assert m.iso == "1943"  # the event year the sentence implies, given the dateline


@pytest.mark.parametrize(
    ("text", "amount", "event"),
    [
        ("It marks the 75th anniversary of the founding of NATO.", 75, "the founding of NATO"),
        (
            "It marks the seventy-fifth anniversary of the moon landing.",
            75,
            "the moon landing",
        ),
        ("Two decades since the attacks, the site is calm.", 2, "the attacks"),
        ("The 50th anniversary of the coup was quiet.", 50, "the coup"),
    ],
)
def test_anniversary_forms(text: str, amount: int, event: str) -> None:
    m = next(x for x in find_dates(text, dateline=DL) if x.kind == "anniversary")
    assert m.amount == amount
    assert m.event == event


def test_decades_since_counts_years() -> None:
    m = only("Two decades since the attacks, the site is calm.")
    assert m.unit == "decade"
    assert m.iso == "2003"


@pytest.mark.parametrize(
    ("text", "amount", "unit", "tense"),
    [
        ("Supply is ensured over the next three decades.", 3, "decade", "future"),
        ("Prices rose over the past two years.", 2, "year", "past"),
        ("Output fell during the last year.", 1, "year", "past"),
        ("He served for 30 years.", 30, "year", None),
        ("They signed a 10-year deal.", 10, "year", None),
    ],
)
def test_durations(text: str, amount: int, unit: str, tense: str | None) -> None:
    m = only(text)
    assert m.kind == "duration"
    assert m.amount == amount
    assert m.unit == unit
    if tense is not None:
        assert m.tense == tense


def test_sample_article_dates() -> None:
    from importlib.resources import files

    text = (files("workbench.resources") / "samples" / "beijing-summit-article.txt").read_text(
        encoding="utf-8"
    )
    found = find_dates(text, dateline=DL)
    by_text = {m.text: m for m in found}
    assert by_text["October 17, 2023"].iso == "2023-10-17"
    assert by_text["June 2024"].iso == "2024-06"
    assert by_text["June 2024"].tense == "past"
    assert by_text["this Wednesday"].iso == "2023-10-18"
    assert by_text["over the next three decades"].kind == "duration"
    anniv = [m for m in found if m.kind == "anniversary"]
    assert len(anniv) == 1
    assert anniv[0].amount == 80
    for m in found:
        assert text[m.start : m.end] == m.text


def test_mentions_are_sorted_and_disjoint() -> None:
    text = "On Tuesday, October 17, 2023, in 2023, last year, two years ago and next Friday."
    found = find_dates(text, dateline=DL)
    for a, b in itertools.pairwise(found):
        assert a.end <= b.start


def test_to_json_is_serialisable() -> None:
    import json

    m = only("Sales fell last year.")
    data = m.to_json()
    assert json.loads(json.dumps(data))["iso"] == "2022"
    assert data["type"] == "date"


def test_number_words() -> None:
    assert parse_number("eighty") == 80
    assert parse_number("seventy-five") == 75
    assert parse_number("a") == 1
    assert parse_number("12") == 12
    assert parse_number("zillion") is None
    assert parse_ordinal("75th") == 75
    assert parse_ordinal("seventy-fifth") == 75
    assert parse_ordinal("hundredth") == 100
    assert parse_ordinal("twentieth") == 20


def test_sentences_do_not_split_at_abbreviations() -> None:
    text = "U.S. President George W. Bush spoke on Oct. 3. Then he left."
    spans = sentence_spans(text)
    assert [text[s:e] for s, e in spans] == [
        "U.S. President George W. Bush spoke on Oct. 3.",
        "Then he left.",
    ]


@pytest.mark.parametrize(
    ("text", "mention", "tense"),
    [
        # The verb before the date governs it, even with another verb after.
        ("The leaders will meet on March 3 and signed nothing yet.", "March 3", "future"),
        ("The pact signed in June 2024 will be reviewed.", "June 2024", "past"),
        ("The treaty will be signed on May 1.", "May 1", "future"),
        # A clause break ends the search: the relative clause's verbs are not the date's.
        (
            "Xi will host the parade on September 3, which officials said was planned.",
            "September 3",
            "future",
        ),
        ("The summit, which will open on Friday, was announced last week.", "Friday", "future"),
        # A fronted date takes the verb after it; "and" joining nouns breaks nothing.
        ("On Monday the ministers signed the deal.", "Monday", "past"),
        ("On March 3 and 4 the ministers met.", "March 3", "past"),
        ("A pact signed between Russia and North Korea in June 2024.", "June 2024", "past"),
    ],
)
def test_tense_hint_reads_the_date_s_own_clause(text: str, mention: str, tense: str) -> None:
    start = text.index(mention)
    assert tense_hint(text, start, start + len(mention), sentence=(0, len(text))) == tense
