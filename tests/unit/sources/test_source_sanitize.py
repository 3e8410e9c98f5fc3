"""The display sanitizer removes everything that could run or load."""

from __future__ import annotations

import re

from workbench.core.sources.sanitize import sanitize_html

HOSTILE = """<!doctype html><html><head>
<title>T</title><script>steal()</script><style>body{background:url(http://evil.test/x.png)}</style>
<link rel="stylesheet" href="http://evil.test/a.css"><meta http-equiv="refresh" content="0;url=http://evil.test">
<base href="http://evil.test/">
</head><body onload="steal()">
<h1 class="big" id="t" style="color:red">Headline</h1>
<p onclick="steal()" onmouseover="x()">Keep <b>this</b> &amp; that &lt;tag&gt;.</p>
<p><a href="javascript:alert(1)">js</a> <a href=" java&#9;script:alert(2)">js2</a>
<a href="data:text/html,x">data</a> <a href="/relative/page">rel</a>
<a href="https://ok.test/x" target="_blank" onclick="x()">abs</a></p>
<img src="http://evil.test/track.gif" alt="A chart of prices"><img src="http://evil.test/pixel.gif">
<picture><source srcset="http://evil.test/a.webp"></picture>
<iframe src="http://evil.test/frame"></iframe><object data="http://evil.test/o"></object>
<embed src="http://evil.test/e"><video src="http://evil.test/v.mp4" poster="http://evil.test/p.jpg"></video>
<form action="http://evil.test/post"><input name="q" value="secret"><button>Go</button></form>
<svg><script>alert(3)</script><image href="http://evil.test/s.png"/></svg>
<custom-card data-x="1">Inner text</custom-card>
<!-- a comment with <script>alert(4)</script> -->
<table><tr><td colspan="2" style="background:url(http://evil.test/t)">cell</td></tr></table>
</body></html>"""


def test_nothing_executable_or_remote_survives() -> None:
    out = sanitize_html(HOSTILE, base_url="https://news.test/story/1")
    lowered = out.lower()
    for bad in (
        "<script", "steal", "alert", "<style", "<link", "<meta", "<base", "<iframe", "<object",
        "<embed", "<video", "<form", "<input", "<button", "<svg", "<img", "<source", "src=",
        "srcset", "style=", "onclick", "onload", "onmouseover", "javascript", "data:",
        "evil.test", "class=", "id=", "target=", "<!--", "secret",
    ):  # fmt: skip
        assert bad not in lowered, bad


def test_text_structure_and_safe_links_are_kept() -> None:
    out = sanitize_html(HOSTILE, base_url="https://news.test/story/1")
    assert "<h1>Headline</h1>" in out
    assert "<p>Keep <b>this</b> &amp; that &lt;tag&gt;.</p>" in out
    assert (
        '<a href="https://news.test/relative/page" rel="noopener noreferrer nofollow">rel</a>'
        in out
    )
    assert '<a href="https://ok.test/x" rel="noopener noreferrer nofollow">abs</a>' in out
    assert "<a>js</a>" in out
    assert "[A chart of prices]" in out
    assert "Inner text" in out
    assert '<td colspan="2">cell</td>' in out


def test_relative_links_dropped_without_base() -> None:
    out = sanitize_html('<p><a href="/x">x</a> <a href="#top">top</a></p>')
    assert out == "<p><a>x</a> <a>top</a></p>"


def test_output_has_only_allowed_attributes() -> None:
    out = sanitize_html(HOSTILE, base_url="https://news.test/")
    names = set(re.findall(r"\s([a-z-]+)=\"", out))
    assert names <= {"href", "rel", "colspan", "rowspan", "title", "lang", "dir", "datetime"}


def test_empty_and_plain_text() -> None:
    assert sanitize_html("") == ""
    assert sanitize_html("Tom & Jerry < 3") == "Tom &amp; Jerry &lt; 3"
