"""Property-based tests: the importer, the extractor and the exporters on any input.

Modest example counts keep the suite fast; ``deadline=None`` because the
machine is shared and timing is not the property under test.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from workbench.core.errors import UserInputError
from workbench.core.model import Stance, Verdict
from workbench.core.services import importing

FUZZ = settings(
    deadline=None,
    max_examples=60,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    derandomize=True,
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

words = st.sampled_from(
    [
        "The", "minister", "said", "budget", "rose", "by", "5%", "in", "2023", "officials",
        "“quoted”", "Beijing", "$3.2 billion", "according to", "Dr.", "U.S.", "doubled", "since",
        "Monday", "—", "٣٤", "北京", "👍🏽", "e\u0301", "\u202e", "\u00a0", "\t", "\n", "\r\n", ".",
        "!", "?", ";", ",", '"', "'", "(", ")", "<b>", "&amp;", "</script>", "",
    ]
)  # fmt: skip
prose = st.lists(words, max_size=80).map(" ".join)
any_text = st.one_of(st.text(max_size=400), prose)


# --- importer -------------------------------------------------------------------------


@FUZZ
@given(data=st.binary(max_size=4096), html=st.booleans())
def test_from_bytes_only_refuses_with_user_input_error(data: bytes, html: bool) -> None:
    try:
        result = importing.from_bytes(data, name="fuzz", html=html)
    except UserInputError as exc:
        line = exc.one_line()
    else:
        line = None
    if line is not None:
        assert line and "\n" not in line
        return
    assert result.text
    assert importing.clean_text(result.text) == result.text  # stored text is a fixed point
    assert "\r" not in result.text and not _CONTROL.search(result.text)


@FUZZ
@given(text=any_text)
def test_clean_text_is_stable(text: str) -> None:
    """Claim offsets point into the cleaned text, so cleaning must be idempotent."""
    once = importing.clean_text(text)
    assert importing.clean_text(once) == once
    assert importing.clean_text(text) == once  # deterministic
    assert once == once.strip() and "\r" not in once and not _CONTROL.search(once)


@FUZZ
@given(text=any_text)
def test_reimporting_clean_text_keeps_every_offset(text: str) -> None:
    """Exporting an article's text and importing it again gives the same string."""
    clean = importing.clean_text(text)
    assume(clean)
    try:
        again = importing.from_bytes(clean.encode("utf-8"), name="fuzz")
    except UserInputError:
        return  # e.g. text that happens to start like HTML or a file signature
    if not again.text.startswith("<"):
        assert again.text == clean


# --- extractor ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pipeline_ready() -> None:
    """Load spaCy (and the scorer) once for the module."""
    from workbench.core.errors import ModelUnavailableError
    from workbench.core.nlp.extract import extract_claims

    try:
        extract_claims("The minister said the budget rose by 5% in 2023.")
    except ModelUnavailableError as exc:  # pragma: no cover - the pipeline is a dependency
        pytest.fail(f"spaCy pipeline missing: {exc.one_line()}")


@settings(FUZZ, max_examples=50)
@given(text=any_text)
def test_extractor_offsets_always_valid(pipeline_ready: None, text: str) -> None:
    from workbench.core.nlp.extract import extract_claims

    result = extract_claims(text)
    previous = -1
    for claim in result.claims:
        assert 0 <= claim.start < claim.end <= len(text)
        assert claim.text == text[claim.start : claim.end]
        assert 0.0 <= claim.score <= 1.0
        assert claim.start >= previous  # reading order
        previous = claim.start


@settings(FUZZ, max_examples=30)
@given(text=any_text)
def test_extractor_on_imported_text(pipeline_ready: None, text: str) -> None:
    """The real path: imported (cleaned) text, then extraction with a dateline."""
    from workbench.core.nlp.extract import extract_claims

    clean = importing.clean_text(text)
    result = extract_claims(clean, dateline=date(2023, 10, 17))
    for claim in result.claims:
        assert claim.text == clean[claim.start : claim.end]


# --- exporters ------------------------------------------------------------------------


class _TagBalance(HTMLParser):
    """Fails on an end tag that does not close the innermost open element."""

    VOID = frozenset(
        {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
         "track", "wbr"}
    )  # fmt: skip

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        return

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
            return
        self.stack.pop()


def _assert_well_formed_html(data: bytes) -> None:
    text = data.decode("utf-8")
    checker = _TagBalance()
    checker.feed(text)
    checker.close()
    assert checker.problems == [], checker.problems[:3]
    assert checker.stack == [], f"unclosed: {checker.stack}"
    assert not _CONTROL.search(text.replace("\x0c", "")), "raw control characters in HTML"
    assert "<script" not in text.lower().replace('<script type="application/ld+json">', "")


@pytest.fixture(scope="module")
def export_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    from workbench.core.storage import Store

    path: Path = tmp_path_factory.mktemp("fuzz-export") / "fuzz.sqlite3"
    store = Store.open(path)
    yield store
    store.close()


field_text = st.one_of(st.text(max_size=120), prose)


@st.composite
def memo_inputs(draw: st.DrawFn) -> dict[str, object]:
    text = draw(st.one_of(st.text(min_size=1, max_size=500), prose.filter(bool)))
    spans = []
    for _ in range(draw(st.integers(0, 4))):
        start = draw(st.integers(0, len(text) - 1))
        end = draw(st.integers(start + 1, len(text)))
        spans.append((start, end))
    return {
        "title": draw(field_text),
        "url": draw(
            st.one_of(st.none(), field_text.map(lambda s: "https://example.org/" + quote(s)))
        ),
        "text": text,
        "spans": spans,
        "verdicts": [draw(st.one_of(st.none(), st.sampled_from(list(Verdict)))) for _ in spans],
        "rationales": [draw(field_text) for _ in spans],
        "edits": [draw(st.one_of(st.none(), field_text)) for _ in spans],
        "sources": [
            (
                draw(field_text),
                draw(st.sampled_from(list(Stance))),
                draw(field_text),
                draw(field_text),
            )
            for _ in spans
        ],
        "checker": draw(field_text),
    }


def _store_article(store: object, spec: dict[str, object]) -> int:
    from workbench.core.storage import Store

    assert isinstance(store, Store)
    title = str(spec["title"]) or "untitled"
    article = store.articles.add(title=title[:500], text=str(spec["text"]), url=spec["url"])  # type: ignore[arg-type]
    store.settings.set("checker_name", str(spec["checker"]))
    for i, (start, end) in enumerate(spec["spans"]):  # type: ignore[attr-defined]
        text = str(spec["text"])[start:end]
        claim = store.claims.add(article.id, start=start, end=end, text=text)
        edit = spec["edits"][i]  # type: ignore[index]
        store.claims.update(
            claim.id,
            text_edited=edit or None,
            verdict=spec["verdicts"][i],  # type: ignore[index]
            rationale=spec["rationales"][i],  # type: ignore[index]
        )
        path, stance, excerpt, note = spec["sources"][i]  # type: ignore[index]
        url = f"https://source.example/{i}/{quote(path)}"
        source, _ = store.sources.get_or_create(url, url)
        store.evidence.attach(claim.id, source.id, stance=stance, excerpt=excerpt, note=note)
    return article.id


@settings(FUZZ, max_examples=40)
@given(spec=memo_inputs())
def test_exporters_never_raise_and_stay_well_formed(
    export_store: object, spec: dict[str, object]
) -> None:
    from workbench.core.services.export import build_memo, render_memo

    article_id = _store_article(export_store, spec)
    memo = build_memo(export_store, article_id, memo_date=date(2024, 3, 1))  # type: ignore[arg-type]
    markdown = render_memo(memo, "md")
    assert isinstance(markdown.decode("utf-8"), str)
    _assert_well_formed_html(render_memo(memo, "html"))
    document = json.loads(render_memo(memo, "claimreview").decode("utf-8"))
    assert document["@context"] == "https://schema.org"
    verdicts = [v for v in spec["verdicts"] if v is not None]  # type: ignore[attr-defined]
    assert len(document["@graph"]) == len(verdicts)
    for review in document["@graph"]:
        assert review["@type"] == "ClaimReview"


@settings(FUZZ, max_examples=6)
@given(spec=memo_inputs())
def test_pdf_export_never_raises(export_store: object, spec: dict[str, object]) -> None:
    import io

    from pypdf import PdfReader

    from workbench.core.services.export import build_memo, render_memo

    article_id = _store_article(export_store, spec)
    memo = build_memo(export_store, article_id, memo_date=date(2024, 3, 1))  # type: ignore[arg-type]
    data = render_memo(memo, "pdf")
    assert data.startswith(b"%PDF")
    assert len(PdfReader(io.BytesIO(data)).pages) >= 1
