from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path

import pytest

from tests.unit.export.pdftext import read_pdf
from tests.unit.export.seed import SENTENCES, URLS, seed
from tests.unit.export.structure import parse_html
from workbench.core.errors import NotFoundError, UserInputError
from workbench.core.export.audit import AuditKind
from workbench.core.model import Status
from workbench.core.services.export import (
    MemoOptions,
    audit_article,
    build_memo,
    export_article,
)
from workbench.core.storage import Store

MEMO_DATE = date(2024, 5, 6)


def test_build_memo_reads_the_store(store: Store) -> None:
    s = seed(store)
    memo = build_memo(store, s.article_id, memo_date=MEMO_DATE)
    assert [c.text for c in memo.claims] == list(SENTENCES)
    assert memo.header.checker == "Dana Checker"
    assert memo.header.memo_date == MEMO_DATE
    assert memo.claims[0].location == "paragraph 1, sentence 2"
    assert memo.claims[1].location == "paragraph 3, sentence 1"
    assert memo.claims[2].location == "paragraph 4, sentence 2"
    assert [src.url for src in memo.sources] == [URLS[0], URLS[2], URLS[1]]
    # Claim 3 cites the copy current when its verdict was set, not the later one.
    (item,) = memo.claims[2].groups[0].items
    assert item.title == "Page 1 title"
    assert "source changed since the verdict" in item.warnings


def test_audit_article_lists_every_kind(store: Store) -> None:
    s = seed(store)
    items = audit_article(store, s.article_id)
    kinds = [(i.kind, i.claim_id) for i in items]
    assert (AuditKind.NOT_FETCHED, s.claim_ids[0]) in kinds
    assert (AuditKind.NO_EVIDENCE, s.claim_ids[1]) in kinds
    # Mostly false with only refuting evidence is consistent, not contradicted.
    assert (AuditKind.CONTRADICTED, s.claim_ids[2]) not in kinds
    assert (AuditKind.SOURCE_CHANGED, s.claim_ids[2]) in kinds
    assert (AuditKind.EXCERPT_NOT_FOUND, s.claim_ids[2]) in kinds
    assert json.loads(json.dumps([i.to_json() for i in items]))[0]["kind"]


@pytest.mark.parametrize("fmt", ["md", "html", "pdf", "claimreview"])
def test_export_writes_each_format_atomically(store: Store, tmp_path: Path, fmt: str) -> None:
    s = seed(store)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    target = out_dir / f"memo.{fmt}"
    target.write_bytes(b"old memo")
    result = export_article(
        store, s.article_id, fmt=fmt, output=target, options=MemoOptions(), memo_date=MEMO_DATE
    )
    assert result.path == target
    assert result.data is None
    data = target.read_bytes()
    assert result.size == len(data) > 100
    assert sorted(p.name for p in out_dir.iterdir()) == [target.name]  # no temp file left
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask  # a normal document, not 0600
    if fmt == "pdf":
        content = read_pdf(data)
        for sentence in SENTENCES:
            assert sentence in content.text
        for label in ("Claim 1: True", "Claim 2: False", "Claim 3: Mostly false"):
            assert label in content.text
        for url in URLS:
            assert url in content.compact
            assert url in content.uris
    elif fmt == "html":
        text = "".join(parse_html(data.decode()).text)
        for sentence in SENTENCES:
            assert sentence in text
    elif fmt == "md":
        assert b"**Memo date:** 2024-05-06" in data
    else:
        graph = json.loads(data)["@graph"]
        assert [r["reviewRating"]["alternateName"] for r in graph] == [
            "True",
            "False",
            "Mostly false",
        ]
        assert graph[0]["author"] == {"@type": "Person", "name": "Dana Checker"}


def test_export_is_deterministic_with_a_fixed_date(store: Store) -> None:
    s = seed(store)
    runs = [
        export_article(store, s.article_id, fmt="md", output=None, memo_date=MEMO_DATE).data
        for _ in range(2)
    ]
    assert runs[0] == runs[1]
    assert runs[0] is not None


def test_export_options_and_progress(store: Store) -> None:
    s = seed(store)
    store.claims.update(s.claim_ids[1], verdict=None, status=Status.UNCHECKED)
    calls: list[tuple[int, int, str]] = []
    result = export_article(
        store,
        s.article_id,
        fmt="markdown",
        output=None,
        options=MemoOptions(only_checked=True, min_score=0.6),
        memo_date=MEMO_DATE,
        progress=lambda d, t, label: calls.append((d, t, label)),
    )
    assert result.claims == 1
    assert calls[0][0] == 0 and calls[-1][:2] == (3, 3)


def test_export_into_a_folder_uses_a_default_name(store: Store, tmp_path: Path) -> None:
    s = seed(store)
    result = export_article(store, s.article_id, fmt="html", output=tmp_path, memo_date=MEMO_DATE)
    assert result.path is not None
    assert result.path == tmp_path / "memo-xi-hosts-putin-and-kim-in-beijing-2024-05-06.html"
    assert result.path.is_file()


def test_export_errors_are_known_errors(store: Store, tmp_path: Path) -> None:
    s = seed(store)
    with pytest.raises(NotFoundError):
        export_article(store, 999, fmt="md", output=None)
    with pytest.raises(UserInputError, match="unknown export format"):
        export_article(store, s.article_id, fmt="docx", output=None)
    with pytest.raises(UserInputError, match="does not exist"):
        export_article(store, s.article_id, fmt="md", output=tmp_path / "nope" / "memo.md")
