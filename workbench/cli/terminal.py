"""What the CLI writes: terminal-safe text, and streams that fail in one line.

Text from fetched pages, imported articles and claims is untrusted.  Printed
raw, an escape sequence in a ``text/plain`` page can retitle the terminal,
hide lines or fake a prompt, and a right-to-left override in a claim
reverses what the reader sees.  Every human-readable line the CLI prints is
therefore passed through :func:`neutralize`: control characters (except tab
and newline), C1 controls and bidi embedding/override/isolate characters are
shown as visible escapes such as ``\\x1b`` or ``\\u202e``.  JSON output keeps
its values exact but escapes the same characters (``\\u001b``), which JSON
readers turn back into the stored characters.  Files written with ``-o``
hold the stored text unchanged.

Writing to a standard output that fails (``> /dev/full``, a closed pipe's
cousins) is the environment's problem, not a bug: :class:`GuardedText`
turns the ``OSError`` into one :class:`OutputError` line.
"""

from __future__ import annotations

import contextlib
import re
import sys
from typing import Any, BinaryIO, TextIO

from workbench.core.errors import KnownError

_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def neutralize(text: str) -> str:
    """``text`` with terminal control, escape and bidi-override characters made visible."""
    return _UNSAFE.sub(_escape, text)


def json_safe(text: str) -> str:
    """JSON text with the same characters as ``\\uXXXX`` escapes (the values are unchanged)."""
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)


class OutputError(KnownError):
    """Standard output (or error) cannot be written: a full disk, a closed or broken stream."""


class GuardedText:
    """A text stream whose write failures become :class:`OutputError`.

    Only what the CLI uses is forwarded: ``write``, ``flush``, ``isatty``,
    ``fileno`` and ``buffer`` (itself guarded, for binary output).
    """

    def __init__(self, stream: TextIO, name: str = "standard output") -> None:
        self._stream = stream
        self._name = name

    @property
    def raw(self) -> TextIO:
        return self._stream

    def write(self, text: str) -> int:
        try:
            return self._stream.write(text)
        except BrokenPipeError:
            raise  # the reader left (``| head``): not an error, see cli.main
        except OSError as exc:
            raise _failed(self._name, exc) from None

    def flush(self) -> None:
        try:
            self._stream.flush()
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise _failed(self._name, exc) from None

    def isatty(self) -> bool:
        try:
            return bool(self._stream.isatty())
        except (OSError, ValueError, AttributeError):
            return False

    def fileno(self) -> int:
        return self._stream.fileno()

    @property
    def buffer(self) -> GuardedBinary | None:
        inner = getattr(self._stream, "buffer", None)
        return GuardedBinary(inner, self._name) if inner is not None else None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


class GuardedBinary:
    def __init__(self, stream: BinaryIO, name: str) -> None:
        self._stream = stream
        self._name = name

    def write(self, data: bytes) -> int:
        try:
            return self._stream.write(data)
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise _failed(self._name, exc) from None

    def flush(self) -> None:
        try:
            self._stream.flush()
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise _failed(self._name, exc) from None


def _failed(name: str, exc: OSError) -> OutputError:
    import errno

    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        why = "the disk is full"
    else:
        why = exc.strerror or str(exc) or type(exc).__name__
    return OutputError(
        f"cannot write to {name}: {why}; the output is incomplete",
        hint="free some space or send the output elsewhere",
    )


def say(line: str) -> None:
    """One line on stderr, terminal-safe (messages quote paths, URLs and page text)."""
    with contextlib.suppress(OSError, ValueError, AttributeError):  # stderr itself is gone
        print(neutralize(line), file=sys.stderr)


def tolerant_streams() -> None:
    """Let stdout/stderr print any path and any text without an encoding crash.

    File names that are not UTF-8 reach Python as lone surrogates; with
    ``surrogateescape`` they are written back as the original bytes.  A
    terminal in a legacy encoding gets ``\\u`` escapes instead of an
    UnicodeEncodeError for text it cannot show.
    """
    import codecs
    import io

    for stream in (sys.stdout, sys.stderr):
        if not isinstance(stream, io.TextIOWrapper):
            continue
        try:
            utf8 = codecs.lookup(stream.encoding).name == "utf-8"
            stream.reconfigure(errors="surrogateescape" if utf8 else "backslashreplace")
        except (LookupError, ValueError, OSError):
            continue


def discard_stdout() -> None:
    """After stdout failed, send what is still buffered to /dev/null.

    Otherwise Python flushes the buffer again at exit, fails again, prints
    "Exception ignored" and exits with 120 instead of our exit code.
    """
    import os

    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
