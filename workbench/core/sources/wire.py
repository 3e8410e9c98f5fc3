"""One HTTP exchange under a wall-clock deadline, cancellable at any moment.

Socket timeouts bound each *read*, not the exchange: a server that sends its
status line and headers one byte every two seconds never trips a 10 s read
timeout and can hold a fetch for as long as it likes (``requests`` and
urllib3 behave the same way).  So every fetch runs under a :class:`Guard`:

* a watchdog thread wakes ten times a second; at the deadline, or as soon as
  ``is_cancelled()`` turns true, it shuts down every socket of the fetch,
  which makes whatever call is blocked on it (connect, TLS handshake, send,
  status line, headers, body) return at once;
* name resolution (``getaddrinfo``, which no timeout covers) runs on a
  helper thread that the fetch waits for in short slices, so it too ends at
  the deadline or on cancel;
* connecting is non-blocking and polled in short slices.

The fetcher then turns "the guard fired" into a timeout or a
:class:`~workbench.core.errors.CancelledError`, whatever exception the
interrupted call raised.

Connections go only to addresses :mod:`.addresses` allows; the peer is
checked again once connected (see that module for the policy).
"""

from __future__ import annotations

import contextlib
import errno
import functools
import http.client
import selectors
import socket
import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from workbench.core.sources import addresses

WATCH_INTERVAL = 0.1
"""How often the watchdog looks at the clock and the cancel flag (seconds)."""


class GuardFired(Exception):
    """Raised inside the exchange when the deadline passed or the user cancelled."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason  # "timeout" or "cancel"


class LocalAddressRefused(Exception):
    """Every address of the host is one the policy refuses."""

    def __init__(self, address: addresses.IPAddress) -> None:
        super().__init__(str(address))
        self.address = address


class Guard:
    """Deadline and cancel watchdog for one fetch; use as a context manager."""

    def __init__(self, total: float, is_cancelled: Callable[[], bool] | None = None) -> None:
        self.total = total
        self.deadline = time.monotonic() + total
        self._is_cancelled = is_cancelled
        self._lock = threading.Lock()
        self._watched: list[socket.socket] = []
        self._stop = threading.Event()
        self.fired: str | None = None
        self._thread = threading.Thread(target=self._watch, name="fetch-guard", daemon=True)

    def __enter__(self) -> Guard:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        with self._lock:
            watched, self._watched = self._watched, []
        for sock in watched:
            with contextlib.suppress(OSError):
                sock.close()

    def remaining(self) -> float:
        return self.deadline - time.monotonic()

    def cancelled(self) -> bool:
        if self._is_cancelled is None:
            return False
        try:
            return bool(self._is_cancelled())
        except Exception:  # a broken callback must not kill the watchdog
            return False

    def check(self) -> None:
        """Raise :class:`GuardFired` if the fetch must stop now."""
        if self.fired is None:
            if self.cancelled():
                self.fired = "cancel"
            elif self.remaining() <= 0:
                self.fired = "timeout"
        if self.fired is not None:
            raise GuardFired(self.fired)

    def watch(self, sock: socket.socket) -> None:
        """Let the watchdog shut ``sock`` down when it fires.

        It keeps a duplicate of the descriptor: wrapping the socket in TLS
        detaches the original Python object, but shutting down any
        descriptor of a connection shuts down the connection.
        """
        dup = sock.dup()
        with self._lock:
            self._watched.append(dup)
            fired = self.fired
        if fired is not None:
            _shutdown(dup)

    def _watch(self) -> None:
        while not self._stop.wait(WATCH_INTERVAL):
            if self.cancelled():
                self._fire("cancel")
                return
            if time.monotonic() >= self.deadline:
                self._fire("timeout")
                return

    def _fire(self, reason: str) -> None:
        with self._lock:
            if self.fired is None:
                self.fired = reason
            watched = list(self._watched)
        for sock in watched:
            _shutdown(sock)

    def wait_for(self, event: threading.Event) -> None:
        """Block until ``event`` is set, checking the guard between short waits."""
        while not event.wait(min(WATCH_INTERVAL, max(self.remaining(), 0.001))):
            self.check()
        self.check()


def _shutdown(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)


# --------------------------------------------------------------------------- resolving


AddrInfo = tuple[int, int, int, str, tuple[object, ...]]


def resolve(host: str, port: int, guard: Guard) -> list[AddrInfo]:
    """``getaddrinfo`` bounded by the guard (it has no timeout of its own).

    The lookup runs on a daemon thread; if the guard fires first the thread
    is abandoned (it ends with the resolver's own timeout) and the fetch
    stops at once.
    """
    done = threading.Event()
    box: dict[str, object] = {}

    def lookup() -> None:
        try:
            box["result"] = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (OSError, UnicodeError, ValueError) as exc:
            box["error"] = exc
        finally:
            done.set()

    threading.Thread(target=lookup, name="fetch-resolve", daemon=True).start()
    guard.wait_for(done)
    error = box.get("error")
    if isinstance(error, BaseException):
        raise error
    result = box.get("result")
    return list(result) if isinstance(result, list) else []


def connect(
    host: str, port: int, guard: Guard, *, connect_timeout: float, policy: str
) -> socket.socket:
    """A connected socket to ``host:port`` at an address the policy allows.

    Raises :class:`LocalAddressRefused` when the host has only refused
    addresses (nothing is sent to them, not even a SYN), ``OSError`` when no
    allowed address answers, :class:`GuardFired` at the deadline or cancel.
    """
    infos = resolve(host, port, guard)
    if not infos:
        raise OSError(errno.EHOSTUNREACH, f"{host} has no address")
    refused: addresses.IPAddress | None = None
    last_error: OSError | None = None
    for family, socktype, proto, _name, sockaddr in infos:
        address = addresses.parse_address(str(sockaddr[0]))
        if address is None:
            continue
        if addresses.refuses(address, policy):
            refused = refused or address
            continue
        try:
            return _connect_one(family, socktype, proto, sockaddr, guard, connect_timeout, policy)
        except LocalAddressRefused as exc:
            refused = refused or exc.address
        except OSError as exc:
            last_error = exc
    if last_error is not None:
        raise last_error
    if refused is not None:
        raise LocalAddressRefused(refused)
    raise OSError(errno.EHOSTUNREACH, f"{host} has no usable address")


def _connect_one(
    family: int,
    socktype: int,
    proto: int,
    sockaddr: tuple[object, ...],
    guard: Guard,
    connect_timeout: float,
    policy: str,
) -> socket.socket:
    sock = socket.socket(family, socktype, proto)
    try:
        guard.watch(sock)
        sock.setblocking(False)
        code = sock.connect_ex(sockaddr)
        if code not in (0, errno.EINPROGRESS, errno.EWOULDBLOCK, errno.EAGAIN):
            raise OSError(code, _strerror(code))
        give_up = time.monotonic() + connect_timeout
        if code != 0:
            # selectors picks poll/epoll where it can: select() fails on descriptor
            # numbers past 1024, which a long-running desktop process can reach.
            with selectors.DefaultSelector() as selector:
                selector.register(sock, selectors.EVENT_WRITE)
                while True:
                    guard.check()
                    left = give_up - time.monotonic()
                    if left <= 0:
                        raise TimeoutError(errno.ETIMEDOUT, "connect timed out")
                    if selector.select(min(WATCH_INTERVAL, left)):
                        break
            code = sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
            if code != 0:
                raise OSError(code, _strerror(code))
        # Check who we are actually talking to, not only what DNS said.
        peer = addresses.parse_address(str(sock.getpeername()[0]))
        if peer is not None and addresses.refuses(peer, policy):
            raise LocalAddressRefused(peer)
        sock.setblocking(True)
        sock.settimeout(max(guard.remaining(), 0.001))
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return sock
    except BaseException:
        sock.close()
        raise


def _strerror(code: int) -> str:
    import os

    return os.strerror(code)


# --------------------------------------------------------------------------- HTTP


@dataclass(frozen=True, slots=True)
class Target:
    """Where one request goes: scheme, ASCII host, port, and the request path."""

    scheme: str
    host: str  # ASCII (IDNA) form, IPv6 without brackets
    port: int
    path: str  # path and query, percent-encoded ASCII

    @property
    def host_header(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        default = 443 if self.scheme == "https" else 80
        return host if self.port == default else f"{host}:{self.port}"

    @property
    def url(self) -> str:
        return f"{self.scheme}://{self.host_header}{self.path}"


@dataclass(frozen=True, slots=True)
class Proxy:
    host: str
    port: int
    authorization: str | None = None  # a Proxy-Authorization value, from the proxy URL


@functools.cache
def tls_context() -> ssl.SSLContext:
    """Certificate checks against certifi's bundle when present (as requests did)."""
    try:
        import certifi

        return ssl.create_default_context(cafile=certifi.where())
    except (ImportError, OSError):  # pragma: no cover - certifi is a dependency
        return ssl.create_default_context()


def open_exchange(
    target: Target,
    headers: dict[str, str],
    guard: Guard,
    *,
    connect_timeout: float,
    policy: str,
    proxy: Proxy | None,
) -> tuple[http.client.HTTPConnection, http.client.HTTPResponse]:
    """Send a GET for ``target`` and return the connection and its response head.

    The caller reads the body and closes the connection.  Through a proxy
    (from the environment), the proxy itself may be local: the user chose
    it.  The target's address is then the proxy's business, so only literal
    addresses in the URL are checked here.
    """
    if proxy is not None:
        literal = addresses.parse_address(target.host)
        if literal is not None and addresses.refuses(literal, policy):
            raise LocalAddressRefused(literal)

    def opener(
        address: tuple[str, int], timeout: object = None, source_address: object = None
    ) -> socket.socket:
        host, port = address
        return connect(
            host,
            port,
            guard,
            connect_timeout=connect_timeout,
            policy=addresses.ANY if proxy is not None else policy,
        )

    conn: http.client.HTTPConnection
    connect_host, connect_port = (
        (proxy.host, proxy.port) if proxy is not None else (target.host, target.port)
    )
    if target.scheme == "https":
        conn = http.client.HTTPSConnection(
            connect_host,
            connect_port,
            timeout=max(guard.remaining(), 0.001),
            context=tls_context(),
        )
        if proxy is not None:
            auth = {"Proxy-Authorization": proxy.authorization} if proxy.authorization else None
            conn.set_tunnel(target.host, target.port, headers=auth)
        request_path = target.path
    else:
        conn = http.client.HTTPConnection(
            connect_host, connect_port, timeout=max(guard.remaining(), 0.001)
        )
        request_path = target.url if proxy is not None else target.path
    conn._create_connection = opener  # type: ignore[attr-defined]  # our guarded sockets
    try:
        conn.putrequest("GET", request_path, skip_host=True, skip_accept_encoding=True)
        conn.putheader("Host", target.host_header)
        for name, value in headers.items():
            conn.putheader(name, value)
        if proxy is not None and proxy.authorization and target.scheme == "http":
            conn.putheader("Proxy-Authorization", proxy.authorization)
        conn.endheaders()
        response = conn.getresponse()
    except BaseException:
        conn.close()
        raise
    return conn, response
