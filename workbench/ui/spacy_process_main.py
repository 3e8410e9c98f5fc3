"""The extraction worker process: ``python -m workbench.ui.spacy_process_main``.

Started by :class:`workbench.ui.spacy_process.ExtractionWorker` with pipes for
stdin and stdout.  Messages are pickled tuples, one after another:

- in:  ``("job", id, text, dateline, model, scorer)``, ``("cancel", id)``, ``("stop",)``
- out: ``("progress", id, (done, total, label))``, ``("done", id, ExtractionResult)``,
  ``("error", id, exception)``

A plain subprocess rather than ``multiprocessing``: spawn re-runs the
parent's ``__main__`` in the child, which breaks any script that starts the
window without an ``if __name__ == "__main__"`` guard.  The real stdout is
kept for messages and fd 1 is pointed at stderr, so a library that prints
cannot corrupt the stream.  This module imports no Qt and no storage.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import queue
import sys
import threading
from typing import Any, BinaryIO

NICENESS = 10
"""How much lower the worker's CPU priority is than the app's: on a busy
machine the scheduler then serves the UI process first."""


def _portable(exc: BaseException) -> BaseException:
    """``exc`` if it survives pickling, else a RuntimeError carrying its text."""
    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:  # any pickling problem: describe it instead
        return RuntimeError(f"{type(exc).__name__}: {exc}")
    return exc


def serve(inbox: BinaryIO, outbox: BinaryIO) -> None:
    """Answer jobs from ``inbox`` on ``outbox`` until "stop" or end of input."""
    lock = threading.Lock()

    def send(message: tuple[Any, ...]) -> None:
        with lock:
            pickle.dump(message, outbox, protocol=pickle.HIGHEST_PROTOCOL)
            outbox.flush()

    jobs: queue.Queue[tuple[Any, ...] | None] = queue.Queue()
    cancelled: set[int] = set()

    def read() -> None:
        while True:
            try:
                message = pickle.load(inbox)
            except (EOFError, OSError, pickle.UnpicklingError):
                jobs.put(None)
                return
            if message[0] == "cancel":
                cancelled.add(message[1])
            elif message[0] == "stop":
                jobs.put(None)
                return
            else:
                jobs.put(message)

    threading.Thread(target=read, name="extraction-inbox", daemon=True).start()

    from workbench.core.nlp.extract import extract_claims
    from workbench.core.nlp.loader import load_pipeline
    from workbench.core.nlp.scoring import get_scorer

    while (request := jobs.get()) is not None:
        _, job, text, dateline, model, scorer_name = request

        def progress(done: int, total: int, label: str, job: int = job) -> None:
            send(("progress", job, (done, total, label)))

        def is_cancelled(job: int = job) -> bool:
            return job in cancelled

        try:
            result = extract_claims(
                text,
                dateline=dateline,
                progress=progress,
                is_cancelled=is_cancelled,
                nlp=load_pipeline(model),
                scorer=get_scorer(scorer_name),
            )
            send(("done", job, result))
        except BaseException as exc:  # every failure goes back to the app
            send(("error", job, _portable(exc)))
        cancelled.discard(job)


def main() -> None:
    with contextlib.suppress(AttributeError, OSError):
        os.nice(NICENESS)
    outbox = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    sys.stdout = sys.stderr
    serve(sys.stdin.buffer, outbox)


if __name__ == "__main__":
    main()
