"""Claim extraction for the window: spaCy in a worker process, the save on the db lane.

Why a process: spaCy's parser is Cython that keeps the GIL for the length of
a batch, and loading a pipeline unpickles it under the GIL for a second or
more.  In a worker *thread* both stall the UI thread's event loop (the
benchmark saw 260 ms on a first extraction and 45-430 ms on later ones on
the 2-core machine); in a separate process they cannot.

One long-lived process (spawn start method, so it inherits no Qt state)
keeps the pipeline loaded between articles.  A job sends the text and gets
back the :class:`~workbench.core.nlp.extract.ExtractionResult` (plain
dataclasses, pickled); progress comes back over the same queue, and
cancelling sets a shared ``Event`` that the extractor polls at every batch.
Merging the proposals with the user's work and writing them is a database
write, so it runs on the TaskRunner's one-thread "db" lane like every other.

Nothing here imports Qt; :func:`start_extraction` only needs a runner.
"""

from __future__ import annotations

import atexit
import itertools
import pickle
import queue
import threading
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from workbench.core.errors import ModelUnavailableError
from workbench.core.model import CancelFn, ProgressFn
from workbench.core.storage import Store

if TYPE_CHECKING:
    from workbench.core.nlp.extract import ExtractionResult
    from workbench.core.services.claims import ExtractReport
    from workbench.ui.tasks import TaskHandle, TaskRunner

POLL_S = 0.05
"""How often the waiting thread checks for cancellation and a dead worker."""

STOP_TIMEOUT_S = 5.0


def _serve(requests: Any, replies: Any, cancel: Any) -> None:  # pragma: no cover - child
    """The worker process's loop: one extraction per request, until ``None``."""
    from workbench.core.nlp.extract import extract_claims
    from workbench.core.nlp.loader import load_pipeline
    from workbench.core.nlp.scoring import get_scorer

    while True:
        request = requests.get()
        if request is None:
            return
        job, text, dateline, model, scorer_name = request

        def progress(done: int, total: int, label: str, job: int = job) -> None:
            replies.put(("progress", job, (done, total, label)))

        try:
            result = extract_claims(
                text,
                dateline=dateline,
                progress=progress,
                is_cancelled=cancel.is_set,
                nlp=load_pipeline(model),
                scorer=get_scorer(scorer_name),
            )
            replies.put(("done", job, result))
        except BaseException as exc:  # every failure goes back to the app
            replies.put(("error", job, _portable(exc)))


def _portable(exc: BaseException) -> BaseException:
    """``exc`` if it survives pickling, else a RuntimeError carrying its text."""
    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:  # any pickling problem: describe it instead
        return RuntimeError(f"{type(exc).__name__}: {exc}")
    return exc


class ExtractionWorker:
    """A long-lived extraction process, started on first use; one job at a time."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._jobs = itertools.count(1)
        self._process: Any = None
        self._requests: Any = None
        self._replies: Any = None
        self._cancel: Any = None

    def _ensure_started(self) -> None:
        if self._process is not None and self._process.is_alive():
            return
        import multiprocessing

        ctx = multiprocessing.get_context("spawn")
        self._requests = ctx.Queue()
        self._replies = ctx.Queue()
        self._cancel = ctx.Event()
        self._process = ctx.Process(
            target=_serve,
            args=(self._requests, self._replies, self._cancel),
            name="workbench-extraction",
            daemon=True,
        )
        self._process.start()

    def is_running(self) -> bool:
        return self._process is not None and self._process.is_alive()

    def extract(
        self,
        text: str,
        *,
        dateline: date | None,
        model: str | None,
        scorer: str,
        progress: ProgressFn | None = None,
        is_cancelled: CancelFn | None = None,
    ) -> ExtractionResult:
        """Extract in the worker process; blocks the calling (worker) thread only."""
        with self._lock:
            self._ensure_started()
            self._cancel.clear()
            job = next(self._jobs)
            self._requests.put((job, text, dateline, model, scorer))
            while True:
                if is_cancelled is not None and is_cancelled():
                    self._cancel.set()
                try:
                    kind, reply_job, payload = self._replies.get(timeout=POLL_S)
                except queue.Empty:
                    if not self._process.is_alive():
                        code = self._process.exitcode
                        self._process = None
                        raise ModelUnavailableError(
                            f"the extraction process stopped unexpectedly (exit code {code})",
                            hint="try again; if it keeps stopping, check the spaCy model "
                            "in Settings",
                        ) from None
                    continue
                if reply_job != job:
                    continue  # a late message from a job that was abandoned
                if kind == "progress":
                    if progress is not None:
                        progress(*payload)
                elif kind == "done":
                    result: ExtractionResult = payload
                    return result
                else:
                    raise payload

    def shutdown(self) -> None:
        """Stop the process (it also dies with the app: it is a daemon)."""
        process = self._process
        if process is None:
            return
        self._process = None
        if self._cancel is not None:
            self._cancel.set()
        try:
            self._requests.put(None)
            process.join(STOP_TIMEOUT_S)
        finally:
            if process.is_alive():
                process.terminate()
                process.join(STOP_TIMEOUT_S)
            for q in (self._requests, self._replies):
                q.close()
                q.join_thread()


_worker: ExtractionWorker | None = None
_worker_lock = threading.Lock()


def worker() -> ExtractionWorker:
    """The app's one extraction process (created lazily, stopped at exit)."""
    global _worker
    with _worker_lock:
        if _worker is None:
            _worker = ExtractionWorker()
            atexit.register(_worker.shutdown)
        return _worker


def analyse(
    store: Store,
    article_id: int,
    *,
    progress: ProgressFn | None = None,
    is_cancelled: CancelFn | None = None,
) -> ExtractionResult:
    """Read the article and settings (quick reads), extract in the worker process."""
    article = store.articles.get(article_id)
    return worker().extract(
        article.text,
        dateline=article.dateline,
        model=store.settings.get("spacy_model") or None,
        scorer=store.settings.get("scorer") or "auto",
        progress=progress,
        is_cancelled=is_cancelled,
    )


def save(
    store: Store,
    article_id: int,
    result: ExtractionResult,
    *,
    is_cancelled: CancelFn | None = None,
) -> ExtractReport:
    """Merge ``result`` with the stored claims and write it in one transaction.

    The very code the CLI's extraction saves through
    (:func:`workbench.core.services.claims.save_extraction`).
    """
    from workbench.core.services.claims import save_extraction

    return save_extraction(store, article_id, result, is_cancelled=is_cancelled)


def start_extraction(
    runner: TaskRunner,
    store: Store,
    article_id: int,
    *,
    on_success: Callable[[ExtractReport], None],
    on_failure: Callable[[BaseException], None],
    on_handle: Callable[[TaskHandle], None] | None = None,
) -> TaskHandle:
    """Extract (io lane, waiting on the process), then save (db lane).

    Returns the first handle; ``on_handle`` also receives the save's handle
    when that phase starts, so a caller can cancel whichever is running.
    """

    def analysed(result: ExtractionResult) -> None:
        handle = runner.run(
            lambda _progress, cancelled: save(store, article_id, result, is_cancelled=cancelled),
            label="Saving claims",
            lane="db",
            on_success=on_success,
            on_failure=on_failure,
        )
        if on_handle is not None:
            on_handle(handle)

    return runner.run(
        lambda progress, cancelled: analyse(
            store, article_id, progress=progress, is_cancelled=cancelled
        ),
        label="Extracting claims",
        lane="io",
        on_success=analysed,
        on_failure=on_failure,
    )


__all__ = [
    "ExtractionWorker",
    "analyse",
    "save",
    "start_extraction",
    "worker",
]
