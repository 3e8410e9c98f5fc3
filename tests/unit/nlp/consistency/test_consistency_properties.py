"""Property tests: the checker and the date finder never raise, spans stay valid."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.core.nlp.consistency import check_article, find_dateline
from workbench.core.nlp.temporal import find_dates

_PIECES = [
    "On Wednesday, October 17, 2023, ",
    "held on 17 October 2023",
    "80 years since Japan’s defeat in World War II",
    "the 75th anniversary of the founding of NATO",
    "signed in June 2024",
    "U.S. President Donald Trump",
    "former President",
    "yesterday, Monday,",
    "120% of voters",
    "500 of the 300 delegates",
    "over 15,000 troops have been deployed",
    "12,000 troops deployed",
    "including 200 women and 150 men",
    "last year",
    "next month",
    "over the next three decades",
    "February 30, 2023",
    "in 2019",
    "“quoted”",
    "—",
    "\n\n",
    ". ",
    ", ",
    " ",
    "日本",
    "مرحبا",
    "🎉",
]

texts = st.one_of(
    st.text(max_size=300),
    st.lists(st.sampled_from(_PIECES) | st.text(max_size=8), max_size=25).map("".join),
)
datelines = st.none() | st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31))


@settings(max_examples=150, deadline=None)
@given(text=texts, dateline=datelines)
def test_find_dates_never_raises_and_spans_are_valid(text: str, dateline: date | None) -> None:
    found = find_dates(text, dateline=dateline)
    last = 0
    for m in found:
        assert 0 <= m.start < m.end <= len(text)
        assert text[m.start : m.end] == m.text
        assert m.start >= last
        last = m.end


@settings(max_examples=150, deadline=None)
@given(text=texts, dateline=datelines)
def test_check_article_never_raises_and_spans_are_valid(text: str, dateline: date | None) -> None:
    report = check_article(text, dateline=dateline)
    if dateline is not None:
        assert report.dateline == dateline
        assert report.dateline_origin == "metadata"
    for f in report.findings:
        assert f.spans
        for s, e in f.spans:
            assert 0 <= s < e <= len(text)
        assert 0.0 <= f.confidence <= 1.0
        assert f.fingerprint
    again = check_article(text, dateline=dateline)
    assert [f.fingerprint for f in again.findings] == [f.fingerprint for f in report.findings]


@settings(max_examples=100, deadline=None)
@given(text=texts)
def test_find_dateline_span_is_valid(text: str) -> None:
    found = find_dateline(text)
    if found is not None:
        d, (s, e) = found
        assert 0 <= s < e <= len(text)
        assert isinstance(d, date)
