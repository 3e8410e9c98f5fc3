"""Extraction in the worker process: results, progress, cancel, a dying worker, the save."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from ui_helpers import SMALL_TEXT

from workbench.core.errors import CancelledError, ModelUnavailableError
from workbench.ui import spacy_process as extraction


def _save(store: Any, article_id: int, result: Any) -> Any:
    """``extraction.save`` where the app runs it: off the UI thread (the db lane)."""
    out: list[Any] = []
    worker = threading.Thread(target=lambda: out.append(extraction.save(store, article_id, result)))
    worker.start()
    worker.join(60)
    return out[0]


def test_the_process_extracts_and_reports_progress(store: Any) -> None:
    article = store.articles.add(title="Council budget", text=SMALL_TEXT)
    seen: list[tuple[int, int, str]] = []
    result = extraction.analyse(store, article.id, progress=lambda *a: seen.append(a))
    assert extraction.worker().is_running()
    assert result.claims, "the sample paragraph has check-worthy claims"
    assert all(SMALL_TEXT[c.start : c.end] == c.text for c in result.claims)
    assert seen and seen[-1][0] == seen[-1][1]  # progress reached its total
    assert store.claims.for_article(article.id) == []  # analysing writes nothing

    report = _save(store, article.id, result)
    stored = store.claims.for_article(article.id)
    assert [c.id for c in report.claims] == [c.id for c in stored]
    assert len(stored) == len(result.claims) == report.added
    assert report.changes.articles == {article.id}


def test_saving_again_keeps_the_users_work(store: Any) -> None:
    from workbench.core.model import Verdict

    article = store.articles.add(title="Council budget", text=SMALL_TEXT)
    result = extraction.analyse(store, article.id)
    _save(store, article.id, result)
    first = store.claims.for_article(article.id)[0]
    store.claims.update(first.id, verdict=Verdict.FALSE)
    report = _save(store, article.id, extraction.analyse(store, article.id))
    assert report.added == 0 and report.removed == 0
    assert store.claims.get(first.id).verdict is Verdict.FALSE


def test_cancelling_stops_the_job_and_the_worker_serves_the_next(store: Any) -> None:
    long_text = "\n\n".join([SMALL_TEXT] * 150)
    article = store.articles.add(title="Long", text=long_text)
    cancel = threading.Event()

    def progress(done: int, total: int, _label: str) -> None:
        if done >= 1:
            cancel.set()

    with pytest.raises(CancelledError):
        extraction.analyse(store, article.id, progress=progress, is_cancelled=cancel.is_set)
    small = store.articles.add(title="Small", text=SMALL_TEXT)
    assert extraction.analyse(store, small.id).claims


def test_a_worker_that_dies_is_reported_and_replaced(store: Any) -> None:
    article = store.articles.add(title="Long", text="\n\n".join([SMALL_TEXT] * 150))
    worker = extraction.worker()
    killed = threading.Event()

    def progress(done: int, _total: int, _label: str) -> None:
        if done >= 1 and not killed.is_set():
            killed.set()
            worker.kill()  # simulate a crash of the child

    with pytest.raises(ModelUnavailableError, match="stopped unexpectedly"):
        extraction.analyse(store, article.id, progress=progress)
    small = store.articles.add(title="Small", text=SMALL_TEXT)
    assert extraction.analyse(store, small.id).claims
    assert worker.is_running()


def test_start_extraction_saves_on_the_db_lane(qtbot: Any, store: Any, runner: Any) -> None:
    article = store.articles.add(title="Council budget", text=SMALL_TEXT)
    lanes: list[str] = []
    runner.task_started.connect(lambda handle: lanes.append(handle.lane))
    reports: list[Any] = []
    from workbench.ui.bus import ChangeBus
    from workbench.ui.ops import OpRunner

    bus = ChangeBus()
    broadcast: list[Any] = []
    bus.changed.connect(broadcast.append)
    extraction.start_extraction(
        OpRunner(store, runner, bus), article.id, on_success=reports.append, on_failure=pytest.fail
    )
    qtbot.waitUntil(lambda: bool(reports), timeout=60_000)
    assert lanes == ["io", "db"]
    assert len(store.claims.for_article(article.id)) == len(reports[0].claims) > 0
    # the runner broadcast the save's change record, with its history entry
    assert broadcast and broadcast[0].entry is not None
    assert broadcast[0].entry.kind == "extract"
