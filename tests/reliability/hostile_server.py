"""A real TCP server on 127.0.0.1 that answers HTTP requests with whatever a test scripts.

pytest-httpserver speaks well-formed HTTP; an attacker does not.  Each
connection here reads the request head and hands the socket to a *script*,
a function that writes raw bytes: a status line one byte every two seconds,
a redirect to ``http://[::1``, a 60 KB reason phrase, a body that never
ends.  Requests are recorded (method line and headers) so tests can check
what the client sent, or that it never connected at all.
"""

from __future__ import annotations

import select
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field

Script = Callable[[socket.socket, bytes], None]


@dataclass
class HostileServer:
    port: int
    routes: dict[str, Script] = field(default_factory=dict)
    requests: list[bytes] = field(default_factory=list)
    connections: int = 0

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def route(self, path: str, script: Script) -> str:
        self.routes[path] = script
        return self.url(path)


def respond(
    status: str = "200 OK",
    headers: dict[str, str] | list[tuple[str, str]] | None = None,
    body: bytes = b"",
    *,
    raw_head: bytes | None = None,
) -> Script:
    """A script that sends one complete response (``raw_head`` replaces status and headers)."""
    pairs = list(headers.items()) if isinstance(headers, dict) else list(headers or [])

    def script(conn: socket.socket, _request: bytes) -> None:
        if raw_head is not None:
            head = raw_head
        else:
            lines = [f"HTTP/1.1 {status}".encode("latin-1")]
            lines += [f"{k}: {v}".encode("latin-1") for k, v in pairs]
            if not any(k.lower() == "content-length" for k, _ in pairs):
                lines.append(f"Content-Length: {len(body)}".encode())
            lines.append(b"Connection: close")
            head = b"\r\n".join(lines) + b"\r\n\r\n"
        conn.sendall(head + body)

    return script


@dataclass
class Trickle:
    """Sends its bytes one at a time, ``every`` seconds apart; notes when the client hung up."""

    data: bytes
    every: float
    stop: threading.Event
    started: list[float] = field(default_factory=list)
    client_closed: list[float] = field(default_factory=list)

    def __call__(self, conn: socket.socket, _request: bytes) -> None:
        self.started.append(time.monotonic())
        for i in range(len(self.data)):
            if self._client_gone(conn, self.every):
                self.client_closed.append(time.monotonic())
                return
            if self.stop.is_set():
                return
            conn.sendall(self.data[i : i + 1])

    def _client_gone(self, conn: socket.socket, wait: float) -> bool:
        """Wait up to ``wait`` seconds, returning early (True) if the client closed."""
        readable, _, _ = select.select([conn], [], [], wait)
        if not readable:
            return False
        try:
            return conn.recv(4096, socket.MSG_PEEK) == b""
        except OSError:
            return True


def hang(stop: threading.Event) -> Script:
    """Accept the request and say nothing until the test ends."""

    def script(conn: socket.socket, _request: bytes) -> None:
        stop.wait(120)

    return script


@contextmanager
def hostile_server() -> Iterator[HostileServer]:
    """Serve on 127.0.0.1 (a free port) until the block ends; one thread per connection."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    listener.settimeout(0.2)
    server = HostileServer(port=listener.getsockname()[1])
    closing = threading.Event()
    workers: list[threading.Thread] = []

    def serve(conn: socket.socket) -> None:
        with conn:
            conn.settimeout(30)
            head = b""
            try:
                while b"\r\n\r\n" not in head and len(head) < 65536:
                    chunk = conn.recv(4096)
                    if not chunk:
                        return
                    head += chunk
            except OSError:
                return
            server.requests.append(head)
            line = head.split(b"\r\n", 1)[0].decode("latin-1")
            parts = line.split(" ")
            target = parts[1] if len(parts) > 1 else "/"
            path = target.split("?", 1)[0]
            if path.startswith("http://"):  # through a proxy: absolute form
                path = "/" + path.split("/", 3)[3] if path.count("/") >= 3 else "/"
            script = server.routes.get(path) or respond("404 Not Found", body=b"no route")
            with suppress(OSError):
                script(conn, head)
                conn.shutdown(socket.SHUT_WR)
                conn.settimeout(2)
                deadline = time.monotonic() + 2  # let the client read before closing
                while time.monotonic() < deadline and conn.recv(4096):
                    pass

    def accept_loop() -> None:
        while not closing.is_set():
            try:
                conn, _ = listener.accept()
            except (TimeoutError, OSError):
                continue
            server.connections += 1
            worker = threading.Thread(target=serve, args=(conn,), daemon=True)
            worker.start()
            workers.append(worker)

    acceptor = threading.Thread(target=accept_loop, daemon=True)
    acceptor.start()
    try:
        yield server
    finally:
        closing.set()
        acceptor.join(2)
        listener.close()
