"""``workbench export`` and ``workbench audit`` in-process on a real database."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from tests.unit.export.pdftext import read_pdf
from tests.unit.export.seed import SENTENCES, seed
from workbench.cli.main import run
from workbench.core.storage import Store


@pytest.fixture
def seeded_db(db_path: Path) -> tuple[str, int]:
    store = Store.open(db_path)
    try:
        article_id = seed(store).article_id
    finally:
        store.close()
    return str(db_path), article_id


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = run(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_export_markdown_to_stdout_is_reproducible(
    capsys: pytest.CaptureFixture[str], seeded_db: tuple[str, int]
) -> None:
    db, aid = seeded_db
    argv = ("--db", db, "export", str(aid), "--format", "md", "--date", "2024-05-06")
    code, first, err = _run(capsys, *argv)
    assert code == 0, err
    assert "**Memo date:** 2024-05-06" in first
    assert "audit: " in err
    code, second, _ = _run(capsys, *argv)
    assert first == second


@pytest.mark.parametrize("fmt", ["md", "html", "pdf", "claimreview"])
def test_export_to_file(
    capsys: pytest.CaptureFixture[str], seeded_db: tuple[str, int], tmp_path: Path, fmt: str
) -> None:
    db, aid = seeded_db
    target = tmp_path / f"memo.{fmt}"
    argv = ("--db", db, "export", str(aid), "--format", fmt, "-o", str(target))
    code, out, err = _run(capsys, *argv)
    assert code == 0, err
    assert out == ""
    assert f"wrote {target}" in err
    data = target.read_bytes()
    if fmt == "pdf":
        text = read_pdf(data).text
        for sentence in SENTENCES:
            assert sentence in text
    elif fmt == "claimreview":
        assert len(json.loads(data)["@graph"]) == 3
    else:
        assert SENTENCES[0].encode() in data


def test_export_filters(capsys: pytest.CaptureFixture[str], seeded_db: tuple[str, int]) -> None:
    db, aid = seeded_db
    code, out, err = _run(
        capsys, "--db", db, "export", str(aid), "--format", "claimreview", "--min-score", "0.8"
    )
    assert code == 0, err
    assert len(json.loads(out)["@graph"]) == 1


def test_pdf_is_refused_on_a_terminal(
    capsys: pytest.CaptureFixture[str],
    seeded_db: tuple[str, int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    class Tty(io.TextIOWrapper):
        def isatty(self) -> bool:
            return True

    tty = Tty(io.BytesIO(), encoding="utf-8")
    monkeypatch.setattr(sys, "stdout", tty)
    db, aid = seeded_db
    code = run(["--db", db, "export", str(aid), "--format", "pdf"])
    err = capsys.readouterr().err
    assert code == 2
    assert "refusing to write a PDF to the terminal" in err
    assert "-o FILE" in err
    assert tty.buffer.getvalue() == b""  # type: ignore[attr-defined]


def test_pdf_goes_to_a_redirected_stdout(
    seeded_db: tuple[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    pipe = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    monkeypatch.setattr(sys, "stdout", pipe)
    db, aid = seeded_db
    assert run(["--db", db, "export", str(aid), "--format", "pdf"]) == 0
    data = pipe.buffer.getvalue()  # type: ignore[attr-defined]
    assert data.startswith(b"%PDF-")
    assert SENTENCES[1] in read_pdf(data).text


@pytest.mark.parametrize(
    ("extra", "needle"),
    [
        (["--date", "06/05/2024"], "YYYY-MM-DD"),
        (["--min-score", "1.5"], "outside 0..1"),
        (["-o", "/definitely/not/here/memo.md"], "does not exist"),
    ],
)
def test_export_bad_input_is_one_line(
    capsys: pytest.CaptureFixture[str], seeded_db: tuple[str, int], extra: list[str], needle: str
) -> None:
    db, aid = seeded_db
    code, _, err = _run(capsys, "--db", db, "export", str(aid), "--format", "md", *extra)
    assert code == 2
    assert needle in err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_export_unknown_article(
    capsys: pytest.CaptureFixture[str], seeded_db: tuple[str, int]
) -> None:
    db, _ = seeded_db
    code, _, err = _run(capsys, "--db", db, "export", "999", "--format", "md")
    assert code == 2
    assert "no article with id 999" in err


def test_audit_text_and_json(
    capsys: pytest.CaptureFixture[str], seeded_db: tuple[str, int]
) -> None:
    db, aid = seeded_db
    code, out, _ = _run(capsys, "--db", db, "audit", str(aid))
    assert code == 0
    assert "Verdict without evidence: Claim 2 is rated False but cites no source." in out
    code, out, _ = _run(capsys, "--db", db, "audit", str(aid), "--json")
    kinds = {item["kind"] for item in json.loads(out)}
    assert kinds == {"no_evidence", "not_fetched", "source_changed", "excerpt_not_found"}
