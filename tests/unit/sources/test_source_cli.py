"""The attach/fetch/recheck/snapshot/wayback commands, end to end on a real database."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from workbench.cli.main import run
from workbench.core.model import FetchState
from workbench.core.storage import Store

pytestmark = pytest.mark.network

PAGE = (
    "<html><head><title>Trade figures</title><script>alert(1)</script></head><body><article>"
    "<p>The minister said trade will grow by 5% next year, according to figures the finance "
    "ministry released on Monday.</p><p>Steel tariffs fall to zero in January.</p>"
    '<img src="http://remote.test/x.png" alt="chart"></article></body></html>'
)


@pytest.fixture
def db(db_path: Path) -> tuple[Path, int]:
    """A database holding one article with one claim; returns (path, claim id)."""
    with Store.open(db_path) as store:
        text = "The minister said trade will grow by 5% next year."
        article = store.articles.add(title="Trade", text=text)
        claim = store.claims.add(article.id, start=0, end=len(text), text=text)
    return db_path, claim.id


def cli(db_path: Path, *args: str) -> int:
    return run(["--db", str(db_path), *args])


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_attach_fetches_and_prints_evidence_id(
    db: tuple[Path, int], httpserver: HTTPServer, capsys: pytest.CaptureFixture[str]
) -> None:
    path, claim_id = db
    httpserver.expect_request("/p").respond_with_data(PAGE, content_type="text/html")
    url = httpserver.url_for("/p") + "?utm_source=newsletter"
    rc = cli(path, "attach", str(claim_id), url, "--stance", "supports", "--excerpt", "grow by 5%")
    out, err = capsys.readouterr()
    assert rc == 0
    assert err == ""
    evidence_id = int(out.strip())
    with Store.open(path) as store:
        evidence = store.evidence.get(evidence_id)
        source = store.sources.get(evidence.source_id)
    assert evidence.excerpt_found is True
    assert source.fetch_state is FetchState.FETCHED
    assert source.title == "Trade figures"
    assert source.url == url


def test_attach_json_and_excerpt_warning(
    db: tuple[Path, int], httpserver: HTTPServer, capsys: pytest.CaptureFixture[str]
) -> None:
    path, claim_id = db
    httpserver.expect_request("/p").respond_with_data(PAGE, content_type="text/html")
    rc = cli(
        path, "attach", str(claim_id), httpserver.url_for("/p"), "--stance", "refutes",
        "--excerpt", "grow by 7%", "--note", "checked", "--json",
    )  # fmt: skip
    out, err = capsys.readouterr()
    assert rc == 0
    data = json.loads(out)
    assert data["stance"] == "refutes"
    assert data["note"] == "checked"
    assert data["excerpt_found"] is False
    assert data["source"]["fetch_state"] == "fetched"
    assert data["fetch"] == {"attempted": True, "ok": True, "error": None}
    assert "excerpt not found in source" in err


def test_attach_with_no_server_keeps_evidence_and_exits_zero(
    db: tuple[Path, int], capsys: pytest.CaptureFixture[str]
) -> None:
    path, claim_id = db
    port = closed_port()
    rc = cli(path, "attach", str(claim_id), f"http://127.0.0.1:{port}/a", "--stance", "context")
    out, err = capsys.readouterr()
    assert rc == 0
    assert err.count("\n") == 1
    assert err.startswith("warning: not fetched: Could not connect to")
    assert "Connection refused" in err
    assert "Traceback" not in err
    evidence_id = int(out.strip())
    with Store.open(path) as store:
        source = store.sources.get(store.evidence.get(evidence_id).source_id)
    assert source.fetch_state is FetchState.FAILED
    assert source.fetch_error is not None
    # fetch retries it and reports the failure with exit 1
    assert cli(path, "fetch", "--json") == 1
    report = json.loads(capsys.readouterr().out)
    assert [(r["source_id"], r["ok"], r["error_kind"]) for r in report] == [
        (source.id, False, "connection")
    ]


def test_offline_attach_then_fetch(
    db: tuple[Path, int], httpserver: HTTPServer, capsys: pytest.CaptureFixture[str]
) -> None:
    path, claim_id = db
    httpserver.expect_request("/p").respond_with_data(PAGE, content_type="text/html")
    url = httpserver.url_for("/p")
    assert cli(path, "attach", str(claim_id), url, "--stance", "mixed", "--offline") == 0
    capsys.readouterr()
    assert len(httpserver.log) == 0  # --offline never touches the network
    assert cli(path, "fetch") == 0
    out = capsys.readouterr().out
    assert "\tfetched\t" in out
    assert "Trade figures" in out
    assert cli(path, "fetch") == 0
    assert "nothing to fetch" in capsys.readouterr().out


def test_bad_input_is_one_line_exit_2(
    db: tuple[Path, int], capsys: pytest.CaptureFixture[str]
) -> None:
    path, claim_id = db
    for args in (
        ["attach", str(claim_id), "file:///etc/passwd", "--stance", "supports"],
        ["attach", str(claim_id), "https://a.test/", "--stance", "agrees"],
        ["attach", "999", "https://a.test/", "--stance", "supports", "--offline"],
        ["recheck", "999"],
        ["snapshot", "999"],
    ):
        assert cli(path, *args) == 2, args
        err = capsys.readouterr().err
        assert err.startswith("error: ")
        assert err.count("\n") == 1


def test_recheck_snapshot_and_wayback(
    db: tuple[Path, int], httpserver: HTTPServer, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path, claim_id = db
    httpserver.expect_oneshot_request("/p").respond_with_data(PAGE, content_type="text/html")
    url = httpserver.url_for("/p")
    assert cli(path, "attach", str(claim_id), url, "--stance", "supports") == 0
    capsys.readouterr()
    changed = PAGE.replace("Steel tariffs fall to zero", "Steel tariffs fall to 2%")
    httpserver.expect_request("/p").respond_with_data(changed, content_type="text/html")
    assert cli(path, "recheck", "1", "--json") == 0
    [result] = json.loads(capsys.readouterr().out)
    assert result["status"] == "changed"
    assert result["diff"].startswith("+1 \u22121 paragraph; first change (changed):")
    assert "2%" in result["diff"]

    assert cli(path, "snapshot", "1", "--json") == 0
    snaps = json.loads(capsys.readouterr().out)
    assert [s["current"] for s in snaps] == [False, True]
    assert cli(path, "snapshot", "1", "--text", "--snapshot", str(snaps[0]["id"])) == 0
    assert "fall to zero" in capsys.readouterr().out
    assert cli(path, "snapshot", "1", "--html") == 0
    shown = capsys.readouterr().out
    assert "fall to 2%" in shown
    assert "<script" not in shown
    assert "remote.test" not in shown
    assert "[chart]" in shown
    raw_file = tmp_path / "raw.html"
    assert cli(path, "snapshot", "1", "--raw", "-o", str(raw_file)) == 0
    assert raw_file.read_bytes() == changed.encode()
    assert cli(path, "wayback", "1") == 0
    address = capsys.readouterr().out.strip()
    assert address.startswith("https://web.archive.org/web/")
    assert address.endswith("/" + url)
