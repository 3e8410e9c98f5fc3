from __future__ import annotations

import pytest

from workbench.core.export.escape import (
    clean_text,
    md_code,
    md_inline,
    paragraphs,
    safe_url,
    xml_attr,
    xml_text,
)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.org/a?b=1&c=2#x", "https://example.org/a?b=1&c=2#x"),
        ("HTTP://Example.org/", "HTTP://Example.org/"),
        ('https://example.org/"><script>', "https://example.org/%22%3E%3Cscript%3E"),
        ("https://example.org/ü", "https://example.org/%C3%BC"),
        ("javascript:alert(1)", None),
        ("JaVaScRiPt:alert(1)", None),
        ("data:text/html,x", None),
        ("file:///etc/passwd", None),
        ("https:///nohost", None),
        ("https://exa mple.org", None),
        ("https://example.org/\u202e", None),
        ("", None),
        (None, None),
    ],
)
def test_safe_url(url: str | None, expected: str | None) -> None:
    assert safe_url(url) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("# title", "\\# title"),
        ("- item", "\\- item"),
        ("+ item", "\\+ item"),
        ("---", "\\---"),
        ("> quote", "\\> quote"),
        ("1. first", "1\\. first"),
        ("12) first", "12\\) first"),
        ("0.1.0", "0.1.0"),
        ("U.S. claims 5% rise", "U.S. claims 5% rise"),
        ("a *b* _c_ `d`", "a \\*b\\* \\_c\\_ \\`d\\`"),
        ("[x](javascript:y)", "\\[x\\](javascript:y)"),
        ("<b>&amp;", "\\<b\\>\\&amp;"),
        ("a | b ~~c~~", "a \\| b \\~\\~c\\~\\~"),
        ("back\\slash", "back\\\\slash"),
        ("two\nlines\n\n# x", "two lines # x"),
        ("Title ##", "Title \\#\\#"),
    ],
)
def test_md_inline(text: str, expected: str) -> None:
    assert md_inline(text) == expected


def test_md_code_survives_backticks() -> None:
    assert md_code("abc") == "`abc`"
    assert md_code("a``b") == "```a``b```"
    assert md_code("`x`") == "`` `x` ``"


def test_clean_text_drops_controls_and_bidi_overrides() -> None:
    assert clean_text("a\x00b\x1bc\u202ed\u2066e\nf\tg") == "abcde\nf\tg"
    assert clean_text("שלום 😀") == "שלום 😀"


def test_paragraphs_split_on_blank_lines_only() -> None:
    assert paragraphs("one\ntwo\n\n\nthree \r\n\r\n  ") == ["one two", "three"]


def test_xml_escaping() -> None:
    assert xml_text("<a href='x'>&</a>") == "&lt;a href='x'&gt;&amp;&lt;/a&gt;"
    assert xml_attr("\"'<") == "&quot;&#x27;&lt;"
