"""Decode fetched and imported bytes into text, whatever a server claims.

A charset label is untrusted input.  Python's codec registry resolves far
more than text encodings: ``rot13``, ``base64``, ``zlib`` and ``hex`` are
bytes-to-bytes transforms, ``idna`` and ``punycode`` refuse error handlers,
``undefined`` always fails, ``unicode_escape`` interprets backslashes and
``utf-7`` can produce lone surrogates that no database accepts.  Browsers
decode only the encodings of the WHATWG Encoding Standard, so this module
accepts exactly those (by whatever alias Python resolves them through) and
ignores any other label, falling back to sniffing as if none had been given.
"""

from __future__ import annotations

import codecs
import re

MAX_LABEL_LENGTH = 40
"""Longer charset labels are ignored (the longest WHATWG label has 19 characters)."""

# Canonical Python codec names of the WHATWG encodings.
_ALLOWED = frozenset(
    {
        "utf-8", "utf-16", "utf-16-le", "utf-16-be",
        "cp866", "koi8-r", "koi8-u", "mac-roman", "mac-cyrillic", "cp874", "tis-620",
        "iso8859-2", "iso8859-3", "iso8859-4", "iso8859-5", "iso8859-6", "iso8859-7",
        "iso8859-8", "iso8859-10", "iso8859-11", "iso8859-13", "iso8859-14", "iso8859-15",
        "iso8859-16",
        "cp1250", "cp1251", "cp1252", "cp1253", "cp1254", "cp1255", "cp1256", "cp1257",
        "cp1258",
        "gbk", "gb2312", "gb18030", "big5", "big5hkscs",
        "euc_jp", "iso2022_jp", "shift_jis", "cp932", "euc_kr", "cp949",
    }
)  # fmt: skip

# WHATWG labels Python does not know by that name.
_EXTRA_LABELS = {
    "windows-874": "cp874",
    "x-mac-cyrillic": "mac-cyrillic",
    "x-mac-ukrainian": "mac-cyrillic",
    "windows-31j": "cp932",
    "x-sjis": "shift_jis",
    "ms932": "cp932",
    "iso-8859-8-i": "iso8859-8",
    "csiso88598i": "iso8859-8",
    "x-gbk": "gbk",
    "x-euc-jp": "euc_jp",
    "unicode-1-1-utf-8": "utf-8",
    "unicode11utf8": "utf-8",
    "unicode20utf8": "utf-8",
    "x-unicode20utf8": "utf-8",
}

# Browsers decode pages labelled latin-1 or ascii as windows-1252 (WHATWG);
# doing the same keeps curly quotes in legacy pages.
_AS_WINDOWS_1252 = frozenset({"iso8859-1", "ascii", "latin-1"})

_LABEL_RE = re.compile(r"^[A-Za-z0-9._:-]+$")


def codec_for(label: str | None) -> str | None:
    """The Python codec to decode a ``label``-ed body with, or None to ignore the label."""
    if not label:
        return None
    name = label.strip().strip("\"'").strip().lower()
    if not name or len(name) > MAX_LABEL_LENGTH or not _LABEL_RE.match(name):
        return None
    name = _EXTRA_LABELS.get(name, name)
    try:
        canonical = codecs.lookup(name).name
    except (LookupError, ValueError, TypeError):
        return None
    if canonical in _AS_WINDOWS_1252:
        return "cp1252"
    return canonical if canonical in _ALLOWED else None


def parse_content_type(header: str | None) -> tuple[str, str | None]:
    """``"Text/HTML; charset=UTF-8"`` -> ``("text/html", "utf-8")``.

    The charset is returned as given (lower-cased, unquoted) when it is a
    plausible label, else None; :func:`codec_for` decides whether it is used.
    """
    if not header:
        return "", None
    media, _, params = header.partition(";")
    charset = None
    for param in params.split(";"):
        name, _, value = param.partition("=")
        value = value.strip().strip("\"'").strip().lower()
        if name.strip().lower() == "charset" and value:
            charset = value if len(value) <= MAX_LABEL_LENGTH and _LABEL_RE.match(value) else None
    media = media.strip().lower()
    if len(media) > 100 or any(ch.isspace() or not ch.isprintable() for ch in media):
        media = "application/octet-stream"
    return media, charset


_META_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)


def decode_body(body: bytes, *, charset: str | None, html: bool) -> tuple[str, str]:
    """Decode a text body and return ``(text, encoding_used)``.

    Order: byte-order mark, the header's charset, a ``<meta>`` charset in the
    first 4 KB of HTML, then UTF-8, then windows-1252 (what browsers assume
    for unlabelled legacy pages).  Labels outside the WHATWG list are
    ignored.  Undecodable bytes become U+FFFD rather than failing the fetch:
    a snapshot with one odd character is better than no snapshot.
    """
    for bom, name in _BOMS:
        if body.startswith(bom):
            return body.decode(name, errors="replace"), name
    labels: list[str] = [charset] if charset else []
    if html:
        meta = _META_CHARSET_RE.search(body[:4096])
        if meta:
            labels.append(meta.group(1).decode("ascii", errors="ignore"))
    for label in labels:
        codec = codec_for(label)
        if codec is not None:
            return _decode(body, codec), _label(label, codec)
    try:
        return body.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return body.decode("cp1252", errors="replace"), "windows-1252"


def _decode(body: bytes, codec: str) -> str:
    try:
        return body.decode(codec, errors="replace")
    except (UnicodeError, LookupError, ValueError):  # pragma: no cover - allowlisted codecs
        return body.decode("cp1252", errors="replace")


def _label(label: str, codec: str) -> str:
    """The name recorded with the snapshot: the label as given, or windows-1252."""
    if codec == "cp1252":
        return "windows-1252"
    return label.strip().strip("\"'").strip().lower()
