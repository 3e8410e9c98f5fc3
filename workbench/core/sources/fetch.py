"""Fetch one web page safely: bounded in time, size, redirects, type and reach.

A fetched page, and everything the server says about it, is untrusted data.
The fetcher therefore:

* enforces one wall-clock deadline over the whole exchange, from name
  lookup and connect to the last byte, even when the server trickles its
  status line and headers a byte at a time, and stops within a tenth of a
  second of a cancel (:mod:`.wire`);
* connects only to public addresses unless local ones are allowed for this
  fetch, checking every redirect hop and the connected peer (:mod:`.addresses`);
* follows redirects itself, so that every hop is parsed defensively,
  checked (http/https only, no credentials, no local address), counted, and
  loops are reported as loops;
* reads the body in chunks and stops past the size cap, after
  decompression, so a gzip bomb is caught too;
* refuses binary bodies whatever their declared type, with the same rule
  as import (:mod:`.sniff`), and decodes only WHATWG charsets (:mod:`.charsets`);
* turns every failure of parsing, decoding or following a response into a
  :class:`FetchError`, which the services record on that source alone;
* keeps no cookies, sends no credentials, and names itself with a clear
  User-Agent.

It speaks HTTP/1.1 through the standard library's ``http.client`` on
sockets it opens itself: that is what lets it check the peer address and
shut a connection down at the deadline.
"""

from __future__ import annotations

import base64
import http.client
import math
import re
import ssl
import unicodedata
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote, unquote, urljoin, urlsplit

from workbench import __version__
from workbench.core.errors import CancelledError, NetworkError, UserInputError
from workbench.core.sources import addresses, sniff, wire
from workbench.core.sources.charsets import decode_body, parse_content_type

__all__ = [
    "ACCEPTED_TYPES",
    "HTML_TYPES",
    "MAX_TIMEOUT",
    "FetchConfig",
    "FetchError",
    "FetchResult",
    "decode_body",
    "fetch_url",
    "parse_content_type",
    "sniff_media_type",
]

USER_AGENT = f"ClaimWorkbench/{__version__} (+offline fact-checking snapshot)"

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
TEXT_TYPES = frozenset({"text/plain"})
PDF_TYPES = frozenset({"application/pdf"})
ACCEPTED_TYPES = HTML_TYPES | TEXT_TYPES | PDF_TYPES

MAX_TIMEOUT = 3600.0
"""The longest deadline accepted for one page (seconds)."""

MAX_LOCATION_LENGTH = 8192
"""Longer redirect targets are refused (browsers cut far shorter URLs in practice)."""

_REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})
_CHUNK = 16 * 1024
_SHOWN_URL = 160
_SHOWN_REASON = 80


@dataclass(frozen=True, slots=True)
class FetchConfig:
    """Limits for one fetch.  Defaults suit a news article on a slow link.

    ``allow_local``: True is the user's per-source confirmation (any
    address); False refuses every local address; None means as
    ``WORKBENCH_ALLOW_LOCAL_FETCH`` says (loopback and private networks,
    still not link-local metadata services).
    """

    connect_timeout: float = 10.0
    total_timeout: float = 30.0
    max_bytes: int = 10 * 1024 * 1024
    max_redirects: int = 5
    user_agent: str = USER_AGENT
    allow_local: bool | None = None

    def __post_init__(self) -> None:
        for label, value in (
            ("timeout", self.total_timeout),
            ("connect timeout", self.connect_timeout),
        ):
            if (
                isinstance(value, bool)
                or not isinstance(value, int | float)
                or not math.isfinite(value)
                or not 0 < value <= MAX_TIMEOUT
            ):
                raise UserInputError(
                    f"the {label} must be a number of seconds above 0 and at most "
                    f"{MAX_TIMEOUT:g}, not {value!r}",
                    hint="e.g. --timeout 30",
                )
        if self.max_bytes < 1 or self.max_redirects < 0:
            raise UserInputError("the size limit must be positive and the redirect limit >= 0")

    def address_policy(self) -> str:
        """Which addresses this fetch may reach (see :mod:`.addresses`)."""
        if self.allow_local is True:
            return addresses.ANY
        if self.allow_local is None and addresses.env_allows_local():
            return addresses.LOCAL_NETWORK
        return addresses.PUBLIC_ONLY


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
    ``too_many_redirects``, ``bad_redirect``, ``bad_url``, ``bad_response``
    (a malformed or undecodable answer) and ``local_address`` (refused by
    the address policy; ``address`` names it).  ``http_status`` and
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
        address: str | None = None,
    ) -> None:
        super().__init__(printable(message, limit=2000), hint=hint)
        self.kind = kind
        self.http_status = http_status
        self.final_url = final_url
        self.address = address


def fetch_url(
    url: str,
    *,
    config: FetchConfig | None = None,
    is_cancelled: Callable[[], bool] | None = None,
) -> FetchResult:
    """Download ``url`` within ``config``'s limits or raise :class:`FetchError`.

    Raises :class:`CancelledError` within a tenth of a second of
    ``is_cancelled`` turning true.  Nothing else escapes: whatever a server
    sends ends in a result or a :class:`FetchError`.
    """
    cfg = config or FetchConfig()
    with wire.Guard(cfg.total_timeout, is_cancelled) as guard:
        try:
            return _fetch(url, cfg, guard)
        except wire.GuardFired as fired:
            raise _stopped(fired.reason, url, cfg) from None
        except FetchError:
            if guard.fired is not None:
                raise _stopped(guard.fired, url, cfg) from None
            raise
        except (CancelledError, KeyboardInterrupt, SystemExit, MemoryError):
            raise
        except Exception as exc:  # hostile input must end as a recorded error
            if guard.fired is not None:
                raise _stopped(guard.fired, url, cfg) from None
            raise FetchError(
                f"Fetching {show_url(url)} failed: the answer could not be processed "
                f"({type(exc).__name__}: {printable(str(exc), limit=120)}).",
                kind="bad_response",
                hint="The site sent something malformed; attach another copy of the page.",
            ) from exc


def _stopped(reason: str, url: str, cfg: FetchConfig) -> Exception:
    if reason == "cancel":
        return CancelledError(f"Fetch of {show_url(url)} cancelled")
    return FetchError(
        f"Fetching {show_url(url)} took longer than {cfg.total_timeout:g} s.",
        kind="timeout",
        hint="The site is slow or not answering; try 'fetch' again later.",
    )


def _fetch(url: str, cfg: FetchConfig, guard: wire.Guard) -> FetchResult:
    visited: list[str] = []
    current = url
    policy = cfg.address_policy()
    while True:
        guard.check()
        target = _target(current)
        conn, response = _open(target, current, url, visited, cfg, guard, policy)
        try:
            status = response.status
            location = response.headers.get("Location")
            if status in _REDIRECT_CODES and location and location.strip():
                visited.append(current)
                current = _next_hop(current, location, visited, cfg)
                continue
            if status >= 400:
                reason = printable(response.reason or "", limit=_SHOWN_REASON)
                raise FetchError(
                    f"{show_url(current)} answered HTTP {status} {reason}".rstrip() + ".",
                    kind="http",
                    http_status=status,
                    final_url=current,
                    hint="The page may have been removed; check the address.",
                )
            if not 200 <= status < 300:
                raise FetchError(
                    f"{show_url(current)} answered HTTP {status}, which is not a page.",
                    kind="http",
                    http_status=status,
                    final_url=current,
                    hint="Attach the address of the page itself.",
                )
            media_type, charset = parse_content_type(response.headers.get("Content-Type"))
            _check_length(response, current, cfg)
            body = _read_body(response, current, cfg, guard)
        finally:
            response.close()
            conn.close()
        return _accept(url, current, status, media_type, charset, body, tuple(visited))


def _accept(
    url: str,
    final: str,
    status: int,
    media_type: str,
    charset: str | None,
    body: bytes,
    redirects: tuple[str, ...],
) -> FetchResult:
    if not media_type:
        media_type = sniff_media_type(body)
    if media_type not in ACCEPTED_TYPES:
        raise FetchError(
            f"{show_url(final)} is {media_type or 'of unknown type'}, not a web page, "
            "plain text or PDF.",
            kind="content_type",
            http_status=status,
            final_url=final,
            hint="Attach the page that shows this content instead.",
        )
    if media_type not in PDF_TYPES:
        kind = sniff.binary_kind(body)
        if kind is None:
            sample, _ = decode_body(body[: sniff.SAMPLE_BYTES], charset=charset, html=False)
            if sniff.mostly_undecodable(sample):
                kind = "binary data, not readable text"
        if kind is not None:
            raise FetchError(
                f"{show_url(final)} is {kind}, though the server calls it {media_type}.",
                kind="content_type",
                http_status=status,
                final_url=final,
                hint="Attach the page that shows this content instead.",
            )
    return FetchResult(
        url=url,
        final_url=final,
        http_status=status,
        content_type=media_type,
        charset=charset,
        body=body,
        redirects=redirects,
    )


def _open(
    target: wire.Target,
    current: str,
    first: str,
    visited: list[str],
    cfg: FetchConfig,
    guard: wire.Guard,
    policy: str,
) -> tuple[http.client.HTTPConnection, http.client.HTTPResponse]:
    headers = {
        "User-Agent": cfg.user_agent,
        "Accept": "text/html,application/xhtml+xml,text/plain;q=0.9,application/pdf;q=0.9",
        "Accept-Encoding": "gzip, deflate",
        "Connection": "close",
    }
    proxy = _proxy_for(target)
    host = target.host_header
    try:
        return wire.open_exchange(
            target,
            headers,
            guard,
            connect_timeout=min(cfg.connect_timeout, max(guard.remaining(), 0.001)),
            policy=policy,
            proxy=proxy,
        )
    except wire.LocalAddressRefused as exc:
        where = addresses.describe(exc.address)
        how = (
            f"{show_url(first)} redirects to {show_url(current)}, which points at {where}"
            if visited
            else f"{show_url(current)} points at {where}"
        )
        raise FetchError(
            f"{how}; it was not fetched.",
            kind="local_address",
            final_url=current,
            address=str(exc.address),
            hint="Pages on your own computer or network are fetched only when you allow it "
            "for this source (--allow-local).",
        ) from None
    except wire.GuardFired:
        raise
    except http.client.HTTPException as exc:
        guard.check()
        raise FetchError(
            f"{host} did not answer with valid HTTP ({_http_problem(exc)}).",
            kind="bad_response",
            final_url=current,
            hint="The site is misbehaving; try again later or attach another copy.",
        ) from None
    except (ssl.SSLError, ssl.CertificateError) as exc:
        guard.check()
        raise FetchError(
            f"Secure connection to {host} failed: {_short(exc)}.", kind="connection"
        ) from None
    except TimeoutError:
        guard.check()
        raise FetchError(
            f"Could not connect to {host} within {cfg.connect_timeout:g} s.",
            kind="timeout",
            hint="Check the network connection; the evidence is kept and can be fetched later.",
        ) from None
    except (OSError, UnicodeError, ValueError) as exc:
        guard.check()
        raise FetchError(
            f"Could not connect to {host}: {_short(exc)}.",
            kind="connection",
            hint="Check the network connection; the evidence is kept and can be fetched later.",
        ) from None


def _http_problem(exc: http.client.HTTPException) -> str:
    if isinstance(exc, http.client.LineTooLong):
        return "a header line is too long"
    if isinstance(exc, http.client.RemoteDisconnected):
        return "the connection closed without a response"
    if isinstance(exc, http.client.BadStatusLine):
        return "no valid status line"
    text = printable(str(exc), limit=80)
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


# --------------------------------------------------------------------------- URLs


def _target(url: str) -> wire.Target:
    """Where to send the request for ``url``, or a ``bad_url`` FetchError."""
    try:
        parts = urlsplit(url)
        port = parts.port
        scheme = parts.scheme.lower()
        hostname = parts.hostname or ""
    except ValueError as exc:
        raise _bad_url(url, str(exc)) from None
    if scheme not in {"http", "https"}:
        raise _bad_url(url, f"'{printable(scheme, limit=20)}:' addresses are not fetched")
    if parts.username is not None or parts.password is not None:
        raise _bad_url(url, "it contains a user name or password")
    if not hostname:
        raise _bad_url(url, "it has no host name")
    if addresses.parse_address(hostname) is not None:
        host = hostname.split("%", 1)[0]
    else:
        try:
            host = _idna(hostname.rstrip("."))
        except UnicodeError:
            raise _bad_url(url, "its host name is not a valid domain name") from None
    if port == 0:
        raise _bad_url(url, "port 0 is not a port")
    path = quote(parts.path or "/", safe="/%:@!$&'()*+,;=-._~")
    if parts.query:
        path += "?" + quote(parts.query, safe="/?%:@!$&'()*+,;=-._~")
    return wire.Target(
        scheme=scheme,
        host=host,
        port=port or (443 if scheme == "https" else 80),
        path=path,
    )


def _idna(host: str) -> str:
    lowered = host.lower()
    if lowered.isascii():
        if not lowered or any(not (ch.isalnum() or ch in "-._") for ch in lowered):
            raise UnicodeError("invalid host")
        return lowered
    return lowered.encode("idna").decode("ascii")


def _bad_url(url: str, why: str) -> FetchError:
    return FetchError(
        f"{show_url(url)} cannot be fetched: {why}.",
        kind="bad_url",
        hint="Check the address; attach it again if it was mistyped.",
    )


_UNSAFE_IN_URL = frozenset(b' "<>\\^`{|}')


def _as_url_text(location: str) -> str:
    """A ``Location`` value (bytes read as Latin-1) with unsafe bytes percent-encoded.

    Servers send raw UTF-8, spaces and control bytes in redirects; browsers
    encode them rather than fail, and so does this.
    """
    raw = location.strip().encode("latin-1", errors="replace")
    return "".join(
        f"%{byte:02X}" if byte < 0x21 or byte >= 0x7F or byte in _UNSAFE_IN_URL else chr(byte)
        for byte in raw
    )


def _next_hop(current: str, location: str, visited: list[str], cfg: FetchConfig) -> str:
    """The checked next URL of a redirect, or a ``bad_redirect``/loop/limit FetchError."""
    from workbench.core.sources.urls import validate_url

    if len(location) > MAX_LOCATION_LENGTH:
        raise _bad_redirect(current, f"an address of {len(location):,} characters")
    try:
        target = urljoin(current, _as_url_text(location)).split("#", 1)[0]
        parts = urlsplit(target)
        scheme = parts.scheme.lower()
        has_credentials = parts.username is not None or parts.password is not None
        _ = parts.port
    except ValueError as exc:
        raise _bad_redirect(
            current, f"a malformed address ({printable(str(exc), limit=60)})"
        ) from None
    if scheme not in {"http", "https"}:
        raise FetchError(
            f"{show_url(current)} redirects to a '{printable(scheme, limit=20)}:' address, "
            "which is not fetched.",
            kind="bad_redirect",
            final_url=current,
        )
    if has_credentials:
        raise FetchError(
            f"{show_url(current)} redirects to an address with a user name or password "
            f"({show_url(_without_credentials(target))}); it was not followed, and no "
            "credentials were sent or stored.",
            kind="bad_redirect",
            final_url=current,
            hint="Attach the page's address without credentials.",
        )
    try:
        validate_url(unquote_host(target))
    except UserInputError as exc:
        raise _bad_redirect(current, exc.message) from None
    if target in visited:
        raise FetchError(
            f"{show_url(visited[0])} redirects in a loop (back to {show_url(target)}).",
            kind="redirect_loop",
            final_url=current,
            hint="The site is misconfigured or needs cookies; attach another copy of the page.",
        )
    if len(visited) > cfg.max_redirects:
        raise FetchError(
            f"{show_url(visited[0])} redirects more than {cfg.max_redirects} times.",
            kind="too_many_redirects",
            final_url=current,
        )
    return target


def unquote_host(url: str) -> str:
    """``url`` with a percent-encoded host decoded, for checking (browsers do the same)."""
    parts = urlsplit(url)
    if "%" not in parts.netloc:
        return url
    return url.replace(parts.netloc, unquote(parts.netloc, errors="replace"), 1)


def _without_credentials(url: str) -> str:
    parts = urlsplit(url)
    netloc = parts.netloc.rpartition("@")[2]
    return parts._replace(netloc=netloc).geturl()


def _bad_redirect(current: str, what: str) -> FetchError:
    return FetchError(
        f"{show_url(current)} redirects to {what}, which is not followed.",
        kind="bad_redirect",
        final_url=current,
        hint="The site is misconfigured; attach the address of the final page instead.",
    )


def _proxy_for(target: wire.Target) -> wire.Proxy | None:
    """The proxy named in the environment for this target (newsroom networks need it)."""
    import urllib.request

    proxies = urllib.request.getproxies_environment()
    value = proxies.get(target.scheme) or proxies.get("all")
    if not value:
        return None
    try:
        if _bypasses_proxy(target.host, proxies.get("no", "")):
            return None
        parts = urlsplit(value if "://" in value else f"http://{value}")
        host, port = parts.hostname, parts.port or 80
        user, password = parts.username, parts.password
    except (ValueError, TypeError):
        raise FetchError(
            f"The proxy setting {show_url(value)} is malformed.",
            kind="connection",
            hint="Fix HTTP_PROXY / HTTPS_PROXY in the environment.",
        ) from None
    if not host:
        return None
    auth = None
    if user is not None:
        token = f"{unquote(user)}:{unquote(password or '')}".encode()
        auth = "Basic " + base64.b64encode(token).decode("ascii")
    return wire.Proxy(host=host, port=port, authorization=auth)


def _bypasses_proxy(host: str, no_proxy: str) -> bool:
    """Whether ``NO_PROXY`` (comma-separated hosts and domains, or ``*``) covers ``host``."""
    host = host.lower().strip("[]")
    for entry in no_proxy.split(","):
        name = entry.strip().lower().lstrip(".")
        if name.startswith("["):
            name = name[1 : name.find("]")] if "]" in name else name
        elif name.count(":") == 1:
            name = name.split(":", 1)[0]  # a port does not matter here
        if name == "*" or (name and (host == name or host.endswith("." + name))):
            return True
    return False


# --------------------------------------------------------------------------- body


def _check_length(response: http.client.HTTPResponse, url: str, cfg: FetchConfig) -> None:
    declared = (response.headers.get("Content-Length") or "").strip()
    if declared.isdigit() and len(declared) < 30 and int(declared) > cfg.max_bytes:
        raise _too_large(url, cfg, response.status)


class _Inflater:
    """Content-Encoding decoding that never produces more than it is allowed to."""

    def __init__(self, encoding: str) -> None:
        self.encoding = encoding
        self._started = False
        self._z: zlib._Decompress | None = None
        if encoding in {"gzip", "x-gzip"}:
            self._z = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding == "deflate":
            self._z = zlib.decompressobj(32 + zlib.MAX_WBITS)  # zlib or gzip header

    def feed(self, data: bytes, room: int) -> bytes:
        """Decode ``data``; stops once more than ``room`` bytes came out."""
        if self._z is None:
            return data
        if not self._started and self.encoding == "deflate":
            self._started = True
            try:
                return self._drain(data, room)
            except zlib.error:  # some servers send raw deflate without the zlib header
                self._z = zlib.decompressobj(-zlib.MAX_WBITS)
        self._started = True
        return self._drain(data, room)

    def _drain(self, data: bytes, room: int) -> bytes:
        assert self._z is not None
        out: list[bytes] = []
        produced = 0
        pending = data
        while pending and produced <= room:
            piece = self._z.decompress(pending, room - produced + 1)
            out.append(piece)
            produced += len(piece)
            if self._z.eof:
                pending = self._z.unused_data
                if pending and self.encoding in {"gzip", "x-gzip"}:
                    self._z = zlib.decompressobj(16 + zlib.MAX_WBITS)  # next gzip member
                    continue
                break
            pending = self._z.unconsumed_tail
        return b"".join(out)


def _inflater(response: http.client.HTTPResponse, url: str) -> _Inflater:
    encoding = (response.headers.get("Content-Encoding") or "identity").strip().lower()
    if encoding in {"", "identity", "gzip", "x-gzip", "deflate"}:
        return _Inflater(encoding)
    raise FetchError(
        f"{show_url(url)} was sent with a compression this app does not read "
        f"({printable(encoding, limit=40)}).",
        kind="bad_response",
        http_status=response.status,
        final_url=url,
    )


def _read_body(
    response: http.client.HTTPResponse, url: str, cfg: FetchConfig, guard: wire.Guard
) -> bytes:
    """Read and decode the body chunk by chunk, checking the guard and the size."""
    inflater = _inflater(response, url)
    chunks: list[bytes] = []
    size = 0
    try:
        while True:
            guard.check()
            chunk = response.read1(_CHUNK)
            if not chunk:
                break
            decoded = inflater.feed(chunk, cfg.max_bytes - size)
            size += len(decoded)
            if size > cfg.max_bytes:
                raise _too_large(url, cfg, response.status)
            chunks.append(decoded)
    except (OSError, http.client.HTTPException, ValueError, zlib.error, EOFError) as exc:
        guard.check()
        malformed = isinstance(exc, zlib.error | ValueError | http.client.HTTPException)
        if isinstance(exc, zlib.error):
            what = "the compressed body is damaged"
        elif malformed:
            what = f"the body is malformed ({_short(exc)})"
        else:
            what = f"the connection failed ({_short(exc)})"
        raise FetchError(
            f"Reading {show_url(url)} failed: {what}.",
            kind="bad_response" if malformed else "connection",
            http_status=response.status,
            final_url=url,
        ) from None
    if response.length:  # the server promised more than it sent
        raise FetchError(
            f"Reading {show_url(url)} failed: the connection closed "
            f"{response.length:,} bytes before the end of the page.",
            kind="connection",
            http_status=response.status,
            final_url=url,
            hint="Try 'fetch' again later.",
        )
    return b"".join(chunks)


def _too_large(url: str, cfg: FetchConfig, status: int) -> FetchError:
    return FetchError(
        f"{show_url(url)} is larger than the {_megabytes(cfg.max_bytes)} limit; "
        "the download was stopped.",
        kind="too_large",
        http_status=status,
        final_url=url,
        hint="Attach a smaller page, or raise the size limit in the settings.",
    )


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


# --------------------------------------------------------------------------- text for messages


def printable(text: str, *, limit: int) -> str:
    """``text`` fit for one line of a message: no controls, bidi overrides or huge runs.

    Servers choose reason phrases, URLs and header values; they end up in
    stored errors and on the terminal, so they are cleaned here once.
    """
    cleaned = "".join(
        " " if unicodedata.category(ch) in {"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"} else ch
        for ch in text
    )
    cleaned = re.sub(r"\s+", " ", cleaned).strip()
    return cleaned if len(cleaned) <= limit else cleaned[: limit - 1] + "…"


def show_url(url: str) -> str:
    return printable(url, limit=_SHOWN_URL)


def _megabytes(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.3g} MB"
    return f"{size / 1024:.3g} KB" if size >= 1024 else f"{size} bytes"


def _short(exc: BaseException) -> str:
    """The useful words of a socket or TLS error ("Connection refused")."""
    reason = getattr(exc, "reason", None)
    strerror = getattr(exc, "strerror", None)
    if isinstance(exc, ssl.SSLCertVerificationError) and exc.verify_message:
        return printable(f"certificate problem: {exc.verify_message}", limit=120)
    if isinstance(strerror, str) and strerror:
        return printable(strerror, limit=120).rstrip(".")
    if isinstance(reason, str) and reason:
        return printable(reason, limit=120).rstrip(".")
    text = printable(str(exc), limit=120)
    match = re.search(r"\[Errno -?\d+\] (.+)", text)
    if match:
        text = match.group(1)
    return (text or type(exc).__name__).rstrip(".")
