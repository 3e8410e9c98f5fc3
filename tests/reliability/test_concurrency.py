"""Two programs writing one database at once (the GUI and the CLI).

Both must succeed: a writer that finds the database locked waits on the busy
timeout instead of failing, and nothing either of them committed is lost.
When the other program does not let go within the timeout, the message is
one clear line naming the file.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.reliability.helpers import cli_env, count_rows, integrity
from workbench.core.errors import DatabaseError
from workbench.core.storage import Store
from workbench.core.storage import sqlite as dialect

HOLD_S = 2.0


def _articles(folder: Path, prefix: str, n: int) -> list[Path]:
    paths = []
    for i in range(n):
        p = folder / f"{prefix}-{i:02d}.txt"
        p.write_text(f"{prefix} report {i}: the budget rose by {i} percent.\n", encoding="utf-8")
        paths.append(p)
    return paths


def _spawn_import(db: Path, files: list[Path]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "workbench", "--db", str(db), "import", *map(str, files)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=cli_env(),
    )


@pytest.mark.slow
def test_cli_waits_for_a_write_held_by_the_gui(db_path: Path, tmp_path: Path) -> None:
    """The 'GUI' (this process) holds the write lock mid-import; the CLI waits, then finishes."""
    files = _articles(tmp_path, "cli", 20)
    proc = _spawn_import(db_path, files)
    assert proc.stdout is not None and proc.stderr is not None
    stamps: list[tuple[float, str]] = []
    first = proc.stdout.readline().decode()
    stamps.append((time.monotonic(), first.strip()))
    assert first.strip(), proc.stderr.read().decode()

    # The GUI takes the write lock (a long transaction: e.g. saving an extraction).
    gui = Store.open(db_path)
    holder = sqlite3.connect(db_path, timeout=30, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    locked_at = time.monotonic()
    holder.execute(
        "INSERT INTO settings (key, value, updated_at) "
        "VALUES ('checker_name', 'held by the GUI', '2024-01-01 00:00:00')"
    )
    time.sleep(HOLD_S)
    holder.execute("COMMIT")
    released_at = time.monotonic()
    holder.close()

    # The GUI keeps writing through the store while the CLI carries on.
    gui_ids = [
        gui.articles.add(title=f"GUI {i}", text=f"GUI article {i} says 3 percent.").id
        for i in range(10)
    ]
    for line in proc.stdout:
        stamps.append((time.monotonic(), line.decode().strip()))
    err = proc.stderr.read().decode()
    proc.stdout.close()
    proc.stderr.close()
    assert proc.wait(timeout=120) == 0, err
    gui.close()

    cli_ids = [int(s) for _, s in stamps]
    assert len(cli_ids) == len(files)
    assert len(set(cli_ids) | set(gui_ids)) == len(files) + len(gui_ids)
    # Some commit of the CLI must have come after the lock was released, i.e. it waited.
    assert any(t >= released_at for t, _ in stamps[1:]), "the CLI finished before the GUI's lock"
    assert released_at - locked_at >= HOLD_S
    assert count_rows(db_path) == len(files) + len(gui_ids)
    assert count_rows(db_path, "settings") >= 1
    assert integrity(db_path) == ["ok"]


@pytest.mark.slow
def test_two_cli_processes_import_at_once(db_path: Path, tmp_path: Path) -> None:
    a = _spawn_import(db_path, _articles(tmp_path, "first", 15))
    b = _spawn_import(db_path, _articles(tmp_path, "second", 15))
    out_a, err_a = a.communicate(timeout=180)
    out_b, err_b = b.communicate(timeout=180)
    assert a.returncode == 0, err_a.decode()
    assert b.returncode == 0, err_b.decode()
    ids = out_a.split() + out_b.split()
    assert len(ids) == 30 and len(set(ids)) == 30
    assert count_rows(db_path) == 30
    assert integrity(db_path) == ["ok"]


def test_gui_thread_and_store_share_a_database(db_path: Path) -> None:
    """Two Store objects (two windows, or GUI worker and GUI thread) writing concurrently."""
    first, second = Store.open(db_path), Store.open(db_path)
    errors: list[BaseException] = []

    def writer(store: Store, name: str) -> None:
        try:
            for i in range(40):
                store.articles.add(title=f"{name} {i}", text=f"{name} text {i} rose 2 percent.")
        except BaseException as exc:
            errors.append(exc)

    threads = [
        threading.Thread(target=writer, args=(first, "one")),
        threading.Thread(target=writer, args=(second, "two")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    first.close()
    second.close()
    assert errors == []
    assert count_rows(db_path) == 80


def test_lock_never_released_gives_one_clear_line(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When the other program never lets go, the wait ends in a clear DatabaseError."""
    monkeypatch.setattr(dialect, "BUSY_TIMEOUT_MS", 300)
    store = Store.open(db_path)
    holder = sqlite3.connect(db_path, timeout=30, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        started = time.monotonic()
        with pytest.raises(DatabaseError) as info:
            store.articles.add(title="blocked", text="This write cannot get the lock.")
        waited = time.monotonic() - started
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    line = info.value.one_line()
    assert str(db_path) in line and "busy" in line and "\n" not in line
    assert waited >= 0.25, "it gave up without waiting on the busy timeout"
    store.articles.add(title="after", text="Once the lock is free the write succeeds.")
    store.close()
    assert count_rows(db_path) == 1
