"""Validate and normalize the URLs a fact-checker attaches as evidence.

Only http and https are accepted: every other scheme either cannot be fetched
safely (``file:`` reads the local disk, ``javascript:`` and ``data:`` carry
content rather than point at it) or is not a web page (``ftp:``).  The
normalized form is the identity of a source: two spellings of one page
(``HTTP://Example.com:80/a#top`` and ``http://example.com/a?utm_source=x``)
become one source, so evidence is not split across duplicates.  The address
as given is always kept next to it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from workbench.core.errors import UserInputError

ALLOWED_SCHEMES = frozenset({"http", "https"})
_DEFAULT_PORTS = {"http": 80, "https": 443}

# Parameters that only tell the publisher how the reader arrived; they never
# select content.  Compared case-insensitively.
TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "gclsrc",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "yclid",
        "twclid",
        "ttclid",
        "li_fat_id",
        "igshid",
        "mc_cid",
        "mc_eid",
        "mkt_tok",
        "_ga",
        "_gl",
        "_hsenc",
        "_hsmi",
        "__hstc",
        "__hssc",
        "__hsfp",
        "hsctatracking",
        "oly_anon_id",
        "oly_enc_id",
        "vero_id",
        "vero_conv",
        "ref_src",
        "ref_url",
        "s_cid",
        "ncid",
        "cmpid",
        "spm",
    }
)
TRACKING_PREFIXES = ("utm_", "pk_", "piwik_", "mtm_")

_SCHEME_RE = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_HOST_LABEL_RE = re.compile(r"^[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?$")


@dataclass(frozen=True, slots=True)
class CheckedUrl:
    """An attachable address: what the user typed (trimmed) and its identity."""

    original: str
    normalized: str


def is_tracking_param(name: str) -> bool:
    lowered = name.lower()
    return lowered in TRACKING_PARAMS or lowered.startswith(TRACKING_PREFIXES)


def check_url(raw: str) -> CheckedUrl:
    """Validate ``raw`` and return it with its normalized form.

    Raises :class:`UserInputError` with a message that says what is wrong and
    what to type instead; nothing should be stored when it raises.
    """
    original = validate_url(raw)
    return CheckedUrl(original=original, normalized=normalize_url(original))


def validate_url(raw: str) -> str:
    """Return ``raw`` trimmed if it is an http(s) address with a host."""
    text = (raw or "").strip()
    if not text:
        raise UserInputError("The URL is empty.", hint="Paste an http:// or https:// address.")
    if len(text) > MAX_URL_LENGTH:
        raise UserInputError(
            f"The URL {_show(text)} is {len(text):,} characters long; addresses of pages "
            f"are at most {MAX_URL_LENGTH:,}.",
            hint="Copy the address again from the browser's address bar.",
        )
    if not _is_text(text):
        raise UserInputError(
            f"The URL {_show(text)} holds bytes that are not text.",
            hint="Copy the address again from the browser's address bar.",
        )
    if any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in text):
        raise UserInputError(
            f"The URL {_show(text)} contains spaces or control characters.",
            hint="Copy the address again from the browser's address bar.",
        )
    match = _SCHEME_RE.match(text)
    scheme = match.group(1).lower() if match else ""
    if scheme not in ALLOWED_SCHEMES:
        if not match or (scheme and "." in scheme) or text.lower().startswith("www."):
            raise UserInputError(
                f"The URL {_show(text)} has no http:// or https:// scheme.",
                hint=f"Did you mean https://{text.split('//')[-1]}?",
            )
        raise UserInputError(
            f"The URL scheme '{scheme}:' is not allowed; only http and https pages "
            "can be attached as evidence.",
            hint="Attach the web address of the page instead.",
        )
    if not text[len(scheme) + 1 :].startswith("//"):
        raise UserInputError(
            f"The URL {_show(text)} is malformed: expected '{scheme}://' followed by a host.",
        )
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as exc:
        raise UserInputError(f"The URL {_show(text)} is malformed: {exc}.") from None
    host = parts.hostname or ""
    if not host:
        raise UserInputError(f"The URL {_show(text)} has no host name.")
    if parts.username is not None or parts.password is not None:
        raise UserInputError(
            f"The URL {_show(text)} contains a user name or password.",
            hint="Remove the 'user:password@' part; credentials must not be stored with evidence.",
        )
    _check_host(host, text)
    if port == 0:
        raise UserInputError(f"The URL {_show(text)} has an invalid port 0.")
    return text


MAX_URL_LENGTH = 8192
"""Longer "addresses" are pasted documents, not pages (browsers cut far shorter)."""


def _is_text(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates: non-UTF-8 bytes from the command line
        return False
    return True


def normalize_url(url: str) -> str:
    """The identity of a page: lowercase scheme and host, no default port,
    no fragment, no tracking parameters, an explicit ``/`` path.

    Query order is kept: some servers treat it as meaningful, and a false
    split into two sources is cheaper than a false merge of two pages.
    """
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = _ascii_host((parts.hostname or "").rstrip("."))
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    port = parts.port
    netloc = host if port is None or port == _DEFAULT_PORTS.get(scheme) else f"{host}:{port}"
    path = parts.path or "/"
    query_pairs = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not is_tracking_param(k)
    ]
    if len(query_pairs) == len(parse_qsl(parts.query, keep_blank_values=True)):
        # Nothing removed: keep the query byte-for-byte so that unusual
        # encodings the server relies on are not re-encoded.
        query = parts.query
    else:
        query = urlencode(query_pairs, doseq=True)
    return urlunsplit((scheme, netloc, path, query, ""))


def _check_host(host: str, text: str) -> None:
    if host.startswith("[") or ":" in host:
        return  # IPv6 literal; urlsplit already rejected malformed brackets
    try:
        ascii_host = _ascii_host(host.rstrip("."))
    except UserInputError:
        raise UserInputError(f"The URL {_show(text)} has an invalid host name.") from None
    labels = ascii_host.split(".")
    if not all(_HOST_LABEL_RE.match(label) for label in labels):
        raise UserInputError(f"The URL {_show(text)} has an invalid host name '{host}'.")


def _ascii_host(host: str) -> str:
    lowered = host.lower()
    if lowered.isascii():
        return lowered
    try:
        return lowered.encode("idna").decode("ascii")
    except UnicodeError:
        raise UserInputError(f"The host name '{host}' is not a valid domain name.") from None


def _show(text: str, limit: int = 80) -> str:
    shown = text if len(text) <= limit else text[: limit - 1] + "…"
    return repr(shown)
