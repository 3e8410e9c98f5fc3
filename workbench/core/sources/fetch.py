"""Fetch one web page safely: bounded in time, size, redirects and type.

A fetched page is untrusted data.  The fetcher therefore:

* follows redirects itself, so that every hop is checked (http/https only),
  counted, and loops are reported as loops rather than "too many redirects";
* enforces a *total* deadline across connect, redirects and body, because
  ``requests``' read timeout only bounds each socket read and a server that
  dribbles a byte a second would otherwise never time out;
* reads the body in chunks and stops past the size cap (after decompression,
  so a gzip bomb is caught too);
* keeps no cookies, sends no stored credentials, and names itself with a
  clear User-Agent.

``requests`` is imported lazily: the UI imports the core at start-up and
must not pay for it.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

from workbench import __version__
from workbench.core.errors import CancelledError, NetworkError

if TYPE_CHECKING:
    import requests

USER_AGENT = f"ClaimWorkbench/{__version__} (+offline fact-checking snapshot)"

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
TEXT_TYPES = frozenset({"text/plain"})
PDF_TYPES = frozenset({"application/pdf"})
ACCEPTED_TYPES = HTML_TYPES | TEXT_TYPES | PDF_TYPES

_REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})
_CHUNK = 16 * 1024


@dataclass(frozen=True, slots=True)
class FetchConfig:
    """Limits for one fetch.  Defaults suit a news article on a slow link."""

    connect_timeout: float = 10.0
    total_timeout: float = 30.0
    max_bytes: int = 10 * 1024 * 1024
    max_redirects: int = 5
    user_agent: str = USER_AGENT


@dataclass(frozen=True, slots=True)
class FetchResult:
    """A successful response body and what is known about it."""

    url: str
    final_url: str
    http_status: int
    content_type: str  # bare media type, lowercased, e.g. "text/html"
    charset: str | None  # from the Content-Type header only
    body: bytes  # decoded from any Content-Encoding (gzip, deflate)
    redirects: tuple[str, ...] = ()  # every URL visited before final_url

    @property
    def is_html(self) -> bool:
        return self.content_type in HTML_TYPES

    @property
    def is_pdf(self) -> bool:
        return self.content_type in PDF_TYPES


class FetchError(NetworkError):
    """A fetch that produced no usable page.

    ``kind`` is a stable code the services and tests rely on: ``connection``,
    ``timeout``, ``http``, ``too_large``, ``content_type``, ``redirect_loop``,
    ``too_many_redirects``, ``bad_redirect``.  ``http_status`` and
    ``final_url`` are set when a server answered.
    """

    def __init__(
        self,
        message: str,
        *,
        kind: str,
        http_status: int | None = None,
        final_url: str | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message, hint=hint)
        self.kind = kind
        self.http_status = http_status
        self.final_url = final_url


@dataclass(slots=True)
class _Clock:
    deadline: float
    total: float
    is_cancelled: Callable[[], bool] | None = None
    url: str = ""

    def remaining(self) -> float:
        return self.deadline - time.monotonic()

    def check(self) -> None:
        if self.is_cancelled is not None and self.is_cancelled():
            raise CancelledError(f"Fetch of {self.url} cancelled")
        if self.remaining() <= 0:
            raise FetchError(
                f"Fetching {self.url} took longer than {self.total:g} s.",
                kind="timeout",
                hint="The site is slow or not answering; try 'fetch' again later.",
            )


def fetch_url(
    url: str,
    *,
    config: FetchConfig | None = None,
    is_cancelled: Callable[[], bool] | None = None,
) -> FetchResult:
    """Download ``url`` within ``config``'s limits or raise :class:`FetchError`.

    Raises :class:`CancelledError` if ``is_cancelled`` turns true meanwhile.
    """

    cfg = config or FetchConfig()
    clock = _Clock(
        deadline=time.monotonic() + cfg.total_timeout,
        total=cfg.total_timeout,
        is_cancelled=is_cancelled,
        url=url,
    )
    visited: list[str] = []
    current = url
    with _new_session(cfg) as session:
        while True:
            clock.check()
            response = _send(session, current, cfg, clock)
            with response:
                status = response.status_code
                if status in _REDIRECT_CODES and response.headers.get("Location"):
                    visited.append(current)
                    current = _next_hop(current, response.headers["Location"], visited, cfg)
                    continue
                if status >= 400:
                    raise FetchError(
                        f"{current} answered HTTP {status} {response.reason or ''}".rstrip() + ".",
                        kind="http",
                        http_status=status,
                        final_url=current,
                        hint="The page may have been removed; check the address.",
                    )
                media_type, charset = parse_content_type(response.headers.get("Content-Type"))
                _check_length(response, current, cfg)
                body = _read_body(response, current, cfg, clock)
            if not media_type:
                media_type = sniff_media_type(body)
            if media_type not in ACCEPTED_TYPES:
                raise FetchError(
                    f"{current} is {media_type or 'of unknown type'}, not a web page, "
                    "plain text or PDF.",
                    kind="content_type",
                    http_status=status,
                    final_url=current,
                    hint="Attach the page that shows this content instead.",
                )
            return FetchResult(
                url=url,
                final_url=current,
                http_status=status,
                content_type=media_type,
                charset=charset,
                body=body,
                redirects=tuple(visited),
            )


def parse_content_type(header: str | None) -> tuple[str, str | None]:
    """``"Text/HTML; charset=UTF-8"`` -> ``("text/html", "utf-8")``."""
    if not header:
        return "", None
    media, _, params = header.partition(";")
    charset = None
    for param in params.split(";"):
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset" and value.strip():
            charset = value.strip().strip("\"'").lower()
    return media.strip().lower(), charset


def sniff_media_type(body: bytes) -> str:
    """Guess the type of a response that declared none, from its first bytes."""
    head = body[:1024].lstrip().lower()
    if head.startswith(b"%pdf-"):
        return "application/pdf"
    if head.startswith((b"<!doctype html", b"<html")) or b"<body" in head:
        return "text/html"
    if b"\x00" in head:
        return "application/octet-stream"
    return "text/plain"


_META_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)


def decode_body(body: bytes, *, charset: str | None, html: bool) -> tuple[str, str]:
    """Decode a text body and return ``(text, encoding_used)``.

    Order: byte-order mark, the header's charset, a ``<meta>`` charset in the
    first 4 KB of HTML, then UTF-8, then windows-1252 (what browsers assume
    for unlabelled legacy pages).  Undecodable bytes become U+FFFD rather
    than failing the fetch: a snapshot with one odd character is better than
    no snapshot.
    """
    for bom, name in (
        (b"\xef\xbb\xbf", "utf-8-sig"),
        (b"\xff\xfe", "utf-16"),
        (b"\xfe\xff", "utf-16"),
    ):
        if body.startswith(bom):
            return body.decode(name, errors="replace"), name
    candidates: list[str] = []
    if charset:
        candidates.append(charset)
    if html:
        meta = _META_CHARSET_RE.search(body[:4096])
        if meta:
            candidates.append(meta.group(1).decode("ascii", errors="ignore").lower())
    for name in candidates:
        try:
            return body.decode(_browser_alias(name), errors="replace"), _browser_alias(name)
        except LookupError:
            continue
    try:
        return body.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return body.decode("windows-1252", errors="replace"), "windows-1252"


def _browser_alias(name: str) -> str:
    # Browsers decode pages labelled latin-1/ascii as windows-1252 (the
    # WHATWG encoding standard); do the same so curly quotes survive.
    if name.replace("_", "-") in {"iso-8859-1", "latin-1", "latin1", "us-ascii", "ascii"}:
        return "windows-1252"
    return name


def _new_session(cfg: FetchConfig) -> requests.Session:
    """A fresh session per fetch whose cookie jar refuses every cookie."""
    import http.cookiejar

    import requests

    session = requests.Session()
    session.cookies.set_policy(http.cookiejar.DefaultCookiePolicy(allowed_domains=[]))
    session.max_redirects = cfg.max_redirects
    # No .netrc credentials or environment CA overrides; proxies from the
    # environment are passed per request in _send (newsroom networks need them).
    session.trust_env = False
    session.headers.update(
        {
            "User-Agent": cfg.user_agent,
            "Accept": "text/html,application/xhtml+xml,text/plain;q=0.9,application/pdf;q=0.9",
            "Accept-Encoding": "gzip, deflate",
        }
    )
    return session


def _send(
    session: requests.Session, url: str, cfg: FetchConfig, clock: _Clock
) -> requests.Response:
    import requests

    remaining = max(clock.remaining(), 0.001)
    timeout = (min(cfg.connect_timeout, remaining), remaining)
    try:
        proxies = requests.utils.get_environ_proxies(url)
        return session.get(
            url, stream=True, allow_redirects=False, timeout=timeout, proxies=proxies
        )
    except requests.exceptions.ConnectTimeout:
        raise FetchError(
            f"Could not connect to {_host(url)} within {timeout[0]:g} s.",
            kind="timeout",
            hint="Check the network connection; the evidence is kept and can be fetched later.",
        ) from None
    except requests.exceptions.ReadTimeout:
        raise FetchError(
            f"{_host(url)} did not answer within {cfg.total_timeout:g} s.",
            kind="timeout",
            hint="The site is slow or not answering; try 'fetch' again later.",
        ) from None
    except requests.exceptions.SSLError as exc:
        raise FetchError(
            f"Secure connection to {_host(url)} failed: {_short(exc)}.", kind="connection"
        ) from None
    except requests.exceptions.ConnectionError as exc:
        raise FetchError(
            f"Could not connect to {_host(url)}: {_short(exc)}.",
            kind="connection",
            hint="Check the network connection; the evidence is kept and can be fetched later.",
        ) from None
    except requests.exceptions.RequestException as exc:
        raise FetchError(f"Fetching {url} failed: {_short(exc)}.", kind="connection") from None


def _next_hop(current: str, location: str, visited: list[str], cfg: FetchConfig) -> str:
    target = urljoin(current, location.strip())
    scheme = urlsplit(target).scheme.lower()
    if scheme not in {"http", "https"}:
        raise FetchError(
            f"{current} redirects to a '{scheme}:' address, which is not fetched.",
            kind="bad_redirect",
            final_url=current,
        )
    target = target.split("#", 1)[0]
    if target in visited:
        raise FetchError(
            f"{visited[0]} redirects in a loop (back to {target}).",
            kind="redirect_loop",
            final_url=current,
            hint="The site is misconfigured or needs cookies; attach another copy of the page.",
        )
    if len(visited) > cfg.max_redirects:
        raise FetchError(
            f"{visited[0]} redirects more than {cfg.max_redirects} times.",
            kind="too_many_redirects",
            final_url=current,
        )
    return target


def _check_length(response: requests.Response, url: str, cfg: FetchConfig) -> None:
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > cfg.max_bytes:
        raise _too_large(url, cfg, response.status_code)


def _read_body(response: requests.Response, url: str, cfg: FetchConfig, clock: _Clock) -> bytes:
    """Read the decoded body chunk by chunk, checking deadline and size.

    ``read1`` returns as soon as *some* bytes arrive, so the deadline is
    checked between small reads even when the server trickles data; the
    socket read timeout is lowered to the time left before each read.
    """
    import requests

    chunks: list[bytes] = []
    size = 0
    raw = response.raw
    try:
        while True:
            clock.check()
            _set_read_timeout(response, clock.remaining())
            chunk = raw.read1(_CHUNK, decode_content=True)
            if not chunk:
                break
            size += len(chunk)
            if size > cfg.max_bytes:
                raise _too_large(url, cfg, response.status_code)
            chunks.append(chunk)
    except (requests.exceptions.RequestException, OSError, _urllib3_errors()) as exc:
        if clock.remaining() <= 0 or "timed out" in str(exc).lower():
            clock.deadline = min(clock.deadline, time.monotonic())
            clock.check()
        raise FetchError(
            f"Reading {url} failed: {_short(exc)}.",
            kind="connection",
            http_status=response.status_code,
            final_url=url,
        ) from None
    return b"".join(chunks)


def _urllib3_errors() -> type[Exception]:
    import urllib3.exceptions

    return urllib3.exceptions.HTTPError


def _set_read_timeout(response: requests.Response, seconds: float) -> None:
    """Lower the socket timeout so one blocked read cannot outlive the deadline."""
    conn = getattr(response.raw, "_connection", None) or getattr(response.raw, "connection", None)
    sock = getattr(conn, "sock", None)
    if sock is not None:
        sock.settimeout(max(seconds, 0.001))


def _too_large(url: str, cfg: FetchConfig, status: int) -> FetchError:
    return FetchError(
        f"{url} is larger than the {_megabytes(cfg.max_bytes)} limit; the download was stopped.",
        kind="too_large",
        http_status=status,
        final_url=url,
        hint="Attach a smaller page, or raise the size limit in the settings.",
    )


def _megabytes(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.3g} MB"
    return f"{size / 1024:.3g} KB" if size >= 1024 else f"{size} bytes"


def _host(url: str) -> str:
    return urlsplit(url).netloc or url


def _short(exc: BaseException) -> str:
    """The innermost useful words of a requests/urllib3 error chain.

    ``requests`` wraps urllib3's error, which wraps the socket's, into one
    long repr; the user needs "Connection refused", not the chain.
    """
    text = str(exc)
    match = re.search(r"\[Errno -?\d+\] ([^'\")\]]+)", text)
    if match:
        return match.group(1).strip().rstrip(".")
    match = re.search(r"(?:Caused by \w+\(|: )([^()'\"]{8,}?)(?:['\")]|$)", text)
    if match:
        return match.group(1).strip().rstrip(".")
    return (text[:160] or type(exc).__name__).rstrip(".")
