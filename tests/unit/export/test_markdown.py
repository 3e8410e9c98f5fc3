from __future__ import annotations

import pytest

from tests.unit.export.memo_factory import CLAIM_SENTENCES, INJECTIONS, benign_twin, make_memo
from tests.unit.export.structure import markdown_links, markdown_structure
from workbench.core.export.markdown import render_markdown
from workbench.core.export.memo import MemoOptions


def test_markdown_is_byte_identical_for_the_same_data() -> None:
    first = render_markdown(make_memo())
    second = render_markdown(make_memo())
    assert first == second
    assert first.endswith(b"\n")
    assert not first.endswith(b"\n\n")
    assert b"\r" not in first


def test_markdown_has_every_section_claim_and_source() -> None:
    md = render_markdown(make_memo()).decode()
    headings = [line for line in md.splitlines() if line.startswith("#")]
    assert headings[0] == "# Verification memo: Summit report plain words"
    assert [h for h in headings if h.startswith("## ")] == [
        "## Summary",
        "## Claims",
        "## Consistency findings",
        "## Audit",
        "## Sources",
        "## Methodology",
    ]
    assert [h for h in headings if h.startswith("### ")] == [
        "### Claim 1: True",
        "### Claim 2: False",
        "### Claim 3: Mostly true",
        "### Claim 4: No verdict",
        "### Claim 5: No verdict",
    ]
    for sentence in CLAIM_SENTENCES[2:]:
        assert f"> {sentence}" in md
    assert "> Edited plain words claim" in md  # the edited text wins
    assert "paragraph 2, sentence 2" in md
    assert "paragraph 3, sentence 3" in md
    assert "**Article text SHA-256:** `" + "a" * 64 + "`" in md
    assert "**Memo date:** 2024-03-01" in md
    assert "Checker plain words (Example Checks)" in md
    # Sources are numbered once, in order of first citation, and cited by number.
    assert "1. Source B plain words (site-b): <https://source.example/b>" in md
    assert "2. Source A plain words (site-a plain words): <https://source.example/a>" in md
    assert md.count("<https://source.example/b>") == 3  # twice cited + once listed
    assert "- \\[1\\] Source B plain words" in md
    assert "**Warning:** not fetched: HTTP 404 plain words" in md
    assert "**Warning:** source changed since the verdict" in md
    assert "(dismissed; confidence 40%)" in md
    assert "(open; confidence 90%; dateline used 2023-10-17)" in md


def test_markdown_snapshot_is_the_one_current_at_verdict_time() -> None:
    md = render_markdown(make_memo()).decode()
    claim3 = md.split("### Claim 3")[1].split("### Claim 4")[0]
    # Claim 3's verdict predates the second fetch of source A: the first copy is shown.
    assert "1" * 64 in claim3
    assert "2" * 64 not in claim3
    claim4 = md.split("### Claim 4")[1].split("## Consistency")[0]
    assert "2" * 64 in claim4  # no verdict: the current copy


def test_markdown_options_filter_claims_and_say_so() -> None:
    md = render_markdown(make_memo(options=MemoOptions(only_checked=True))).decode()
    assert md.count("### Claim ") == 3
    assert "3 claims in this memo (2 of the article's 5 left out: only checked claims)" in md
    md = render_markdown(make_memo(options=MemoOptions(min_score=0.75))).decode()
    assert md.count("### Claim ") == 2


def test_markdown_renders_as_commonmark_structure() -> None:
    md = render_markdown(make_memo()).decode()
    shape = markdown_structure(md)
    assert shape.count("heading_open:h2") == 6
    assert shape.count("heading_open:h3") == 5
    assert shape.count("blockquote_open:blockquote") == 5
    assert "html_block:" not in shape
    assert "  html_inline:" not in shape
    assert all(h.startswith("https://") for h in markdown_links(md))


@pytest.mark.parametrize("name", sorted(INJECTIONS))
def test_markdown_injection_leaves_structure_unchanged(name: str) -> None:
    benign = render_markdown(make_memo(benign_twin(INJECTIONS[name]))).decode()
    hostile = render_markdown(make_memo(INJECTIONS[name])).decode()
    assert markdown_structure(hostile) == markdown_structure(benign)
    assert all(h.startswith("https://") for h in markdown_links(hostile))
    assert "\u202e" not in hostile
    assert "\x00" not in hostile


def test_markdown_keeps_the_payload_text_visible() -> None:
    md = render_markdown(make_memo(INJECTIONS["emoji"])).decode()
    assert "👨‍👩‍👧 中文 Ελληνικά Привет" in md
    md = render_markdown(make_memo(INJECTIONS["rtl"])).decode()
    assert "שלום עולם" in md


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,<script>x</script>"])
def test_markdown_never_links_unsafe_urls(url: str) -> None:
    md = render_markdown(make_memo(url_payload=url)).decode()
    assert all(h.startswith("https://") for h in markdown_links(md))
    assert "<javascript:" not in md
    assert "](javascript:" not in md


def test_markdown_text_survives_escaping_literally() -> None:
    from markdown_it import MarkdownIt

    payload = INJECTIONS["entities"] + " " + INJECTIONS["markdown"].replace("\n", " ")
    md = render_markdown(make_memo(payload)).decode()
    rendered = MarkdownIt("commonmark").render(md)
    from tests.unit.export.structure import parse_html

    text = "".join(parse_html(rendered).text)
    assert "&lt;script&gt; &amp; &#x3C;b&#x3E; \\ backslash \\" in text
    assert "[link](https://evil.example) **bold** _em_" in text
