"""find_quantities: values, units, hedges and offsets (no spaCy)."""

from __future__ import annotations

import pytest

from workbench.core.nlp.facts.quantities import find_quantities


def one(text: str) -> tuple[object, object, str, str]:
    found = find_quantities(text)
    assert len(found) == 1, found
    q = found[0]
    assert text[q.start : q.end] == q.text
    return q.value, q.unit, q.hedge, q.text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("around 50,000 spectators", (50000, "spectators", "approx", "around 50,000")),
        ("about 12 people", (12, "people", "approx", "about 12")),
        ("nearly 3 million barrels", (3_000_000, "barrels", "approx", "nearly 3 million")),
        ("some 2.5 million people", (2_500_000, "people", "approx", "some 2.5 million")),
        ("roughly 40 ships", (40, "ships", "approx", "roughly 40")),
        ("more than 80,000 peace doves", (80000, "peace doves", "gt", "more than 80,000")),
        ("over 15,000 North Korean troops", (15000, "troops", "gt", "over 15,000")),
        ("at least 600 soldiers", (600, "soldiers", "gte", "at least 600")),
        ("fewer than 20 votes", (20, "votes", "lt", "fewer than 20")),
        ("up to 1,000 troops", (1000, "troops", "lte", "up to 1,000")),
        ("600 North Korean soldiers", (600, "soldiers", "exact", "600")),
        ("1,000 or more people", (1000, "people", "gte", "1,000")),
    ],
)
def test_hedges_and_units(text: str, expected: tuple[object, ...]) -> None:
    assert one(text) == expected


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("a $2.5 billion deal", 2_500_000_000, "USD"),
        ("£3bn of aid", 3_000_000_000, "GBP"),
        ("€40 million", 40_000_000, "EUR"),
        ("400 million dollars", 400_000_000, "USD"),
        ("50% of voters", 50, "%"),
        ("rose 5 percent", 5, "%"),
        ("up 3.5 percentage points", 3.5, "percentage points"),
        ("three decades of supply", 3, "decades"),
        ("twenty-five people", 25, "people"),
        ("a 10-year deal", 10, "year"),
    ],
)
def test_money_percent_and_words(text: str, value: object, unit: str) -> None:
    v, u, _hedge, _t = one(text)
    assert (v, u) == (value, unit)


def test_ranges() -> None:
    q = find_quantities("between 10 and 20 people were hurt")[0]
    assert (q.value, q.high, q.hedge, q.unit, q.text) == (
        10,
        20,
        "range",
        "people",
        "between 10 and 20",
    )
    q = find_quantities("10-20 soldiers")[0]
    assert (q.value, q.high, q.hedge) == (10, 20, "range")


@pytest.mark.parametrize(
    "text",
    [
        "in 2024 the pact was signed",
        "signed in June 2024",
        "held on October 17, 2023",
        "on 17 October",
        "at 10:30 a.m.",
        "COVID-19 spread",
        "the G7 summit",
        "the two nations agreed",
        "one of the leaders",
        "in the 1990s",
    ],
)
def test_dates_names_and_references_are_not_quantities(text: str) -> None:
    assert find_quantities(text) == []


def test_offsets_are_absolute_and_facts_are_json() -> None:
    text = "Reports say “over 15,000” — and then 600 more. 😀 約 80,000 人"
    for q in find_quantities(text):
        assert text[q.start : q.end] == q.text
        fact = q.to_fact()
        assert fact["kind"] == "quantity"
        assert set(fact) >= {"value", "unit", "hedge", "text", "start", "end"}


def test_sample_article_figures(sample_text: str) -> None:
    found = {(q.value, q.unit, q.hedge) for q in find_quantities(sample_text)}
    assert (50000, "spectators", "approx") in found
    assert (15000, "troops", "gt") in found
    assert (600, "soldiers", "approx") in found
    assert (80000, "peace doves", "gt") in found
    assert (3, "decades", "exact") in found
    assert (80, "years", "exact") in found
    # Years and days of the month are dates, not quantities.
    assert not any(v in (2023, 2024, 17) for v, _u, _h in found)


@pytest.mark.parametrize(
    ("text", "units"),
    [
        # A participle or a finite verb after the noun starts the predicate.
        ("The 12,000 troops deployed there wait.", ["troops"]),
        ("3 million people living abroad", ["people"]),
        ("5,000 people said they would vote", ["people"]),
        # Two-word units still hold when the second word is a noun.
        ("more than 80,000 peace doves", ["peace doves"]),
        ("40 cubic metres of water", ["cubic metres"]),
        ("200 armed forces", ["armed forces"]),
        # "X out of Y nouns": both figures count the nouns.
        ("Police said 500 out of 300 officers attended.", ["officers", "officers"]),
        ("500 out of some 3 million voters", ["voters", "voters"]),
    ],
)
def test_units_stop_at_the_verb_and_cross_out_of(text: str, units: list[str]) -> None:
    assert [q.unit for q in find_quantities(text)] == units
