"""The fetcher against a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import gzip
import socket
import time
from collections.abc import Callable, Iterator

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from workbench.core.errors import CancelledError
from workbench.core.sources.fetch import (
    USER_AGENT,
    FetchConfig,
    FetchError,
    decode_body,
    fetch_url,
    parse_content_type,
)

pytestmark = pytest.mark.network

FAST = FetchConfig(connect_timeout=2, total_timeout=5)


def test_html_page(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/a").respond_with_data(
        "<html><body><p>Hello</p></body></html>", content_type="text/html; charset=utf-8"
    )
    result = fetch_url(httpserver.url_for("/a"), config=FAST)
    assert result.http_status == 200
    assert result.content_type == "text/html"
    assert result.charset == "utf-8"
    assert result.is_html
    assert result.body == b"<html><body><p>Hello</p></body></html>"
    assert result.final_url == httpserver.url_for("/a")
    assert result.redirects == ()


def test_clear_user_agent_and_no_cookies_kept(httpserver: HTTPServer) -> None:
    seen: list[Request] = []

    def handler(request: Request) -> Response:
        seen.append(request)
        if request.path == "/set":
            response = Response("", status=302, headers={"Location": "/check"})
            response.set_cookie("session", "tracked")
            return response
        return Response("ok", content_type="text/plain")

    httpserver.expect_request("/set").respond_with_handler(handler)
    httpserver.expect_request("/check").respond_with_handler(handler)
    result = fetch_url(httpserver.url_for("/set"), config=FAST)
    assert result.body == b"ok"
    assert [r.path for r in seen] == ["/set", "/check"]
    assert all(r.headers["User-Agent"] == USER_AGENT for r in seen)
    assert USER_AGENT.startswith("ClaimWorkbench/")
    assert "(+offline fact-checking snapshot)" in USER_AGENT
    assert "Cookie" not in seen[1].headers


def test_redirect_chain_records_final_url(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/r1").respond_with_data("", status=302, headers={"Location": "/r2"})
    httpserver.expect_request("/r2").respond_with_data(
        "", status=301, headers={"Location": httpserver.url_for("/final")}
    )
    httpserver.expect_request("/final").respond_with_data("done", content_type="text/plain")
    result = fetch_url(httpserver.url_for("/r1"), config=FAST)
    assert result.final_url == httpserver.url_for("/final")
    assert result.redirects == (httpserver.url_for("/r1"), httpserver.url_for("/r2"))
    assert result.body == b"done"


def test_redirect_loop(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/a").respond_with_data("", status=302, headers={"Location": "/b"})
    httpserver.expect_request("/b").respond_with_data("", status=302, headers={"Location": "/a"})
    with pytest.raises(FetchError) as info:
        fetch_url(httpserver.url_for("/a"), config=FAST)
    assert info.value.kind == "redirect_loop"
    assert "loop" in info.value.one_line()


def test_redirect_limit(httpserver: HTTPServer) -> None:
    for i in range(5):
        httpserver.expect_request(f"/hop{i}").respond_with_data(
            "", status=307, headers={"Location": f"/hop{i + 1}"}
        )
    httpserver.expect_request("/hop5").respond_with_data("end", content_type="text/plain")
    config = FetchConfig(connect_timeout=2, total_timeout=5, max_redirects=3)
    with pytest.raises(FetchError) as info:
        fetch_url(httpserver.url_for("/hop0"), config=config)
    assert info.value.kind == "too_many_redirects"
    assert fetch_url(httpserver.url_for("/hop0"), config=FAST).body == b"end"


def test_redirect_to_other_scheme_is_refused(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/x").respond_with_data(
        "", status=302, headers={"Location": "file:///etc/passwd"}
    )
    with pytest.raises(FetchError) as info:
        fetch_url(httpserver.url_for("/x"), config=FAST)
    assert info.value.kind == "bad_redirect"


@pytest.mark.parametrize("status", [404, 410, 500, 503])
def test_http_errors(httpserver: HTTPServer, status: int) -> None:
    httpserver.expect_request("/gone").respond_with_data("nope", status=status)
    with pytest.raises(FetchError) as info:
        fetch_url(httpserver.url_for("/gone"), config=FAST)
    assert info.value.kind == "http"
    assert info.value.http_status == status
    assert f"HTTP {status}" in info.value.one_line()


def test_slow_response_hits_the_timeout(httpserver: HTTPServer) -> None:
    def slow(request: Request) -> Response:
        time.sleep(1.2)
        return Response("late", content_type="text/plain")

    httpserver.expect_request("/slow").respond_with_handler(slow)
    started = time.monotonic()
    with pytest.raises(FetchError) as info:
        fetch_url(
            httpserver.url_for("/slow"), config=FetchConfig(connect_timeout=1, total_timeout=0.3)
        )
    assert info.value.kind == "timeout"
    assert time.monotonic() - started < 1.0


def test_trickling_body_hits_the_total_deadline(httpserver: HTTPServer) -> None:
    """Each read arrives well within a read timeout; only a total deadline stops it."""

    def trickle(request: Request) -> Response:
        def body() -> Iterator[bytes]:
            for _ in range(12):
                yield b"x" * 10
                time.sleep(0.1)

        return Response(body(), content_type="text/plain", direct_passthrough=True)

    httpserver.expect_request("/trickle").respond_with_handler(trickle)
    started = time.monotonic()
    with pytest.raises(FetchError) as info:
        fetch_url(httpserver.url_for("/trickle"), config=FetchConfig(total_timeout=0.45))
    elapsed = time.monotonic() - started
    assert info.value.kind == "timeout"
    assert elapsed < 0.9


@pytest.mark.parametrize("declared", [True, False])
def test_oversized_response_is_cut(httpserver: HTTPServer, declared: bool) -> None:
    payload = b"a" * 200_000

    def big(request: Request) -> Response:
        if declared:
            return Response(payload, content_type="text/plain")
        chunks = (payload[i : i + 10_000] for i in range(0, len(payload), 10_000))
        return Response(chunks, content_type="text/plain", direct_passthrough=True)

    httpserver.expect_request("/big").respond_with_handler(big)
    with pytest.raises(FetchError) as info:
        fetch_url(httpserver.url_for("/big"), config=FetchConfig(max_bytes=50_000))
    assert info.value.kind == "too_large"
    assert "larger than the 48.8 KB limit" in info.value.one_line()


def test_gzip_bomb_is_cut_after_decompression(httpserver: HTTPServer) -> None:
    bomb = gzip.compress(b"\0" * 5_000_000)
    assert len(bomb) < 50_000
    httpserver.expect_request("/bomb").respond_with_data(
        bomb, content_type="text/plain", headers={"Content-Encoding": "gzip"}
    )
    with pytest.raises(FetchError) as info:
        fetch_url(httpserver.url_for("/bomb"), config=FetchConfig(max_bytes=100_000))
    assert info.value.kind == "too_large"


@pytest.mark.parametrize("content_type", ["image/png", "application/octet-stream", "video/mp4"])
def test_wrong_content_type(httpserver: HTTPServer, content_type: str) -> None:
    httpserver.expect_request("/img").respond_with_data(
        b"\x89PNG\r\n\x1a\n", content_type=content_type
    )
    with pytest.raises(FetchError) as info:
        fetch_url(httpserver.url_for("/img"), config=FAST)
    assert info.value.kind == "content_type"
    assert content_type in info.value.one_line()


def test_gzip_body_is_decoded(httpserver: HTTPServer) -> None:
    html = "<html><body><p>Compressed \u201cquote\u201d</p></body></html>".encode()
    httpserver.expect_request("/gz").respond_with_data(
        gzip.compress(html),
        content_type="text/html; charset=utf-8",
        headers={"Content-Encoding": "gzip"},
    )
    result = fetch_url(httpserver.url_for("/gz"), config=FAST)
    assert result.body == html


def test_pdf_is_accepted(httpserver: HTTPServer, make_pdf: Callable[..., bytes]) -> None:
    data = make_pdf(["Trade grew."])
    httpserver.expect_request("/r.pdf").respond_with_data(data, content_type="application/pdf")
    result = fetch_url(httpserver.url_for("/r.pdf"), config=FAST)
    assert result.is_pdf
    assert result.body == data


def test_missing_content_type_is_sniffed(
    httpserver: HTTPServer, make_pdf: Callable[..., bytes]
) -> None:
    data = make_pdf(["x"])

    def untyped(request: Request) -> Response:
        response = Response(data)
        del response.headers["Content-Type"]
        return response

    httpserver.expect_request("/untyped").respond_with_handler(untyped)
    assert fetch_url(httpserver.url_for("/untyped"), config=FAST).content_type == "application/pdf"


def test_unreachable_server_is_a_connection_error() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(FetchError) as info:
        fetch_url(f"http://127.0.0.1:{port}/x", config=FAST)
    assert info.value.kind == "connection"
    assert info.value.http_status is None
    assert f"127.0.0.1:{port}" in info.value.one_line()


def test_cancellation(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/a").respond_with_data("x", content_type="text/plain")
    with pytest.raises(CancelledError):
        fetch_url(httpserver.url_for("/a"), config=FAST, is_cancelled=lambda: True)


def test_charset_handling() -> None:
    cyrillic = "Привет, мир — «цитата»"
    assert decode_body(cyrillic.encode("windows-1251"), charset="windows-1251", html=False) == (
        cyrillic,
        "windows-1251",
    )
    meta = '<html><head><meta charset="windows-1251"></head><body>' + cyrillic
    text, used = decode_body(meta.encode("windows-1251"), charset=None, html=True)
    assert cyrillic in text
    assert used == "windows-1251"
    # Latin-1 labelled pages are decoded as windows-1252, as browsers do
    assert decode_body("\u201cq\u201d".encode("cp1252"), charset="iso-8859-1", html=False)[0] == (
        "\u201cq\u201d"
    )
    assert decode_body(b"caf\xe9", charset=None, html=False) == ("caf\u00e9", "windows-1252")
    assert decode_body("\ufeffbom".encode(), charset="latin-1", html=False)[0] == "bom"
    assert decode_body(b"x", charset="no-such-charset", html=False) == ("x", "utf-8")
    assert parse_content_type('Text/HTML; Charset="ISO-8859-1"') == ("text/html", "iso-8859-1")
    assert parse_content_type(None) == ("", None)


def test_proxy_from_environment_is_used(
    httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Newsroom networks reach the web through a proxy named in the environment."""
    seen: list[str] = []

    def proxy(request: Request) -> Response:
        seen.append(request.headers.get("Host", ""))
        return Response("via proxy", content_type="text/plain")

    httpserver.expect_request("/story").respond_with_handler(proxy)
    monkeypatch.setenv("HTTP_PROXY", httpserver.url_for("/"))
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    result = fetch_url("http://news.invalid/story", config=FAST)
    assert result.body == b"via proxy"
    assert seen == ["news.invalid"]
