from __future__ import annotations

import pytest

from tests.unit.export.memo_factory import CLAIM_SENTENCES, INJECTIONS, benign_twin, make_memo
from tests.unit.export.structure import html_structure, parse_html
from workbench.core.export.html import render_html

_REMOTE_TAGS = {"script", "img", "link", "iframe", "object", "embed", "video", "audio", "source"}


def _assert_safe(html: str) -> None:
    doc = parse_html(html)
    for tag, attrs in doc.tags:
        assert tag.lstrip("/") not in _REMOTE_TAGS, tag
        for name, value in attrs:
            assert not name.startswith("on"), (tag, name)
            assert name not in ("src", "srcset", "background", "formaction"), (tag, name)
            if name == "href":
                assert tag == "a"
                assert value is not None
                assert value.startswith(("https://", "http://", "#")), value
            if name == "style":
                raise AssertionError(f"inline style attribute on {tag}")
    css = "".join(doc.style)
    assert "url(" not in css
    assert "@import" not in css
    assert "javascript:" not in "".join(str(v) for _, attrs in doc.tags for _, v in attrs)


def test_html_is_complete_and_self_contained() -> None:
    html = render_html(make_memo()).decode()
    assert html.startswith("<!DOCTYPE html>")
    _assert_safe(html)
    doc = parse_html(html)
    text = "".join(doc.text)
    for sentence in CLAIM_SENTENCES[2:]:
        assert sentence in text
    assert "Claim 1: True" in text
    assert "paragraph 2, sentence 2" in text
    assert "a" * 64 in text
    hrefs = [v for t, a in doc.tags for k, v in a if k == "href"]
    assert "https://source.example/b" in hrefs
    assert "#source-1" in hrefs
    ids = [v for t, a in doc.tags for k, v in a if k == "id"]
    assert "source-1" in ids
    assert "claim-3" in ids  # anchors carry the claim id (ClaimReview urls point here)
    assert "Content-Security-Policy" in html


def test_html_is_deterministic() -> None:
    assert render_html(make_memo()) == render_html(make_memo())


@pytest.mark.parametrize("name", sorted(INJECTIONS))
def test_html_injection_leaves_structure_unchanged(name: str) -> None:
    benign = render_html(make_memo(benign_twin(INJECTIONS[name]))).decode()
    hostile = render_html(make_memo(INJECTIONS[name])).decode()
    assert html_structure(hostile) == html_structure(benign)
    _assert_safe(hostile)
    assert "\u202e" not in hostile


def test_html_shows_hostile_text_as_text() -> None:
    html = render_html(make_memo(INJECTIONS["script"])).decode()
    text = "".join(parse_html(html).text)
    assert "<script>alert('x')</script>" in text
    assert "&lt;script&gt;" in html


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,<script>x</script>"])
def test_html_never_links_unsafe_urls(url: str) -> None:
    html = render_html(make_memo(url_payload=url)).decode()
    _assert_safe(html)
    assert url.split(",")[0] in "".join(parse_html(html).text)  # still shown, as text
