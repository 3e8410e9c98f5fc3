"""An undo is one transaction: killed half-way, it leaves the database as it was.

A child process runs a multi-row undo (bringing back two merged claims with
their evidence) and is SIGKILLed after some of those rows have been written
inside the transaction.  Then, from outside: ``workbench db check`` passes,
every row is as before the undo, no history entry claims an undo happened,
and the undo still works in full afterwards.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.reliability.helpers import REPO, integrity, workbench
from workbench.core.model import Stance, Verdict
from workbench.core.services import claims as claim_service
from workbench.core.services import sources as source_service
from workbench.core.storage import Store

TEXT = (
    "The city spent $4 million on roads in 2023. "
    "Officials said crime fell by 12 percent last year. "
    "The mayor was elected in 2019."
)

CHILD = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from sqlalchemy import text
    from sqlalchemy.orm import Session
    from workbench.core.services import history
    from workbench.core.storage import Store, changelog

    store = Store.open(Path(sys.argv[1]))
    store.actor = "tester"
    reverting = [False]
    flushes = [0]
    plain_flush, plain_revert = Session.flush, changelog.revert

    def revert(session, changes):
        reverting[0] = True
        return plain_revert(session, changes)

    def flush_then_pause(self, *args, **kwargs):
        plain_flush(self, *args, **kwargs)
        if not reverting[0]:
            return
        flushes[0] += 1
        if flushes[0] == 3:  # three of the undo's rows are written, none committed
            claims = self.execute(text("SELECT count(*) FROM claims")).scalar()
            print(f"paused {claims}", flush=True)
            time.sleep(600)

    changelog.revert = revert
    Session.flush = flush_then_pause
    history.undo(store)
    print("finished", flush=True)
    """
)


def _snapshot(db: Path) -> dict[str, list[tuple[object, ...]]]:
    conn = sqlite3.connect(db)
    try:
        return {
            table: conn.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall()
            for table in ("claims", "evidence", "history", "history_undo")
        }
    finally:
        conn.close()


@pytest.fixture
def merged(db_path: Path) -> tuple[Path, list[int]]:
    """Three claims with evidence merged into the first: undoing it is many rows."""
    store = Store.open(db_path)
    store.actor = "tester"
    try:
        article = store.articles.add(title="Roads", text=TEXT)
        spans = [
            (0, TEXT.index(".") + 1),
            (TEXT.index("Officials"), TEXT.index("year.") + 5),
            (TEXT.index("The mayor"), len(TEXT)),
        ]
        ids = [
            store.claims.add(article.id, start=s, end=e, text=TEXT[s:e], score=0.5).id
            for s, e in spans
        ]
        for n, cid in enumerate(ids):
            claim_service.set_verdict(store, cid, Verdict.TRUE if n else Verdict.FALSE)
            for k in range(2):
                source_service.attach_evidence(
                    store, cid, f"https://example.org/{n}/{k}", stance=Stance.SUPPORTS
                )
        source_service.attach_evidence(store, ids[1], "https://example.org/0/0", stance="refutes")
        claim_service.merge_claims(store, ids)
    finally:
        store.close()
    return db_path, ids


def test_an_undo_killed_half_way_changes_nothing(merged: tuple[Path, list[int]]) -> None:
    db, ids = merged
    before = _snapshot(db)
    env = {k: v for k, v in os.environ.items() if not k.startswith("WORKBENCH_")}
    env["PYTHONPATH"] = str(REPO)
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(db)], stdout=subprocess.PIPE, text=True, env=env
    )
    try:
        assert child.stdout is not None
        line = child.stdout.readline().strip()
        # inside its transaction the child already sees the two claims it brought back
        assert line == "paused 3", line
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.wait(30)
        if child.stdout is not None:
            child.stdout.close()
    assert child.returncode == -signal.SIGKILL

    check = workbench("db", "check", "--json", db=db)
    assert check.code == 0, check.out + check.err
    assert '"ok": true' in check.out
    assert integrity(db) == ["ok"]
    assert _snapshot(db) == before  # not one row of the half-done undo, no history entry

    # and the undo, run again to the end, brings everything back at once
    done = workbench("undo", db=db, env={"WORKBENCH_USER": "tester"})
    assert done.code == 0, done.err
    after = _snapshot(db)
    assert [row[0] for row in after["claims"]] == ids
    assert len(after["evidence"]) == 7
    assert [row[3] for row in after["history"]][-1] == "undo"
