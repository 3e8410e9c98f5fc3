"""The bundled sample article: the findings issue 7 requires, and no others."""

from __future__ import annotations

from datetime import date
from importlib.resources import files

import pytest

from workbench.core.nlp.consistency import ConsistencyReport, check_article


@pytest.fixture(scope="module")
def sample() -> str:
    path = files("workbench.resources") / "samples" / "beijing-summit-article.txt"
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def report(sample: str) -> ConsistencyReport:
    return check_article(sample)


def test_dateline_is_found_in_the_text(sample: str, report: ConsistencyReport) -> None:
    assert report.dateline == date(2023, 10, 17)
    assert report.dateline_origin == "text"
    assert report.dateline_span is not None
    s, e = report.dateline_span
    assert sample[s:e] == "October 17, 2023"


def test_june_2024_pact_is_an_anachronism(sample: str, report: ConsistencyReport) -> None:
    found = [f for f in report.findings if f.kind == "anachronism"]
    assert len(found) == 1
    f = found[0]
    texts = [sample[s:e] for s, e in f.spans]
    assert any("June 2024" in t and "signed" in t for t in texts)
    assert "October 17, 2023" in texts
    assert "2023-10-17" in f.message
    assert "June 2024" in f.message
    assert "dateline found in text" in f.message
    assert f.dateline_used == date(2023, 10, 17)
    assert f.confidence >= 0.7


def test_eighty_years_since_japans_defeat_implies_2025(
    sample: str, report: ConsistencyReport
) -> None:
    found = [f for f in report.findings if f.kind == "anniversary"]
    assert len(found) == 1
    f = found[0]
    texts = [sample[s:e] for s, e in f.spans]
    assert "80 years since Japan’s defeat in World War II" in texts
    assert "October 17, 2023" in texts
    assert "1945" in f.message
    assert "2025" in f.message
    assert "2023-10-17" in f.message


def test_us_president_trump_in_2023_is_an_office_term_finding(
    sample: str, report: ConsistencyReport
) -> None:
    found = [f for f in report.findings if f.kind == "office_term"]
    assert len(found) == 1
    f = found[0]
    assert [sample[s:e] for s, e in f.spans] == ["U.S. President Donald Trump", "October 17, 2023"]
    assert "2017-01-20 to 2021-01-20" in f.message
    # A stretch rule: less sure than the date arithmetic.
    anachronism = next(x for x in report.findings if x.kind == "anachronism")
    assert f.confidence < anachronism.confidence


def test_nothing_else_is_flagged(report: ConsistencyReport) -> None:
    assert sorted(f.kind for f in report.findings) == ["anachronism", "anniversary", "office_term"]


def test_metadata_dateline_in_2025_clears_the_date_findings(sample: str) -> None:
    # Dated to the real parade (3 September 2025), the anniversary and the
    # pact both fit, and Trump was in office; but "held on October 17, 2023"
    # now lies in the past, which is no contradiction.
    report = check_article(sample, dateline=date(2025, 9, 3))
    assert report.findings == []
