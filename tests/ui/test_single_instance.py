"""One app per database: a second launch hands its file to the first (real local sockets)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from workbench.ui import single_instance
from workbench.ui.app import open_files

# Besides the usual offscreen noise: bringing the window forward is a no-op there.
pytestmark = pytest.mark.qt_log_ignore(
    r"This plugin does not support propagateSizeHints", r"This plugin does not support raise"
)
ROOT = Path(__file__).resolve().parents[2]

PAGE = """<!doctype html><html><head><title>Harbour report</title></head><body>
<article><h1>Harbour report</h1>
<p>The port handled 4.2 million containers in 2023, the authority said on Tuesday.</p>
<p>Dock workers went on strike for three days in March.</p>
</article></body></html>
"""


@pytest.fixture
def runtime_dir(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A private XDG_RUNTIME_DIR: the sockets of this test, and only them, live there.

    Short on purpose (``/tmp/cw-…``): a Unix socket path must fit in ~104 bytes.
    """
    folder = Path(tempfile.mkdtemp(prefix="cw-", dir="/tmp"))
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(folder))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def _client(qtbot, code: str) -> str:
    """Run ``code`` in another process (this one's event loop keeps answering); its stdout."""
    process = subprocess.Popen(
        [sys.executable, "-c", "from workbench.ui import single_instance as s\n" + code],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen"),
    )
    qtbot.waitUntil(lambda: process.poll() is not None, timeout=60_000)
    out, err = process.communicate()
    assert process.returncode == 0, err
    return out.strip()


def _launch(db: Path, *args: str) -> subprocess.Popen[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    env.pop("WORKBENCH_EXIT_AFTER_MS", None)
    return subprocess.Popen(
        [sys.executable, "-m", "workbench", "--db", str(db), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


@pytest.mark.slow
def test_a_second_launch_hands_its_file_to_the_running_app(
    qtbot, make_window, small_article, db_path, runtime_dir, tmp_path, nlp_warm
) -> None:
    window = make_window()
    name = single_instance.server_name(db_path)
    server = single_instance.start_server(name, lambda paths: open_files(window, paths))
    assert server is not None and server.listening
    assert Path(name).parent == runtime_dir
    page = tmp_path / "harbour.html"
    page.write_text(PAGE, encoding="utf-8")

    second = _launch(db_path, str(page))
    # The first instance answers from its event loop, which waitUntil keeps running.
    with qtbot.waitSignal(window.extraction_finished, timeout=90_000):
        qtbot.waitUntil(lambda: second.poll() is not None, timeout=60_000)
    out, err = second.communicate()
    server.close()

    assert second.returncode == 0, err
    assert "already open" in out and "1 file(s)" in out
    assert window.article is not None and window.article.title == "Harbour report"
    assert window.library.model.total() == 2
    assert window.claims_table.model.rowCount() >= 1


def test_without_a_running_app_the_check_does_not_load_qtnetwork(
    tmp_path: Path, runtime_dir: Path
) -> None:
    """The check runs before every start: with no socket file it costs a stat()."""
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from workbench.ui import single_instance as s\n"
        f"name = s.server_name(Path({str(tmp_path / 'x.sqlite3')!r}))\n"
        "assert s.hand_off(name, []) is s.HandOff.NO_INSTANCE\n"
        "assert 'PySide6.QtNetwork' not in sys.modules, 'QtNetwork was loaded'\n"
        "print('ok')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        env=dict(os.environ, PYTHONPATH=str(ROOT)),
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"


def test_a_socket_left_by_a_crashed_app_is_replaced(qtbot, tmp_path, runtime_dir) -> None:
    name = single_instance.server_name(tmp_path / "crashed.sqlite3")
    dead = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    dead.bind(name)  # bound, never listening, then closed: the file stays, as after a crash
    dead.close()
    assert Path(name).exists()

    assert single_instance.hand_off(name, ["x.html"], timeout_ms=500) is (
        single_instance.HandOff.NO_INSTANCE
    )
    received: list[list[str]] = []
    server = single_instance.start_server(name, received.append)
    assert server is not None and server.listening
    try:
        answer = _client(qtbot, f"print(s.hand_off({name!r}, [{str(tmp_path / 'a.html')!r}]).name)")
        assert answer == "HANDED"
        qtbot.waitUntil(lambda: bool(received))
        assert received == [[str(tmp_path / "a.html")]]
    finally:
        server.close()


def test_a_live_app_keeps_its_socket(qtbot, tmp_path, runtime_dir) -> None:
    name = single_instance.server_name(tmp_path / "live.sqlite3")
    first: list[list[str]] = []
    server = single_instance.start_server(name, first.append)
    assert server is not None
    try:
        code = (
            "from PySide6.QtCore import QCoreApplication\n"
            "app = QCoreApplication([])\n"
            f"print(s.start_server({name!r}, print) is None)\n"
        )
        assert _client(qtbot, code) == "True"
        qtbot.waitUntil(lambda: first == [[]])  # the loser asked the winner to come forward
        assert server.listening and Path(name).exists()
    finally:
        server.close()


def test_a_foreign_message_is_refused(qtbot, tmp_path, runtime_dir) -> None:
    name = single_instance.server_name(tmp_path / "foreign.sqlite3")
    received: list[list[str]] = []
    server = single_instance.start_server(name, received.append)
    assert server is not None
    try:
        client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        client.settimeout(5)
        client.connect(name)
        client.sendall(b'{"open": "not a list"}\n')
        reply = b""
        qtbot.waitUntil(lambda: _closed(client), timeout=5_000)
        try:
            reply = client.recv(100)
        except OSError:
            reply = b""
        client.close()
        assert reply == b""
        assert received == []
    finally:
        server.close()


def _closed(client: socket.socket) -> bool:
    """True once the server has closed its end (recv returns b"" or fails)."""
    client.setblocking(False)
    try:
        data = client.recv(100, socket.MSG_PEEK)
    except BlockingIOError:
        return False
    except OSError:
        return True
    finally:
        client.setblocking(True)
    return data == b""


def test_the_socket_name_is_per_database_and_per_user(tmp_path, runtime_dir) -> None:
    a = single_instance.server_name(tmp_path / "a.sqlite3")
    b = single_instance.server_name(tmp_path / "b.sqlite3")
    assert a != b
    assert a == single_instance.server_name(tmp_path / "sub" / ".." / "a.sqlite3")
    assert str(os.getuid()) in Path(a).name
    assert len(a) <= single_instance.MAX_SOCKET_PATH


def test_a_socket_path_too_long_to_bind_falls_back_to_tmp(tmp_path, monkeypatch) -> None:
    deep = tmp_path / ("d" * 80)
    deep.mkdir()
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(deep))
    name = single_instance.server_name(tmp_path / "a.sqlite3")
    assert name.startswith("/tmp/claim-workbench-") and len(name) <= 100


def test_opening_a_missing_file_is_one_line_and_exit_2(tmp_path, runtime_dir) -> None:
    done = _launch(tmp_path / "x.sqlite3", str(tmp_path / "missing.html"))
    _out, err = done.communicate(timeout=60)
    assert done.returncode == 2
    assert err.startswith("error: cannot open") and "no such file" in err
    assert len(err.strip().splitlines()) == 1
    assert not (tmp_path / "x.sqlite3").exists()


@pytest.mark.slow
def test_files_on_the_first_launch_open_once_the_window_is_whole(
    qtbot, make_window, small_article, db_path, runtime_dir, tmp_path, nlp_warm
) -> None:
    """What ``main`` does on ``ready``: the icon, the files, then the server for later launches."""
    from workbench.ui.app import _after_start

    window = make_window()
    page = tmp_path / "harbour.html"
    page.write_text(PAGE, encoding="utf-8")
    name = single_instance.server_name(db_path)
    servers: list[single_instance.InstanceServer] = []
    with qtbot.waitSignal(window.extraction_finished, timeout=90_000):
        _after_start(window, name, [str(page)], servers)
    try:
        assert window.article is not None and window.article.title == "Harbour report"
        assert len(servers) == 1 and servers[0].listening and Path(name).exists()
        assert not window.windowIcon().isNull()
    finally:
        for server in servers:
            server.close()
