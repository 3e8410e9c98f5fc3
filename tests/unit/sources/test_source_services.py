"""Attach, fetch and re-check on a real SQLite store and a real local HTTP server."""

from __future__ import annotations

import gzip
import re
import socket
import threading
from collections.abc import Callable

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from workbench.core.errors import CancelledError, NotFoundError, UserInputError
from workbench.core.model import Claim, FetchState, Stance
from workbench.core.services.sources import (
    RecheckStatus,
    attach_evidence,
    fetch_pending,
    fetch_source,
    recheck_article,
    source_wayback_url,
)
from workbench.core.sources.fetch import FetchConfig
from workbench.core.sources.pdf import NOT_EXTRACTED
from workbench.core.storage import Store

pytestmark = pytest.mark.network

FAST = FetchConfig(connect_timeout=2, total_timeout=5)

ARTICLE_HTML = """<!doctype html><html><head>
<title>Trade deal signed | Harbour Times</title>
<meta property="og:site_name" content="Harbour Times">
<meta name="author" content="Ana Ruiz">
<meta property="article:published_time" content="2024-06-01T08:00:00Z">
</head><body><nav>Home | Business</nav><article><h1>Trade deal signed</h1>
<p>The two governments signed a trade agreement on Saturday covering tariffs on steel,
grain and machinery after eighteen months of negotiation.</p>
<p>\u201cTrade will grow by 5% next year,\u201d the minister told reporters in the capital,
adding that customs checks would be simplified from January.</p>
</article><footer>\u00a9 Harbour Times</footer></body></html>"""


def seed_claims(store: Store, n: int = 2) -> list[Claim]:
    text = "Trade will grow by 5% next year, the minister said. Steel tariffs fall to zero."
    article = store.articles.add(title="Trade", text=text)
    return [
        store.claims.add(article.id, start=0, end=50, text=text[:50], score=0.9, position=i)
        for i in range(n)
    ]


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# ---------------------------------------------------------------- attach


def test_attach_saves_at_once_without_network(store: Store) -> None:
    claim = seed_claims(store, 1)[0]
    url = f"http://127.0.0.1:{closed_port()}/story?utm_source=x#top"
    view, changes = attach_evidence(
        store, claim.id, url, stance="supports", excerpt="  grow by 5%  ", note="ministry"
    )
    assert view.evidence.stance is Stance.SUPPORTS
    assert view.evidence.excerpt == "grow by 5%"
    assert view.evidence.note == "ministry"
    assert view.evidence.excerpt_found is None
    assert view.source.url == url
    assert view.source.normalized_url.endswith("/story")
    assert view.source.fetch_state is FetchState.PENDING
    assert changes.evidence == {view.evidence.id}
    assert changes.sources == {view.source.id}
    assert [v.evidence.id for v in store.evidence.for_claim(claim.id)] == [view.evidence.id]


@pytest.mark.parametrize("bad", ["", "javascript:alert(1)", "file:///etc/passwd", "ftp://x.test/"])
def test_bad_url_stores_nothing(store: Store, bad: str) -> None:
    claim = seed_claims(store, 1)[0]
    with pytest.raises(UserInputError):
        attach_evidence(store, claim.id, bad, stance=Stance.CONTEXT)
    assert store.evidence.for_claim(claim.id) == []
    assert store.sources.pending() == []


def test_bad_stance_and_missing_claim_store_nothing(store: Store) -> None:
    claim = seed_claims(store, 1)[0]
    with pytest.raises(UserInputError) as info:
        attach_evidence(store, claim.id, "https://a.test/", stance="agrees")
    assert "supports, refutes, context, mixed" in info.value.one_line()
    with pytest.raises(NotFoundError):
        attach_evidence(store, 9999, "https://a.test/", stance="supports")
    assert store.sources.pending() == []


def test_same_url_twice_on_a_claim_is_one_row_and_two_claims_one_source(store: Store) -> None:
    first, second = seed_claims(store, 2)
    a, _ = attach_evidence(
        store, first.id, "https://News.test:443/a?utm_medium=x", stance="supports"
    )
    b, _ = attach_evidence(
        store, first.id, "https://news.test/a#comments", stance="refutes", note="changed mind"
    )
    assert a.evidence.id == b.evidence.id
    rows = store.evidence.for_claim(first.id)
    assert len(rows) == 1
    assert rows[0].evidence.stance is Stance.REFUTES
    assert rows[0].evidence.note == "changed mind"
    c, _ = attach_evidence(store, second.id, "https://news.test/a?fbclid=zz", stance="context")
    assert c.source.id == a.source.id
    assert c.evidence.id != a.evidence.id
    assert a.source.url == "https://News.test:443/a?utm_medium=x"  # the original is kept


def test_unreachable_server_keeps_evidence_not_fetched_with_reason(store: Store) -> None:
    claim = seed_claims(store, 1)[0]
    port = closed_port()
    view, _ = attach_evidence(
        store, claim.id, f"http://127.0.0.1:{port}/a", stance="supports", excerpt="5%"
    )
    outcome = fetch_source(store, view.source.id, config=FAST)
    assert not outcome.ok
    assert outcome.error_kind == "connection"
    assert outcome.snapshot is None
    source = store.sources.get(view.source.id)
    assert source.fetch_state is FetchState.FAILED
    assert source.fetch_error is not None
    assert f"127.0.0.1:{port}" in source.fetch_error
    kept = store.evidence.for_claim(claim.id)
    assert [(v.evidence.excerpt, v.evidence.stance) for v in kept] == [("5%", Stance.SUPPORTS)]
    assert store.sources.snapshots(view.source.id) == []


# ---------------------------------------------------------------- fetch


def test_html_article_snapshot_with_metadata_and_excerpts(
    store: Store, httpserver: HTTPServer
) -> None:
    first, second = seed_claims(store, 2)
    httpserver.expect_request("/deal").respond_with_data(
        ARTICLE_HTML, content_type="text/html; charset=utf-8"
    )
    url = httpserver.url_for("/deal")
    good, _ = attach_evidence(
        store, first.id, url, stance="supports", excerpt='"Trade will grow by 5% next year,"'
    )
    bad, _ = attach_evidence(store, second.id, url, stance="refutes", excerpt="grow by 9%")
    outcome = fetch_source(store, good.source.id, config=FAST)
    assert outcome.ok, outcome.error
    snap = outcome.snapshot
    assert snap is not None
    assert snap.http_status == 200
    assert snap.final_url == url
    assert snap.content_type == "text/html; charset=utf-8"
    assert snap.title == "Trade deal signed"
    assert snap.site == "Harbour Times"
    assert snap.author == "Ana Ruiz"
    assert snap.published == "2024-06-01"
    assert snap.text is not None
    assert "eighteen months of negotiation" in snap.text
    assert "Home | Business" not in snap.text
    assert snap.raw_sha256 is not None
    assert snap.text_sha256 is not None
    assert store.sources.snapshot_raw(snap.id) == ARTICLE_HTML.encode()
    source = store.sources.get(good.source.id)
    assert source.fetch_state is FetchState.FETCHED
    assert source.title == "Trade deal signed"
    assert source.fetched_at is not None
    assert source.fetched_at.tzinfo is not None or source.fetched_at.utcoffset() is None
    assert store.evidence.get(good.evidence.id).excerpt_found is True
    assert store.evidence.get(bad.evidence.id).excerpt_found is False
    assert outcome.changes.evidence == {good.evidence.id, bad.evidence.id}
    # attaching to a fetched source checks the excerpt at once, with no fetch
    third, _ = attach_evidence(store, second.id, url, stance="refutes", excerpt="customs checks")
    assert third.evidence.id == bad.evidence.id
    assert third.evidence.excerpt_found is True


def test_plain_text_pdf_gzip_and_charset(
    store: Store, httpserver: HTTPServer, make_pdf: Callable[..., bytes]
) -> None:
    claim = seed_claims(store, 1)[0]
    cyrillic = "Министр сказал: «торговля вырастет на 5%»."
    httpserver.expect_request("/t.txt").respond_with_data(
        "Line one.\r\nTrade grew 5%.\r\n", content_type="text/plain"
    )
    httpserver.expect_request("/r.pdf").respond_with_data(
        make_pdf(["Bilateral trade grew by 5 percent."]), content_type="application/pdf"
    )
    httpserver.expect_request("/scan.pdf").respond_with_data(
        make_pdf([], text=False), content_type="application/pdf"
    )
    httpserver.expect_request("/gz").respond_with_data(
        gzip.compress(ARTICLE_HTML.encode()),
        content_type="text/html; charset=utf-8",
        headers={"Content-Encoding": "gzip"},
    )
    httpserver.expect_request("/ru").respond_with_data(
        f"<html><body><article><p>{cyrillic}</p><p>{cyrillic}</p></article></body></html>".encode(
            "windows-1251"
        ),
        content_type="text/html; charset=windows-1251",
    )
    httpserver.expect_request("/latin").respond_with_data(
        "Caf\u00e9 prices rose \u2014 \u201cby 3%\u201d.".encode("cp1252"),
        content_type="text/plain; charset=iso-8859-1",
    )
    snaps = {}
    for path, excerpt in [
        ("/t.txt", "trade grew 5%"),
        ("/r.pdf", "grew by 5 percent"),
        ("/scan.pdf", "anything"),
        ("/gz", "trade will grow by 5%"),
        ("/ru", "«торговля вырастет на 5%»"),
        ("/latin", 'Café prices rose - "by 3%"'),
    ]:
        view, _ = attach_evidence(
            store, claim.id, httpserver.url_for(path), stance="context", excerpt=excerpt
        )
        outcome = fetch_source(store, view.source.id, config=FAST)
        assert outcome.ok, outcome.error
        assert outcome.snapshot is not None
        snaps[path] = (outcome.snapshot, store.evidence.get(view.evidence.id).excerpt_found)
    assert snaps["/t.txt"][0].text == "Line one.\nTrade grew 5%."
    assert snaps["/t.txt"][1] is True
    pdf, found = snaps["/r.pdf"]
    assert pdf.content_type == "application/pdf"
    assert pdf.text is not None
    assert "Bilateral trade grew by 5 percent." in pdf.text
    assert pdf.title == "Trade report 2024"
    assert found is True
    scan, found = snaps["/scan.pdf"]
    assert scan.text is None
    assert scan.note is not None
    assert scan.note.startswith(NOT_EXTRACTED)
    assert found is None  # cannot tell without text
    assert snaps["/gz"][0].title == "Trade deal signed"
    assert snaps["/gz"][1] is True
    ru, found = snaps["/ru"]
    assert ru.text is not None
    assert cyrillic in ru.text
    assert ru.content_type == "text/html; charset=windows-1251"
    assert found is True
    assert snaps["/latin"][0].text == "Caf\u00e9 prices rose \u2014 \u201cby 3%\u201d."
    assert snaps["/latin"][1] is True


def test_redirect_chain_stores_final_url(store: Store, httpserver: HTTPServer) -> None:
    claim = seed_claims(store, 1)[0]
    httpserver.expect_request("/old").respond_with_data(
        "", status=301, headers={"Location": "/mid"}
    )
    httpserver.expect_request("/mid").respond_with_data(
        "", status=302, headers={"Location": "/new"}
    )
    httpserver.expect_request("/new").respond_with_data("Moved here.", content_type="text/plain")
    view, _ = attach_evidence(store, claim.id, httpserver.url_for("/old"), stance="context")
    outcome = fetch_source(store, view.source.id, config=FAST)
    assert outcome.snapshot is not None
    assert outcome.snapshot.final_url == httpserver.url_for("/new")
    source = store.sources.get(view.source.id)
    assert source.final_url == httpserver.url_for("/new")
    assert source.normalized_url == httpserver.url_for("/old")


@pytest.mark.parametrize(
    ("setup", "kind", "status"),
    [
        ("loop", "redirect_loop", None),
        ("404", "http", 404),
        ("500", "http", 500),
        ("png", "content_type", 200),
        ("big", "too_large", 200),
        ("slow", "timeout", None),
    ],
)
def test_failures_are_recorded_and_evidence_stays(
    store: Store, httpserver: HTTPServer, setup: str, kind: str, status: int | None
) -> None:
    claim = seed_claims(store, 1)[0]
    release = threading.Event()
    if setup == "loop":
        httpserver.expect_request("/p").respond_with_data(
            "", status=302, headers={"Location": "/p"}
        )
    elif setup in {"404", "500"}:
        httpserver.expect_request("/p").respond_with_data("no", status=int(setup))
    elif setup == "png":
        httpserver.expect_request("/p").respond_with_data(b"\x89PNG", content_type="image/png")
    elif setup == "big":
        httpserver.expect_request("/p").respond_with_data(b"x" * 300_000, content_type="text/plain")
    else:

        def slow(request: Request) -> Response:
            release.wait(1.5)
            return Response("late", content_type="text/plain")

        httpserver.expect_request("/p").respond_with_handler(slow)
    config = FetchConfig(connect_timeout=1, total_timeout=0.4, max_bytes=100_000)
    view, _ = attach_evidence(store, claim.id, httpserver.url_for("/p"), stance="mixed", note="n")
    outcome = fetch_source(store, view.source.id, config=config)
    release.set()
    assert outcome.error_kind == kind
    source = store.sources.get(view.source.id)
    assert source.fetch_state is FetchState.FAILED
    assert source.fetch_error == outcome.error
    assert source.http_status == status
    assert store.evidence.get(view.evidence.id).note == "n"


def test_failed_refetch_keeps_the_snapshot(store: Store, httpserver: HTTPServer) -> None:
    claim = seed_claims(store, 1)[0]
    httpserver.expect_oneshot_request("/p").respond_with_data(
        "Trade grew.", content_type="text/plain"
    )
    view, _ = attach_evidence(
        store, claim.id, httpserver.url_for("/p"), stance="supports", excerpt="grew"
    )
    first = fetch_source(store, view.source.id, config=FAST)
    assert first.ok
    httpserver.expect_request("/p").respond_with_data("gone", status=404)
    second = fetch_source(store, view.source.id, config=FAST)
    assert not second.ok
    source = store.sources.get(view.source.id)
    assert source.fetch_state is FetchState.FETCHED
    assert source.current_snapshot_id == first.snapshot.id if first.snapshot else False
    assert source.fetch_error is not None
    assert "HTTP 404" in source.fetch_error
    assert store.evidence.get(view.evidence.id).excerpt_found is True


def test_fetch_pending_bounded_with_progress(store: Store, threaded_httpserver: HTTPServer) -> None:
    httpserver = threaded_httpserver
    claims = seed_claims(store, 2)
    active = 0
    peak = 0
    lock = threading.Lock()

    def page(request: Request) -> Response:
        nonlocal active, peak
        with lock:
            active += 1
            peak = max(peak, active)
        threading.Event().wait(0.05)
        with lock:
            active -= 1
        return Response(f"Page {request.path}", content_type="text/plain")

    httpserver.expect_request(re.compile(r"/p\d+")).respond_with_handler(page)
    ids = []
    for i in range(8):
        view, _ = attach_evidence(
            store, claims[i % 2].id, httpserver.url_for(f"/p{i}"), stance="context"
        )
        ids.append(view.source.id)
    dead, _ = attach_evidence(
        store, claims[0].id, f"http://127.0.0.1:{closed_port()}/", stance="context"
    )
    calls: list[tuple[int, int, str]] = []
    report = fetch_pending(
        store,
        article_id=claims[0].article_id,
        max_workers=3,
        config=FAST,
        progress=lambda d, t, label: calls.append((d, t, label)),
    )
    assert report.fetched == 8
    assert report.failed == 1
    assert 2 <= peak <= 3  # concurrent, and bounded
    assert calls[0][:2] == (0, 9)
    assert calls[-1][:2] == (9, 9)
    assert report.changes.sources == {*ids, dead.source.id}
    assert all(store.sources.get(i).fetch_state is FetchState.FETCHED for i in ids)
    # the failed one is still pending; nothing else is
    assert [s.id for s in store.sources.pending()] == [dead.source.id]


def test_fetch_pending_cancellation(store: Store, httpserver: HTTPServer) -> None:
    claim = seed_claims(store, 1)[0]
    httpserver.expect_request("/p").respond_with_data("x", content_type="text/plain")
    attach_evidence(store, claim.id, httpserver.url_for("/p"), stance="context")
    with pytest.raises(CancelledError):
        fetch_pending(store, config=FAST, is_cancelled=lambda: True)
    assert len(store.sources.pending()) == 1


# ---------------------------------------------------------------- re-check


def test_recheck_reports_each_kind_of_change(store: Store, httpserver: HTTPServer) -> None:
    claim = seed_claims(store, 1)[0]
    pages = {
        "/same": "Stable paragraph one.\nStable paragraph two.",
        "/edit": "Deficit was 3.1% of GDP.\nMinisters met on Monday.\nNo comment.",
        "/quote": "The minister said trade will grow by 5% next year.",
        "/gone": "Here today.",
        "/move": "Content that moves.",
        "/moved-target": "Content that moves.",
    }
    routes = {"/move": None}

    def handler(request: Request) -> Response:
        if request.path == "/move" and routes["/move"]:
            return Response("", status=301, headers={"Location": routes["/move"]})
        if request.path not in pages:
            return Response("not here", status=404)
        return Response(pages[request.path], content_type="text/plain; charset=utf-8")

    httpserver.expect_request(re.compile(r"/.*")).respond_with_handler(handler)
    views = {}
    for path in ["/same", "/edit", "/quote", "/gone", "/move"]:
        excerpt = "grow by 5%" if path == "/quote" else ""
        views[path], _ = attach_evidence(
            store, claim.id, httpserver.url_for(path), stance="supports", excerpt=excerpt
        )
    first = recheck_article(store, claim.article_id, config=FAST)
    assert [r.status for r in first] == [RecheckStatus.NEW] * 5

    pages["/edit"] = (
        "Deficit was 4.2% of GDP.\nMinisters met on Monday.\nNo comment.\nCorrection appended."
    )
    pages["/quote"] = "The minister said trade will grow next year."
    del pages["/gone"]
    routes["/move"] = "/moved-target"
    results = {r.url: r for r in recheck_article(store, claim.article_id, config=FAST)}
    by_path = {path: results[views[path].source.normalized_url] for path in views}

    assert by_path["/same"].status is RecheckStatus.UNCHANGED
    edit = by_path["/edit"]
    assert edit.status is RecheckStatus.CHANGED
    assert edit.diff is not None
    assert edit.diff.startswith("+2 \u22121 paragraphs; first change (changed):")
    assert "4.2%" in edit.diff
    quote = by_path["/quote"]
    assert quote.status is RecheckStatus.EXCERPT_MISSING
    assert RecheckStatus.CHANGED in quote.statuses
    assert quote.missing_evidence == (views["/quote"].evidence.id,)
    assert store.evidence.get(views["/quote"].evidence.id).excerpt_found is False
    gone = by_path["/gone"]
    assert gone.status is RecheckStatus.GONE
    assert gone.http_status == 404
    moved = by_path["/move"]
    assert moved.status is RecheckStatus.MOVED
    assert moved.final_url == httpserver.url_for("/moved-target")
    assert moved.moved_from == httpserver.url_for("/move")
    assert RecheckStatus.CHANGED not in moved.statuses

    # old snapshots are kept; a vanished page keeps its last good copy
    edit_snaps = store.sources.snapshots(views["/edit"].source.id)
    assert len(edit_snaps) == 2
    assert edit_snaps[0].text is not None
    assert "3.1%" in edit_snaps[0].text
    gone_source = store.sources.get(views["/gone"].source.id)
    assert len(store.sources.snapshots(gone_source.id)) == 1
    assert gone_source.current_snapshot_id == gone.previous_snapshot_id
    assert gone_source.fetch_error is not None


def test_recheck_unknown_article(store: Store) -> None:
    with pytest.raises(NotFoundError):
        recheck_article(store, 424242)


def test_wayback_address_is_built_offline(store: Store) -> None:
    claim = seed_claims(store, 1)[0]
    view, _ = attach_evidence(store, claim.id, "https://news.test/a?utm_source=x", stance="context")
    address = source_wayback_url(store, view.source.id)
    assert address.startswith("https://web.archive.org/web/")
    assert address.endswith("/https://news.test/a")


def test_download_on_a_thread_then_save_on_the_writer(store: Store, httpserver: HTTPServer) -> None:
    """The app's split: network on a worker thread, the database on its own lane."""
    from concurrent.futures import ThreadPoolExecutor

    from workbench.core.services.sources import Download, download_source, save_download

    claim = seed_claims(store, 1)[0]
    httpserver.expect_request("/deal").respond_with_data(ARTICLE_HTML, content_type="text/html")
    ok, _ = attach_evidence(
        store, claim.id, httpserver.url_for("/deal"), stance="supports", excerpt="5% next year"
    )
    dead, _ = attach_evidence(
        store, claim.id, f"http://127.0.0.1:{closed_port()}/", stance="context"
    )
    with ThreadPoolExecutor(max_workers=2) as pool:
        downloads: list[Download] = list(
            pool.map(lambda s: download_source(s, config=FAST), [ok.source, dead.source])
        )
    assert store.sources.snapshots(ok.source.id) == []  # nothing written by the threads
    good = save_download(store, downloads[0])
    bad = save_download(store, downloads[1])
    assert good.ok
    assert good.snapshot is not None
    assert good.snapshot.title == "Trade deal signed"
    assert store.evidence.get(ok.evidence.id).excerpt_found is True
    assert not bad.ok
    assert store.sources.get(dead.source.id).fetch_state is FetchState.FAILED
