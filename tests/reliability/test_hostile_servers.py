"""Hostile HTTP servers on 127.0.0.1 against the fetcher, the services and the real CLI.

Each class of failure from issue 16, with the variants that share its cause:
a server that trickles its head, one that never answers, malformed
redirects, charsets Python's codecs reject, huge reason phrases, binary
bodies labelled as text, credentials in a redirect, local addresses, and
escape sequences in fetched text.  Every one must end as a result or a
recorded fetch error on that source alone, and the CLI must answer within
the deadline with one line, never exit 3.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.reliability.helpers import assert_one_error_line, cli_env, workbench
from tests.reliability.hostile_server import HostileServer, Trickle, hang, hostile_server, respond
from workbench.core.errors import CancelledError
from workbench.core.services import sources as service
from workbench.core.sources.fetch import FetchConfig, FetchError, decode_body, fetch_url
from workbench.core.storage import Store

pytestmark = pytest.mark.network

FAST = FetchConfig(connect_timeout=2, total_timeout=5)
PAGE = (
    b"<html><head><title>Ministry report</title></head><body><article>"
    b"<p>The ministry said exports rose by 7 percent in 2023, the highest in a decade.</p>"
    b"<p>Officials confirmed the figures at a press conference on Monday.</p>"
    b"</article></body></html>"
)
HEAD = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello"


@pytest.fixture
def server() -> Iterator[HostileServer]:
    with hostile_server() as s:
        yield s


@pytest.fixture
def stop() -> Iterator[threading.Event]:
    event = threading.Event()
    yield event
    event.set()


@pytest.fixture
def claim(store: Store) -> int:
    article = store.articles.add(
        title="Exports", text="Exports rose by 7 percent in 2023, the ministry said."
    )
    return store.claims.add(
        article.id, start=0, end=33, text="Exports rose by 7 percent in 2023", score=0.9
    ).id


def _attach(store: Store, claim: int, url: str) -> int:
    view, _ = service.attach_evidence(store, claim, url, stance="supports")
    return view.source.id


# --------------------------------------------------------------------------- the deadline


@pytest.mark.slow
@pytest.mark.parametrize("command", ["attach", "fetch", "import"])
def test_deadline_holds_against_a_header_trickling_server(
    server: HostileServer, stop: threading.Event, store: Store, claim: int, command: str
) -> None:
    """The status line and headers arrive one byte every 2 s: --timeout 4 still ends it by 6 s."""
    trickle = Trickle(HEAD * 10, every=2.0, stop=stop)
    url = server.route("/slow", trickle)
    db = store.path
    if command == "attach":
        args: tuple[str, ...] = ("attach", str(claim), url, "--stance", "supports")
    elif command == "fetch":
        source = _attach(store, claim, url)
        args = ("fetch", "--source", str(source))
    else:
        args = ("import", url)
    store.close()
    result = workbench(*args, "--timeout", "4", db=db, timeout=60)
    assert trickle.started and trickle.client_closed, "the client never hung up"
    held = trickle.client_closed[0] - trickle.started[0]
    assert held <= 4 + 2, f"the exchange lasted {held:.1f} s with --timeout 4"
    assert "Traceback" not in result.err
    assert "longer than 4 s" in result.err + result.out
    if command == "attach":
        assert result.code == 0  # the evidence is kept; the fetch failure is a warning
        assert "warning: not fetched" in result.err
    elif command == "fetch":
        assert result.code == 1
    else:
        assert_one_error_line(result, mentions=("longer than 4 s",))


def test_deadline_covers_a_server_that_never_answers(
    server: HostileServer, stop: threading.Event
) -> None:
    url = server.route("/silent", hang(stop))
    started = time.monotonic()
    with pytest.raises(FetchError) as info:
        fetch_url(url, config=FetchConfig(connect_timeout=1, total_timeout=1.0))
    assert info.value.kind == "timeout"
    assert time.monotonic() - started < 1.6


def test_cancel_is_prompt_while_headers_trickle(
    server: HostileServer, stop: threading.Event
) -> None:
    url = server.route("/slow", Trickle(HEAD * 10, every=2.0, stop=stop))
    flag = threading.Event()
    threading.Timer(0.5, flag.set).start()
    started = time.monotonic()
    with pytest.raises(CancelledError):
        fetch_url(url, config=FetchConfig(total_timeout=60), is_cancelled=flag.is_set)
    assert time.monotonic() - started < 1.5  # 0.5 s until the cancel, then < 1 s


@pytest.mark.slow
def test_ctrl_c_during_a_multi_source_fetch_returns_at_once(
    server: HostileServer, stop: threading.Event, store: Store, claim: int
) -> None:
    for i in range(3):
        _attach(store, claim, server.route(f"/hang{i}", hang(stop)))
    db = store.path
    store.close()
    proc = subprocess.Popen(
        [sys.executable, "-m", "workbench", "--db", str(db), "fetch", "--timeout", "120"],
        env=cli_env(),
        cwd=db.parent,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        waited = time.monotonic() + 60
        while server.connections < 3 and time.monotonic() < waited:
            time.sleep(0.05)
        assert server.connections == 3, "the fetches never reached the server"
        sent = time.monotonic()
        proc.send_signal(signal.SIGINT)
        _out, err = proc.communicate(timeout=30)
        took = time.monotonic() - sent
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130, err
    assert b"Traceback" not in err
    assert took < 1.5, f"Ctrl-C took {took:.2f} s to end the fetch"


# --------------------------------------------------------------------------- hostile answers


HOSTILE: dict[str, tuple[object, str]] = {
    "unbalanced-ipv6-location": (
        respond("302 Found", {"Location": "http://[::1/x"}),
        "bad_redirect",
    ),
    "ipv6-garbage-location": (
        respond("301 Moved", {"Location": "http://[zz]:80/"}),
        "bad_redirect",
    ),
    "bad-port-location": (
        respond("307 Temp", {"Location": "http://example.com:99999/"}),
        "bad_redirect",
    ),
    "credentials-location": (
        respond("302 Found", {"Location": "http://user:s3cret@example.com/page"}),
        "bad_redirect",
    ),
    "javascript-location": (
        respond("302 Found", {"Location": "javascript:alert(1)"}),
        "bad_redirect",
    ),
    "huge-location": (respond("302 Found", {"Location": "/" + "a" * 20000}), "bad_redirect"),
    "huge-reason": (respond("404 " + "Gone " * 12000), "http"),
    "binary-as-html": (
        respond(
            headers={"Content-Type": "text/html"}, body=b"\x89PNG\r\n\x1a\n" + os.urandom(4000)
        ),
        "content_type",
    ),
    "nul-bytes-as-text": (
        respond(headers={"Content-Type": "text/plain"}, body=b"abc\x00def" * 200),
        "content_type",
    ),
    "not-http": (respond(raw_head=b"SSH-2.0-OpenSSH_9.6\r\n\r\n"), "bad_response"),
    "bad-chunked": (
        respond(raw_head=b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n"),
        "bad_response",
    ),
    "broken-gzip": (
        respond(
            headers={"Content-Type": "text/plain", "Content-Encoding": "gzip"},
            body=b"\x1f\x8b\x08\x00garbage-not-gzip",
        ),
        "bad_response",
    ),
    "unknown-encoding": (
        respond(headers={"Content-Type": "text/plain", "Content-Encoding": "br"}, body=b"x"),
        "bad_response",
    ),
    "too-many-headers": (
        respond(headers=[(f"X-H{i}", "v") for i in range(300)], body=b"x"),
        "bad_response",
    ),
    "short-body": (
        respond(
            raw_head=b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
            b"Content-Length: 999\r\n\r\nabc"
        ),
        "connection",
    ),
    "status-1xx-only": (respond("103 Early Hints", body=b""), "http"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_answer_is_one_fetch_error(server: HostileServer, case: str) -> None:
    script, kind = HOSTILE[case]
    url = server.route("/x", script)  # type: ignore[arg-type]
    with pytest.raises(FetchError) as info:
        fetch_url(url, config=FAST)
    assert info.value.kind == kind, info.value.one_line()
    line = info.value.one_line()
    assert len(line) < 700, f"{len(line)} characters: {line[:200]}"
    assert "s3cret" not in line
    assert all(ch.isprintable() for ch in line)


def test_each_hostile_source_is_recorded_alone_and_recheck_does_not_crash(
    server: HostileServer, store: Store, claim: int
) -> None:
    good = server.route("/good", respond(headers={"Content-Type": "text/html"}, body=PAGE))
    bad_ids = {
        _attach(store, claim, server.route(f"/{name}", script)): name  # type: ignore[arg-type]
        for name, (script, _kind) in HOSTILE.items()
    }
    good_id = _attach(store, claim, good)
    report = service.fetch_pending(store, config=FAST)
    by_id = {o.source.id: o for o in report.outcomes}
    assert by_id[good_id].ok
    for source_id, name in bad_ids.items():
        outcome = by_id[source_id]
        assert not outcome.ok, name
        stored = store.sources.get(source_id)
        assert stored.fetch_error and len(stored.fetch_error) < 700, name
        assert "s3cret" not in stored.fetch_error
        assert stored.current_snapshot_id is None
    article_id = store.claims.get(claim).article_id
    results = service.recheck_article(store, article_id, config=FAST)  # again: no crash
    assert {r.source_id for r in results} == {*bad_ids, good_id}
    assert next(r for r in results if r.source_id == good_id).status.value == "unchanged"
    db = store.path
    store.close()
    again = workbench("fetch", "--article", str(article_id), "--timeout", "5", db=db)
    assert again.code == 1 and again.err == ""  # the failed ones are retried, and fail again
    assert again.out.count("\tnot fetched\t") == len(bad_ids)
    recheck = workbench("recheck", str(article_id), "--timeout", "5", "--json", db=db)
    assert recheck.code == 0, recheck.err
    assert len(json.loads(recheck.out)) == len(bad_ids) + 1


def test_credentials_in_a_redirect_are_never_sent_or_stored(
    server: HostileServer, store: Store, claim: int
) -> None:
    target = server.route("/private", respond(headers={"Content-Type": "text/plain"}, body=b"x"))
    location = target.replace("http://", "http://editor:hunter2@")
    source = _attach(store, claim, server.route("/r", respond("302 Found", {"Location": location})))
    outcome = service.fetch_source(store, source, config=FAST)
    assert outcome.error_kind == "bad_redirect"
    assert "user name or password" in (outcome.error or "")
    assert "hunter2" not in (outcome.error or "")
    assert len(server.requests) == 1  # the redirect was not followed
    assert b"Authorization" not in server.requests[0]
    row = sqlite3.connect(store.path).execute("SELECT * FROM sources WHERE id = ?", (source,))
    assert "hunter2" not in repr(row.fetchall())


@pytest.mark.parametrize(
    "label",
    ["rot13", "base64", "zlib", "hex", "idna", "punycode", "undefined", "unicode_escape",
     "utf-7", "x" * 500, "utf-8\u00e9", "../../etc", ""],
)  # fmt: skip
def test_charset_labels_python_rejects_are_ignored(server: HostileServer, label: str) -> None:
    body = "Caf\u00e9 prices rose 7 percent, the ministry said in its report.".encode()
    url = server.route(
        "/c", respond(headers={"Content-Type": f"text/plain; charset={label}"}, body=body)
    )
    result = fetch_url(url, config=FAST)
    text, used = decode_body(result.body, charset=result.charset, html=False)
    assert text == body.decode("utf-8") and used == "utf-8"


def test_charset_label_in_a_meta_tag_is_checked_the_same_way() -> None:
    page = b'<html><head><meta charset="undefined"></head><body><p>caf\xc3\xa9</p></body></html>'
    text, used = decode_body(page, charset="rot13", html=True)
    assert "caf\u00e9" in text and used == "utf-8"


def test_binary_labelled_html_is_refused_like_import_refuses_it(
    server: HostileServer, store: Store, claim: int, tmp_path: Path
) -> None:
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20
    source = _attach(
        store, claim, server.route("/img", respond(headers={"Content-Type": "text/html"}, body=png))
    )
    outcome = service.fetch_source(store, source, config=FAST)
    assert outcome.error_kind == "content_type" and "PNG" in (outcome.error or "")
    assert store.sources.get(source).current_snapshot_id is None
    file = tmp_path / "page.html"
    file.write_bytes(png)
    db = store.path
    store.close()
    assert_one_error_line(workbench("import", file, db=db), mentions=("PNG",))


# --------------------------------------------------------------------------- address policy


def _no_local(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WORKBENCH_ALLOW_LOCAL_FETCH", raising=False)
    for name in (
        "HTTP_PROXY",
        "http_proxy",
        "HTTPS_PROXY",
        "https_proxy",
        "ALL_PROXY",
        "all_proxy",
    ):
        monkeypatch.delenv(name, raising=False)


@pytest.mark.parametrize(
    "host",
    ["127.0.0.1", "localhost", "127.1", "2130706433", "0x7f.0.0.1", "[::ffff:127.0.0.1]",
     "0.0.0.0"],
)  # fmt: skip
def test_local_targets_are_refused_without_a_connection(
    server: HostileServer, monkeypatch: pytest.MonkeyPatch, host: str
) -> None:
    """A loopback address, however it is spelled or resolved, is not contacted at all."""
    _no_local(monkeypatch)
    server.route("/secret", respond(headers={"Content-Type": "text/plain"}, body=b"admin page"))
    with pytest.raises(FetchError) as info:
        fetch_url(f"http://{host}:{server.port}/secret", config=FAST)
    assert info.value.kind == "local_address"
    assert "this computer" in info.value.one_line()
    assert server.connections == 0


@pytest.mark.parametrize(
    "target",
    ["http://127.0.0.1:{port}/secret", "http://169.254.169.254/latest/meta-data/",
     "http://10.1.2.3/router", "http://[::1]:{port}/secret", "http://192.168.0.1/"],
)  # fmt: skip
def test_a_public_page_cannot_redirect_into_the_local_network(
    server: HostileServer, monkeypatch: pytest.MonkeyPatch, target: str
) -> None:
    """Through a proxy (so the first hop is a public name), a redirect to a local address stops."""
    _no_local(monkeypatch)
    secret = server.route("/secret", respond(headers={"Content-Type": "text/plain"}, body=b"x"))
    location = target.format(port=server.port)
    server.route("/story", respond("302 Found", {"Location": location}))
    monkeypatch.setenv("HTTP_PROXY", server.url("/"))
    with pytest.raises(FetchError) as info:
        fetch_url("http://news.example.com/story", config=FAST)
    assert info.value.kind == "local_address"
    assert "redirects to" in info.value.one_line()
    assert not any(b"/secret" in r for r in server.requests), secret


def test_environment_switch_still_refuses_link_local_metadata(
    server: HostileServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """WORKBENCH_ALLOW_LOCAL_FETCH=1 is for pages on 127.0.0.1, not the metadata service."""
    _no_local(monkeypatch)
    monkeypatch.setenv("WORKBENCH_ALLOW_LOCAL_FETCH", "1")
    server.route("/story", respond("302 Found", {"Location": "http://169.254.169.254/latest/"}))
    with pytest.raises(FetchError) as info:
        fetch_url(server.url("/story"), config=FAST)
    assert info.value.kind == "local_address" and "link-local" in info.value.one_line()
    with pytest.raises(FetchError) as info:
        fetch_url("http://[fe80::1]/", config=FAST)
    assert info.value.kind == "local_address"


def test_environment_switch_allows_local_targets(
    server: HostileServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    _no_local(monkeypatch)
    url = server.route("/p", respond(headers={"Content-Type": "text/plain"}, body=b"local page"))
    monkeypatch.setenv("WORKBENCH_ALLOW_LOCAL_FETCH", "1")
    assert fetch_url(url, config=FAST).body == b"local page"
    monkeypatch.setenv("WORKBENCH_ALLOW_LOCAL_FETCH", "0")
    with pytest.raises(FetchError):
        fetch_url(url, config=FAST)


def test_per_source_override_is_confirmed_once_and_remembered(
    server: HostileServer, monkeypatch: pytest.MonkeyPatch, store: Store, claim: int
) -> None:
    _no_local(monkeypatch)
    url = server.route("/intranet", respond(headers={"Content-Type": "text/html"}, body=PAGE))
    source = _attach(store, claim, url)
    refused = service.fetch_source(store, source, config=FAST)
    assert refused.error_kind == "local_address"
    assert f"--source {source} --allow-local" in (refused.error or "")
    service.allow_local_fetch(store, source)
    assert service.fetch_source(store, source, config=FAST).ok
    other = _attach(store, claim, server.route("/other", respond(body=b"x")))
    assert service.fetch_source(store, other, config=FAST).error_kind == "local_address"
    article = store.claims.get(claim).article_id
    statuses = {r.source_id: r.status.value for r in service.recheck_article(store, article)}
    assert statuses[source] == "unchanged" and statuses[other] == "failed"


def test_cli_allow_local_flag(server: HostileServer, store: Store, claim: int) -> None:
    url = server.route("/intranet", respond(headers={"Content-Type": "text/html"}, body=PAGE))
    db = store.path
    store.close()
    off = {"WORKBENCH_ALLOW_LOCAL_FETCH": "0"}
    plain = workbench("attach", str(claim), url, "--stance", "supports", db=db, env=off)
    assert plain.code == 0 and "--allow-local" in plain.err and "warning: not fetched" in plain.err
    allowed = workbench("fetch", "--source", "1", "--allow-local", "--json", db=db, env=off)
    assert allowed.code == 0, allowed.err
    assert json.loads(allowed.out)[0]["ok"] is True
    refused = workbench("fetch", "--allow-local", db=db, env=off)
    assert_one_error_line(refused, mentions=("--source",))


# --------------------------------------------------------------------------- terminals


ESCAPES = "Exports rose 7 percent.\x1b]0;owned\x07\x1b[2J\x1b[31mred\x9b1m \u202eevil\u202c end."


def test_escape_sequences_are_neutralised_on_output_and_kept_in_storage(
    server: HostileServer, store: Store, claim: int
) -> None:
    url = server.route(
        "/t",
        respond(headers={"Content-Type": "text/plain; charset=utf-8"}, body=ESCAPES.encode()),
    )
    source = _attach(store, claim, url)
    assert service.fetch_source(store, source, config=FAST).ok
    bidi_article = store.articles.add(
        title="T\u202eitle", text="The minister said \u202eexports\u202c rose by 7 percent."
    )
    store.claims.add(
        bidi_article.id, start=0, end=len("The minister said \u202eexports\u202c rose"),
        text="The minister said \u202eexports\u202c rose", score=0.8,
    )  # fmt: skip
    db = store.path
    store.close()
    stored = sqlite3.connect(db).execute("SELECT text FROM snapshots").fetchone()[0]
    assert "\x1b]0;owned\x07" in stored and "\u202e" in stored  # the bytes stay as fetched
    outputs = {
        "snapshot --text": workbench("snapshot", str(source), "--text", db=db),
        "search": workbench("search", "exports", db=db),
        "claims": workbench("claims", str(bidi_article.id), db=db),
        "show": workbench("show", str(bidi_article.id), db=db),
        "articles": workbench("articles", db=db),
    }
    for name, result in outputs.items():
        assert result.code == 0, (name, result.err)
        for bad in ("\x1b", "\x07", "\x9b", "\u202e", "\u202c"):
            assert bad not in result.out, (name, bad)
    assert "\\x1b]0;owned\\x07" in outputs["snapshot --text"].out
    assert "\\u202e" in outputs["claims"].out
    as_json = workbench("snapshot", str(source), "--text", "--json", db=db)
    listing = workbench("show", str(bidi_article.id), "--json", db=db)
    assert "\u202e" not in listing.out and json.loads(listing.out)["text"].count("\u202e") == 1
    assert as_json.code == 0


# --------------------------------------------------------------------------- deep pages


@pytest.mark.parametrize("depth", [300, 3000])
def test_deeply_nested_html_keeps_every_paragraph(tmp_path: Path, depth: int) -> None:
    page = (
        "<html><head><title>Deep</title></head><body>"
        "<p>The opening paragraph says exports rose by 7 percent in 2023.</p>"
        + "<div>" * depth
        + "<p>Deep inside, the minister confirmed the figure.</p>"
        + "</div>" * depth
        + "<p>The closing top-level paragraph names the ministry of trade.</p></body></html>"
    )
    file = tmp_path / "deep.html"
    file.write_text(page, encoding="utf-8")
    db = tmp_path / "deep.sqlite3"
    result = workbench("import", file, db=db)
    assert result.code == 0, result.err
    shown = workbench("show", result.out.strip(), db=db)
    for words in ("opening paragraph", "Deep inside", "closing top-level paragraph"):
        assert words in shown.out, (depth, words)
