"""Claim extraction for the window: spaCy in a worker process, the save on the db lane.

(Named for what it runs -- the spaCy process -- so that "extract" means one
thing in the code: :mod:`workbench.core.nlp.extract`, finding claims.)

Why a process: spaCy's parser is Cython that keeps the GIL for the length of
a batch, and loading a pipeline unpickles it under the GIL for a second or
more.  In a worker *thread* both stall the UI thread's event loop (the
benchmark saw 260 ms on a first extraction and 45-430 ms on later ones on
the 2-core machine); in a separate process they cannot.

One long-lived process (:mod:`workbench.ui.spacy_process_main`, a fresh
interpreter that inherits no Qt state, at lower CPU priority) keeps the
pipeline loaded between articles.  A job sends the text over a pipe and
gets back the :class:`~workbench.core.nlp.extract.ExtractionResult` (plain
dataclasses, pickled); progress comes back the same way, and a cancel
message makes the extractor stop at its next batch.
Merging the proposals with the user's work and writing them is an
operation, so it runs through the :class:`~workbench.ui.ops.OpRunner` on the
one-thread "db" lane like every other write, which broadcasts its changes.

Nothing here imports Qt; :func:`start_extraction` only needs the runners.
"""

from __future__ import annotations

import atexit
import contextlib
import itertools
import os
import pickle
import queue
import subprocess
import sys
import threading
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.core.errors import ModelUnavailableError
from workbench.core.model import CancelFn, ProgressFn
from workbench.core.services.workspace import Workspace

if TYPE_CHECKING:
    from workbench.core.nlp.extract import ExtractionResult
    from workbench.core.services.claims import ExtractReport
    from workbench.ui.ops import OpRunner
    from workbench.ui.tasks import TaskHandle

POLL_S = 0.05
"""How often the waiting thread checks for cancellation and a dead worker."""

STOP_TIMEOUT_S = 5.0


class ExtractionWorker:
    """A long-lived extraction process, started on first use; one job at a time.

    The process is ``python -m workbench.ui.spacy_process_main`` (see there for
    the message format); a reader thread moves its replies into a queue.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._jobs = itertools.count(1)
        self._process: subprocess.Popen[bytes] | None = None
        self._replies: queue.Queue[tuple[Any, ...]] = queue.Queue()

    def _ensure_started(self) -> subprocess.Popen[bytes]:
        if self._process is not None and self._process.poll() is None:
            return self._process
        import workbench

        package_root = str(Path(workbench.__file__).resolve().parents[1])
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(
            [package_root] + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else [])
        )
        process = subprocess.Popen(
            [sys.executable, "-m", "workbench.ui.spacy_process_main"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
        )
        replies: queue.Queue[tuple[Any, ...]] = queue.Queue()
        assert process.stdout is not None
        threading.Thread(target=_read_replies, args=(process.stdout, replies), daemon=True).start()
        self._process, self._replies = process, replies
        return process

    def _send(self, process: subprocess.Popen[bytes], message: tuple[Any, ...]) -> None:
        assert process.stdin is not None
        try:
            pickle.dump(message, process.stdin, protocol=pickle.HIGHEST_PROTOCOL)
            process.stdin.flush()
        except (BrokenPipeError, OSError):
            pass  # the process died; the reply loop reports it

    def is_running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def kill(self) -> None:
        """Kill the process at once (tests use it to simulate a crash)."""
        if self._process is not None:
            self._process.kill()

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
            process = self._ensure_started()
            replies = self._replies
            job = next(self._jobs)
            self._send(process, ("job", job, text, dateline, model, scorer))
            cancel_sent = False
            while True:
                if not cancel_sent and is_cancelled is not None and is_cancelled():
                    self._send(process, ("cancel", job))
                    cancel_sent = True
                try:
                    kind, reply_job, payload = replies.get(timeout=POLL_S)
                except queue.Empty:
                    continue
                if kind == "eof":
                    code = process.wait()
                    self._process = None
                    _close_pipes(process)
                    raise ModelUnavailableError(
                        f"the extraction process stopped unexpectedly (exit code {code})",
                        hint="try again; if it keeps stopping, check the spaCy model in Settings",
                    )
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
        """Stop the process: ask, then terminate if it does not go."""
        process, self._process = self._process, None
        if process is None:
            return
        if process.poll() is None:
            self._send(process, ("stop",))
            with contextlib.suppress(OSError):
                if process.stdin is not None:
                    process.stdin.close()
            try:
                process.wait(STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                process.terminate()
                process.wait(STOP_TIMEOUT_S)
        _close_pipes(process)


def _close_pipes(process: subprocess.Popen[bytes]) -> None:
    for stream in (process.stdin, process.stdout):
        if stream is not None:
            with contextlib.suppress(OSError):
                stream.close()


def _read_replies(stream: Any, replies: queue.Queue[tuple[Any, ...]]) -> None:
    """Move the process's pickled replies into ``replies``; ("eof", 0, None) at the end."""
    while True:
        try:
            message = pickle.load(stream)
        except (EOFError, OSError, ValueError, pickle.UnpicklingError):
            replies.put(("eof", 0, None))
            return
        replies.put(message)


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
    store: Workspace,
    article_id: int,
    *,
    progress: ProgressFn | None = None,
    is_cancelled: CancelFn | None = None,
) -> ExtractionResult:
    """Read the article and settings (quick reads), extract in the worker process."""
    from workbench.core.services.articles import get_article
    from workbench.core.services.settings import load_settings

    article = get_article(store, article_id)
    settings = load_settings(store)
    return worker().extract(
        article.text,
        dateline=article.dateline,
        model=settings.spacy_model,
        scorer=settings.scorer_to_use,
        progress=progress,
        is_cancelled=is_cancelled,
    )


def save(
    store: Workspace,
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
    ops: OpRunner,
    article_id: int,
    *,
    on_success: Callable[[ExtractReport], None],
    on_failure: Callable[[BaseException], None],
    on_handle: Callable[[TaskHandle], None] | None = None,
) -> TaskHandle:
    """Extract (io lane, waiting on the process), then save (an operation on the db lane).

    Returns the first handle; ``on_handle`` also receives the save's handle
    when that phase starts, so a caller can cancel whichever is running.
    """
    runner, store = ops.tasks, ops.store

    def analysed(result: ExtractionResult) -> None:
        handle = ops.run_long(
            lambda workspace, _progress, cancelled: save(
                workspace, article_id, result, is_cancelled=cancelled
            ),
            label="Saving claims",
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
