"""Fuzzing the fetcher's URL, header and charset handling against a real local server.

A raw TCP server on 127.0.0.1 answers with a response hypothesis builds:
any status code and reason phrase (control bytes included), a ``Location``
made of URL syntax and junk, a ``Content-Type`` with any charset label, a
``Content-Encoding``, a ``Content-Length`` that may lie, and any body.  The
properties are the issue's: the fetcher returns a result or raises a
:class:`FetchError` (never anything else), within its deadline; a result
always turns into a storable snapshot; and through the service the failure
is recorded on that source.

``deadline=None`` and a bounded, derandomized example count keep it
reproducible and modest on a shared machine.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from tests.reliability.hostile_server import HostileServer, hostile_server, respond
from workbench.core.errors import CancelledError
from workbench.core.sources.charsets import decode_body, parse_content_type
from workbench.core.sources.fetch import FetchConfig, FetchError, fetch_url
from workbench.core.sources.snapshot import snapshot_from_result

pytestmark = pytest.mark.network

FUZZ = settings(
    deadline=None,
    max_examples=150,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    derandomize=True,
)
CONFIG = FetchConfig(connect_timeout=2, total_timeout=3, max_redirects=2, max_bytes=200_000)


@pytest.fixture(scope="module")
def server() -> Iterator[HostileServer]:
    with hostile_server() as s:
        yield s


header_text = st.text(
    alphabet=st.characters(min_codepoint=0, max_codepoint=0xFF, exclude_characters="\r\n"),
    max_size=120,
)
junk = st.text(max_size=40)


def locations(port: int) -> st.SearchStrategy[str]:
    """Redirect targets that stay on 127.0.0.1 (no DNS, no internet), or are malformed."""
    hosts = st.sampled_from(
        [f"127.0.0.1:{port}", f"user:pw@127.0.0.1:{port}", "[::1", "[zz]", "[::1]:99999",
         "127.0.0.1:0", "127.0.0.1:abc", "%00", "", f"127.0.0.1:{port}@evil", "\u0660\u0661"]
    )  # fmt: skip
    schemes = st.sampled_from(["http", "HTTP", "https", "javascript", "file", "ftp", "", "h\ttp"])
    paths = st.text(
        alphabet=st.sampled_from([*list("/?#%@[]:;=&~.-_ \t\\\"'<>"), "a", "é", "\u202e", "\x00"]),
        max_size=30,
    )
    absolute = st.builds(lambda s, h, p: f"{s}://{h}/{p}", schemes, hosts, paths)
    relative = paths.map(lambda p: p if p else "/f")
    return st.one_of(absolute, relative, header_text)


charsets = st.one_of(
    st.sampled_from(
        ["utf-8", "rot13", "idna", "undefined", "utf-7", "base64", "punycode", "utf-16",
         "shift_jis", "windows-1252", "iso-2022-jp", "latin1", "unicode_escape", "x-user-defined"]
    ),
    junk,
)  # fmt: skip
media = st.sampled_from(
    ["text/html", "text/plain", "application/pdf", "image/png", "", "TEXT/HTML"]
)
encodings = st.sampled_from(["", "identity", "gzip", "deflate", "br", "gzip, deflate", "x-gzip"])
statuses = st.one_of(
    st.just(200),
    st.sampled_from([301, 302, 303, 307, 308]),
    st.sampled_from([204, 304, 404, 500, 103]),
    st.integers(min_value=100, max_value=999),
)


@st.composite
def responses(draw: st.DrawFn, port: int) -> bytes:
    status = draw(statuses)
    ordinary = st.sampled_from(["OK", "Found", ""])
    reason = draw(st.one_of(ordinary, ordinary, header_text, header_text, st.just("R" * 70_000)))
    headers: list[tuple[str, str]] = []
    if 300 <= status < 400 or draw(st.booleans()):
        headers.append(("Location", draw(locations(port))))
    if draw(st.booleans()):
        headers.append(("Content-Type", f"{draw(media)}; charset={draw(charsets)}"))
    if draw(st.integers(0, 3)) == 0:
        headers.append(("Content-Encoding", draw(encodings)))
    body = draw(
        st.one_of(
            st.binary(max_size=2000),
            st.text(max_size=500).map(lambda t: t.encode("utf-8", "surrogatepass")),
            st.just(b"<html><body><p>A page about exports rising 7 percent.</p></body></html>"),
        )
    )
    length = draw(st.one_of(st.none(), st.none(), st.integers(0, 5000).map(str), junk))
    headers.append(("Content-Length", str(len(body)) if length is None else length))
    headers.extend(
        draw(st.lists(st.tuples(st.sampled_from(["X-A", "Set-Cookie"]), header_text), max_size=3))
    )
    head = f"HTTP/1.1 {status} ".encode() + reason.encode("latin-1", "replace") + b"\r\n"
    for name, value in headers:
        head += name.encode() + b": " + value.encode("latin-1", "replace") + b"\r\n"
    return head + b"Connection: close\r\n\r\n" + body


@FUZZ
@given(data=st.data())
def test_any_answer_ends_in_a_result_or_a_fetch_error(
    server: HostileServer, data: st.DataObject
) -> None:
    raw = data.draw(
        st.one_of(responses(server.port), responses(server.port), st.binary(max_size=300))
    )
    server.route("/f", respond(raw_head=raw))
    started = time.monotonic()
    try:
        result = fetch_url(server.url("/f"), config=CONFIG)
    except FetchError as exc:
        event(f"FetchError {exc.kind}")
        line = exc.one_line()
        assert line and "\n" not in line and len(line) < 2500
        assert all(ch.isprintable() for ch in line)
    except CancelledError:  # pragma: no cover - nothing cancels here
        raise
    else:
        event(f"fetched {result.content_type}")
        taken = snapshot_from_result(result, fetched_at=datetime.now(UTC))
        for value in (taken.text, taken.title, taken.note, taken.final_url):
            if value is not None:
                value.encode("utf-8")  # storable: no lone surrogates
    assert time.monotonic() - started < CONFIG.total_timeout + 1.5


@FUZZ
@given(body=st.binary(max_size=3000), label=st.one_of(charsets, st.none()), html=st.booleans())
def test_decoding_never_raises(body: bytes, label: str | None, html: bool) -> None:
    text, used = decode_body(body, charset=label, html=html)
    text.encode("utf-8")
    assert used


@FUZZ
@given(header=st.one_of(header_text, st.text(max_size=200)))
def test_content_type_parsing_never_raises(header: str) -> None:
    media_type, charset = parse_content_type(header)
    assert media_type == media_type.strip()
    assert charset is None or len(charset) <= 40
