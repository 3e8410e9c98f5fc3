"""One app per database: a second launch hands its files to the running one.

``claim-workbench FILE.html`` (or "Open with" in a file manager) while the
workbench is already open on the same database must not start a second
window on the same file: the running app imports the file and comes to the
front, and the new process exits.

How: the first instance listens on a ``QLocalServer`` (a Unix socket on
Linux and macOS, a named pipe on Windows) whose name is per user and per
database file.  A later launch connects, sends one JSON line
``{"open": [absolute paths]}`` and waits for ``ok``.

Start-up cost: the check runs before every start, so it must be nearly
free.  On Linux and macOS the socket is a file: when it does not exist,
nobody is listening, and QtNetwork is not even loaded.  Only when it exists
(an instance is running, or one crashed and left it) does the launch try to
connect.  The server itself starts after the window's first paint.

A second launch within the first second of the first one (before its
server listens) opens a second window; that race is accepted.
"""

from __future__ import annotations

import enum
import hashlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtNetwork import QLocalSocket

PREFIX = "claim-workbench"
TIMEOUT_MS = 3000
MAX_SOCKET_PATH = 100
MAX_MESSAGE = 256 * 1024
"""A request longer than this is not from the workbench; it is dropped."""


class HandOff(enum.Enum):
    """What became of a launch's request to the running instance."""

    HANDED = "handed"
    """The running instance took the files (or was asked to come to the front)."""
    NO_INSTANCE = "no instance"
    """Nobody is listening: this launch is the app."""
    NO_ANSWER = "no answer"
    """Something accepted the connection but did not confirm within the timeout."""


def server_name(database: Path) -> str:
    """The socket for ``database`` and this user.

    Per user: another account's instance is not ours to talk to (and the
    server only accepts this user anyway).  Per database: ``--db other``
    while the app is open on the default database is a second, separate app.
    On POSIX the name is a path in ``$XDG_RUNTIME_DIR`` (private to the user)
    or the temporary folder, so that its existence can be tested cheaply.
    """
    key = hashlib.sha256(str(database.expanduser().resolve()).encode()).hexdigest()[:16]
    name = f"{PREFIX}-{_user()}-{key}"
    if os.name == "nt":
        return name
    runtime = os.environ.get("XDG_RUNTIME_DIR", "")
    if runtime and Path(runtime).is_dir():
        folder = Path(runtime)
    else:
        import tempfile

        folder = Path(tempfile.gettempdir())
    path = str(folder / f"{name}.sock")
    if len(path.encode()) > MAX_SOCKET_PATH and Path("/tmp").is_dir():
        path = f"/tmp/{name}.sock"  # a Unix socket path longer than ~104 bytes cannot be bound
    return path


def _user() -> str:
    getuid = getattr(os, "getuid", None)
    if getuid is not None:
        return str(getuid())
    import getpass

    try:
        return "".join(c for c in getpass.getuser() if c.isalnum()) or "user"
    except (OSError, KeyError):
        return "user"


def may_be_running(name: str) -> bool:
    """False when no instance can be listening on ``name`` (checked without Qt)."""
    if os.name == "nt":
        return True  # a named pipe is not a file: only connecting tells
    return os.path.exists(name)


def request(files: list[str]) -> bytes:
    """The message a launch sends: absolute paths, since the two processes'
    working folders differ."""
    import json

    paths = [str(Path(f).expanduser().absolute()) for f in files]
    return json.dumps({"open": paths}).encode("utf-8") + b"\n"


def parse_request(data: bytes) -> list[str] | None:
    """The paths in a request, or None when it is not one of ours."""
    import json

    try:
        message = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    if not isinstance(message, dict):
        return None
    paths = message.get("open")
    if not isinstance(paths, list) or not all(isinstance(p, str) for p in paths):
        return None
    return paths


def hand_off(name: str, files: list[str], timeout_ms: int = TIMEOUT_MS) -> HandOff:
    """Send ``files`` to the instance listening on ``name``, if there is one."""
    if not may_be_running(name):
        return HandOff.NO_INSTANCE
    from PySide6.QtNetwork import QLocalSocket

    socket = QLocalSocket()
    socket.connectToServer(name)
    if not socket.waitForConnected(timeout_ms):
        return HandOff.NO_INSTANCE  # a socket file left by an instance that crashed
    socket.write(request(files))
    socket.flush()
    reply = b""
    while b"\n" not in reply and socket.waitForReadyRead(timeout_ms):
        reply += bytes(socket.readAll().data())
    socket.disconnectFromServer()
    return HandOff.HANDED if reply.strip() == b"ok" else HandOff.NO_ANSWER


class InstanceServer:
    """Listens for later launches; calls ``on_request(paths)`` on the UI thread.

    An empty list means "come to the front".  Owned by the app's ``main``;
    :meth:`close` removes the socket.
    """

    def __init__(self, name: str, on_request: Callable[[list[str]], None]) -> None:
        from PySide6.QtNetwork import QLocalServer

        self.name = name
        self._on_request = on_request
        self._server = QLocalServer()
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._server.newConnection.connect(self._accept)
        self._buffers: dict[QLocalSocket, bytes] = {}

    @property
    def listening(self) -> bool:
        return bool(self._server.isListening())

    def listen(self) -> bool:
        """Start listening; False (and no harm done) when another live instance has the name.

        A name left behind by an instance that crashed (nothing accepts
        connections) is removed first; one that accepts connections belongs to
        a live instance and is left alone, even if it does not answer in time.
        """
        # Asked first: with UserAccessOption, Qt binds in a private folder and
        # renames the socket into place, replacing whatever file is there.
        if hand_off(self.name, [], timeout_ms=500) is not HandOff.NO_INSTANCE:
            # Something accepts connections there: a live instance, perhaps busy.
            # Never take its name; this one simply does not serve.
            return False
        from PySide6.QtNetwork import QLocalServer

        QLocalServer.removeServer(self.name)  # the file an instance that crashed left, if any
        return bool(self._server.listen(self.name))

    def close(self) -> None:
        self._server.close()

    def _accept(self) -> None:
        while self._server.hasPendingConnections():
            socket = self._server.nextPendingConnection()
            self._buffers[socket] = b""
            socket.readyRead.connect(lambda s=socket: self._read(s))
            socket.disconnected.connect(lambda s=socket: self._buffers.pop(s, None))
            socket.disconnected.connect(socket.deleteLater)
            if socket.bytesAvailable():
                self._read(socket)

    def _read(self, socket: QLocalSocket) -> None:
        data = self._buffers.get(socket, b"") + bytes(socket.readAll().data())
        if len(data) > MAX_MESSAGE:
            self._buffers.pop(socket, None)
            socket.abort()
            return
        if b"\n" not in data:
            self._buffers[socket] = data
            return
        line = data.split(b"\n", 1)[0]
        self._buffers.pop(socket, None)
        paths = parse_request(line)
        if paths is None:
            socket.abort()
            return
        socket.write(b"ok\n")
        socket.flush()
        socket.disconnectFromServer()  # after the reply is written; deleted on disconnect
        self._on_request(paths)


def start_server(name: str, on_request: Callable[[list[str]], None]) -> InstanceServer | None:
    """An :class:`InstanceServer` listening on ``name``, or None when that failed."""
    server = InstanceServer(name, on_request)
    return server if server.listen() else None
