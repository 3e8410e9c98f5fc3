"""Tell text from binary data, for imported files and fetched pages alike.

One rule for both doors: bytes that import refuses as "not text" must not
become a "fetched" snapshot of replacement characters because a server
labelled them text/html.
"""

from __future__ import annotations

import unicodedata

BINARY_MAGIC = (
    (b"\x89PNG", "a PNG image"),
    (b"PK\x03\x04", "a ZIP archive (or .docx/.odt)"),
    (b"%PDF", "a PDF"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x7fELF", "a program"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"SQLite format 3", "an SQLite database"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!", "a RAR archive"),
    (b"\xfd7zXZ\x00", "an xz archive"),
    (b"\x28\xb5\x2f\xfd", "a zstd archive"),
    (b"wOFF", "a web font"),
    (b"wOF2", "a web font"),
)

SAMPLE_BYTES = 65536

MAX_UNDECODABLE_SHARE = 0.2
"""Above this share of junk characters (:func:`mostly_undecodable`), "text" is binary."""

_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def binary_kind(data: bytes) -> str | None:
    """What kind of binary ``data`` is ("a PNG image", "binary data"), or None for text.

    Checks known file signatures, then NUL bytes in the first 64 KB (text
    in UTF-16 with a byte-order mark legitimately holds them).
    """
    for magic, what in BINARY_MAGIC:
        if data.startswith(magic):
            return what
    if data.startswith(_UTF16_BOMS):
        return None
    if b"\x00" in data[:SAMPLE_BYTES]:
        return "binary data (it contains NUL bytes)"
    return None


def mostly_undecodable(text: str) -> bool:
    """Whether decoded text is mostly characters no page holds.

    Bytes without NULs can still be binary (compressed or encrypted data,
    or noise behind a UTF-16 byte-order mark); decoded, they become runs of
    U+FFFD, stray control characters, private-use and unassigned code
    points.  Escape, bell and backspace are not counted: they are hostile
    but textual, and the terminal output neutralises them.
    """
    sample = text[:SAMPLE_BYTES]
    if len(sample) < 32:
        return False
    bad = sum(1 for ch in sample if _junk(ch))
    return bad / len(sample) > MAX_UNDECODABLE_SHARE


def _junk(ch: str) -> bool:
    code = ord(ch)
    if code < 32:
        return ch not in "\t\n\r\f\x1b\x07\x08"
    if code < 0x7F:
        return False
    if ch == "\ufffd" or code <= 0x9F:
        return True
    return unicodedata.category(ch) in {"Co", "Cn", "Cs"}
