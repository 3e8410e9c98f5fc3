"""The whole loop on the sample through the CLI, as the README walks it.

import -> extract -> attach (one fetched from a local server, one offline)
-> verdict -> export md, each step visible in ``claims --json``.  Uses the
real spaCy pipeline and whichever scorer is installed.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from workbench.cli.main import run

SAMPLE = (
    Path(__file__).resolve().parents[3] / "resources" / "samples" / "beijing-summit-article.txt"
)

PAGE = """<!doctype html><html><head><title>Pact signed in June 2024</title>
<meta property="og:site_name" content="Wire Service"></head><body><article>
<h1>Russia and North Korea sign defense pact</h1>
<p>Russia and North Korea signed a mutual defense pact in Pyongyang in June 2024,
months after the period the report describes.</p>
<p>The agreement commits each side to military assistance.</p></article></body></html>"""


def _json(capsys: pytest.CaptureFixture[str], *argv: str) -> object:
    assert run(list(argv)) == 0
    return json.loads(capsys.readouterr().out)


def test_cli_loop_on_the_sample(
    capsys: pytest.CaptureFixture[str], data_dir: Path, httpserver: HTTPServer
) -> None:
    db = str(data_dir / "loop.sqlite3")
    httpserver.expect_request("/pact").respond_with_data(PAGE, content_type="text/html")

    assert run(["--db", db, "import", str(SAMPLE), "--published", "2023-10-17"]) == 0
    article_id = int(capsys.readouterr().out.strip())

    extracted = _json(capsys, "--db", db, "extract", "--article", str(article_id), "--json")
    assert isinstance(extracted, dict)
    text = SAMPLE.read_text(encoding="utf-8").strip()
    claims = extracted["claims"]
    assert len(claims) >= 10
    for c in claims:  # every unedited automatic claim is an exact slice of the article
        assert text[c["start"] : c["end"]] == c["text"]
        assert 0.0 <= c["score"] <= 1.0
        assert {"id", "types", "entities", "facts", "status", "verdict"} <= set(c)
    kinds = {f["kind"] for f in extracted["flags"]}
    assert {"anachronism", "anniversary"} <= kinds

    pact = next(c for c in claims if "June 2024" in c["text"])
    troops = next(c for c in claims if "15,000" in c["text"])
    assert (
        run(
            [
                "--db",
                db,
                "attach",
                str(pact["id"]),
                httpserver.url_for("/pact"),
                "--stance",
                "refutes",
                "--excerpt",
                "signed a mutual defense pact",
            ]
        )
        == 0
    )
    capsys.readouterr()
    assert (
        run(
            [
                "--db",
                db,
                "attach",
                str(troops["id"]),
                "https://example.invalid/troops",
                "--stance",
                "supports",
                "--offline",
            ]
        )
        == 0
    )
    capsys.readouterr()
    assert (
        run(
            [
                "--db",
                db,
                "verdict",
                str(pact["id"]),
                "false",
                "--rationale",
                "The pact was signed in June 2024, after the article's dateline.",
                "--status",
                "checked",
            ]
        )
        == 0
    )
    capsys.readouterr()

    out = data_dir / "memo.md"
    assert (
        run(
            [
                "--db",
                db,
                "export",
                str(article_id),
                "--format",
                "md",
                "-o",
                str(out),
                "--date",
                "2026-11-28",
            ]
        )
        == 0
    )
    capsys.readouterr()
    memo = out.read_text(encoding="utf-8")
    assert "signed between Russia and North Korea in June 2024" in memo
    assert httpserver.url_for("/pact") in memo

    listing = _json(capsys, "--db", db, "claims", str(article_id), "--json")
    assert isinstance(listing, dict)
    by_id = {c["id"]: c for c in listing["claims"]}
    checked = by_id[pact["id"]]
    assert checked["verdict"] == "false" and checked["status"] == "checked"
    assert "after the article's dateline" in checked["rationale"]
    (refuting,) = checked["evidence"]
    assert refuting["stance"] == "refutes"
    assert refuting["source"]["fetch_state"] == "fetched"
    assert refuting["source"]["title"]
    assert refuting["excerpt_found"] is True
    (offline,) = by_id[troops["id"]]["evidence"]
    assert offline["source"]["fetch_state"] == "pending"
    assert listing["flags"]

    # Re-running extraction keeps the verdict and the evidence.
    again = _json(capsys, "--db", db, "extract", "--article", str(article_id), "--json")
    assert isinstance(again, dict)
    kept = {c["id"]: c for c in again["claims"]}[pact["id"]]
    assert kept["verdict"] == "false"
    listing2 = _json(capsys, "--db", db, "claims", str(article_id), "--json")
    assert isinstance(listing2, dict)
    assert {c["id"]: c for c in listing2["claims"]}[pact["id"]]["evidence"]
