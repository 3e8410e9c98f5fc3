"""Main-text extraction from HTML and text extraction from a real PDF."""

from __future__ import annotations

from collections.abc import Callable

from workbench.core.sources.pagetext import extract_page, visible_text
from workbench.core.sources.pdf import NOT_EXTRACTED, extract_pdf

ARTICLE = """<!doctype html><html><head>
<title>Summit ends with joint statement | Daily Planet</title>
<meta property="og:site_name" content="Daily Planet">
<meta name="author" content="Lois Lane">
<meta property="article:published_time" content="2024-05-03T10:00:00Z">
</head><body><nav><a href="/">Home</a> | <a href="/world">World</a></nav>
<article><h1>Summit ends with joint statement</h1>
<p>The summit in Beijing ended on Friday with a joint statement signed by both leaders
after three days of talks on trade, climate and security.</p>
<p>\u201cWe agreed on 12 points,\u201d the minister said, adding that bilateral trade would
grow by 5% next year according to the ministry's own projections.</p>
</article><footer>Copyright Daily Planet. All rights reserved.</footer>
<script>trackReader()</script></body></html>"""


def test_article_text_and_metadata() -> None:
    page = extract_page(ARTICLE, url="https://planet.test/world/summit")
    assert page.title == "Summit ends with joint statement"
    assert page.site == "Daily Planet"
    assert page.author == "Lois Lane"
    assert page.published == "2024-05-03"
    assert "We agreed on 12 points" in page.text
    assert "trackReader" not in page.text
    assert "All rights reserved" not in page.text
    assert not page.used_fallback


def test_fallback_keeps_visible_text_when_extractor_finds_nothing() -> None:
    page = extract_page(
        "<html><head><title>Tiny</title></head><body><script>x()</script></body></html>"
    )
    assert page.text == ""
    assert page.used_fallback
    title, text = visible_text(
        "<html><head><title> Tiny </title><style>p{}</style></head>"
        "<body><div>one<script>bad()</script></div><p>two <b>bold</b></p></body></html>"
    )
    assert title == "Tiny"
    assert text == "one\ntwo bold"


def test_pdf_text_and_info_are_extracted(make_pdf: Callable[..., bytes]) -> None:
    content = extract_pdf(make_pdf(["Bilateral trade grew by 5 percent.", "Imports fell."]))
    assert content.text is not None
    assert "Bilateral trade grew by 5 percent." in content.text
    assert "exports rose 7 percent" in content.text
    assert content.title == "Trade report 2024"
    assert content.author == "Ministry of Trade"
    assert content.note is None


def test_pdf_without_text_layer_says_so(make_pdf: Callable[..., bytes]) -> None:
    content = extract_pdf(make_pdf([], text=False))
    assert content.text is None
    assert content.note is not None
    assert content.note.startswith(NOT_EXTRACTED)


def test_broken_pdf_says_so() -> None:
    content = extract_pdf(b"%PDF-1.4\nthis is not really a pdf")
    assert content.text is None
    assert content.note is not None
    assert content.note.startswith(NOT_EXTRACTED)
