"""Files and streams the workbench reads or writes on the user's behalf.

Every file the app writes where the user pointed it (a memo export, a
snapshot saved with ``-o``) goes through :func:`write_atomic`, and every
stream it reads whole (standard input, a verdicts file) through
:func:`read_capped`.  The rules are the ones a careful Unix tool follows:

* a regular file, or a new path, is replaced atomically: a temporary file in
  the same folder is written, flushed to disk and renamed over the target,
  so a crash or a full disk never leaves half a memo where the last good one
  was;
* the replaced file keeps its permission bits (and, as root, its owner);
* a symbolic link is followed and its target written by the same rules
  (renaming over the link itself would silently replace the link);
* anything that is not a regular file (a device such as ``/dev/null``, a
  FIFO, a socket, a folder) is refused before anything is written: renaming
  a file over ``/dev/null`` turns it into a regular file for every program
  on the machine;
* a read-only file (no write permission bit, or not writable by this
  process) is refused: its mode says "do not change me", even to root.

Refusals are :class:`~workbench.core.errors.UserInputError` (the user chose
the path); a full disk or an I/O error is a :class:`KnownError`.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
from pathlib import Path
from typing import BinaryIO

from workbench.core.errors import KnownError, UserInputError

__all__ = ["describe_mode", "is_folder", "read_capped", "read_regular_file", "write_atomic"]


def is_folder(path: Path) -> bool:
    """``path.is_dir()`` that is False, not an exception, for names too long or looping."""
    try:
        return stat.S_ISDIR(os.stat(path).st_mode)
    except (OSError, ValueError):
        return False


def describe_mode(mode: int) -> str:
    """What kind of thing a ``st_mode`` is, for messages ("a FIFO")."""
    if stat.S_ISREG(mode):
        return "a regular file"
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def write_atomic(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` by the rules above; returns the file written.

    The returned path differs from ``path`` when ``path`` is a symbolic link
    (it is the link's target).
    """
    target = _writable_target(path)
    folder = target.parent
    old = _lstat(target, path)
    tmp_name: str | None = None
    try:
        tmp_name, fd = _create_temp(folder)
        try:
            _write_all(fd, data)
            if old is not None:
                os.fchmod(fd, stat.S_IMODE(old.st_mode))
                if os.geteuid() == 0 and (old.st_uid, old.st_gid) != (0, 0):
                    with contextlib.suppress(OSError):
                        os.fchown(fd, old.st_uid, old.st_gid)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp_name, target)
        tmp_name = None
        _fsync_folder(folder)
    except OSError as exc:
        raise _write_error(path, exc) from exc
    finally:
        if tmp_name is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)
    return target


def _writable_target(path: Path) -> Path:
    """The file to replace for ``path``, or a one-line refusal naming why not."""
    shown = str(path)
    if not shown or shown.endswith(os.sep):
        raise UserInputError(
            f"cannot write {shown or 'an empty path'}: it names a folder, not a file",
            hint="give a file name",
        )
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise _write_error(path, exc) from exc
    target = path
    if info is not None and stat.S_ISLNK(info.st_mode):
        try:
            info = os.stat(path)  # what the link leads to (a FIFO behind /dev/stdout, ...)
        except FileNotFoundError:
            info = None  # a dangling link: its target is created, as the shell would
        except OSError as exc:
            raise _write_error(path, exc) from exc
        target = Path(os.path.realpath(path))
        if info is not None and stat.S_ISREG(info.st_mode):
            try:
                if not stat.S_ISREG(os.lstat(target).st_mode):
                    raise UserInputError(
                        f"cannot write {shown}: its link does not lead to a plain file path; "
                        "nothing was written",
                        hint="choose another output file",
                    )
            except OSError as exc:
                raise _write_error(path, exc) from exc
    if info is not None:
        if not stat.S_ISREG(info.st_mode):
            what = describe_mode(info.st_mode)
            raise UserInputError(
                f"cannot write {shown}: it is {what}, not a regular file; nothing was written",
                hint="choose a file name (an existing folder gets the default name)"
                if stat.S_ISDIR(info.st_mode)
                else "choose a regular file to write to",
            )
        if not info.st_mode & 0o222 or not os.access(target, os.W_OK):
            raise UserInputError(
                f"cannot write {shown}: the file is read-only; it was left unchanged",
                hint="make it writable (chmod u+w) or choose another output file",
            )
    folder = target.parent
    try:
        folder_info = os.stat(folder)
    except FileNotFoundError:
        raise UserInputError(
            f"cannot write {shown}: the folder {folder} does not exist",
            hint="create it or choose another output file",
        ) from None
    except OSError as exc:
        raise _write_error(path, exc) from exc
    if not stat.S_ISDIR(folder_info.st_mode):
        raise UserInputError(
            f"cannot write {shown}: {folder} is {describe_mode(folder_info.st_mode)}, not a folder",
            hint="choose another output file",
        )
    return target


def _lstat(target: Path, shown: Path) -> os.stat_result | None:
    try:
        return os.lstat(target)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise _write_error(shown, exc) from exc


def _create_temp(folder: Path) -> tuple[str, int]:
    """A new private-named file beside the target, created with mode 0666 & ~umask.

    Not :func:`tempfile.mkstemp`: it creates 0600 files, and reading the
    umask to widen them again is process-global and racy on threads.  The
    name is short so that a target name near the length limit still works.
    """
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    flags |= getattr(os, "O_NOFOLLOW", 0)
    for _ in range(16):
        name = os.path.join(folder, f".wb-{secrets.token_hex(6)}.tmp")
        try:
            return name, os.open(name, flags, 0o666)
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "could not create a temporary file", str(folder))


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _fsync_folder(folder: Path) -> None:
    """Make the rename durable; best effort (some filesystems refuse it)."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)


def _write_error(path: Path, exc: OSError) -> KnownError:
    code = exc.errno
    if code in (errno.EACCES, errno.EPERM):
        return UserInputError(
            f"cannot write {path}: permission denied; nothing was changed",
            hint="choose a folder you can write to",
        )
    if code == errno.ENAMETOOLONG:
        return UserInputError(
            f"cannot write {_short(path)}: the file name is too long",
            hint="choose a shorter name",
        )
    if code == errno.ENOTDIR:
        return UserInputError(
            f"cannot write {path}: a part of the path is a file, not a folder",
            hint="check the path",
        )
    if code == errno.ELOOP:
        return UserInputError(
            f"cannot write {path}: its symbolic links form a loop; nothing was written",
            hint="choose another output file",
        )
    if code == errno.EROFS:
        return KnownError(
            f"cannot write {path}: the disk is mounted read-only; nothing was changed",
            hint="choose another place",
        )
    if code in (errno.ENOSPC, errno.EDQUOT):
        return KnownError(
            f"cannot write {path}: the disk is full; the previous file (if any) is unchanged",
            hint="free some space or choose another place",
        )
    return KnownError(
        f"cannot write {path}: {exc.strerror or exc}; the previous file (if any) is unchanged",
        hint="check the disk, or choose another place",
    )


def _short(path: Path, limit: int = 80) -> str:
    text = str(path)
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --------------------------------------------------------------------------- reading


def read_capped(stream: BinaryIO | None, *, limit: int, name: str) -> bytes:
    """All of ``stream`` if it holds at most ``limit`` bytes, else one clear refusal.

    Reads ``limit + 1`` bytes at most, so an endless stream (``/dev/zero``)
    costs ``limit`` bytes of memory and a moment, not the machine.  ``None``
    (a closed standard input: Python sets ``sys.stdin`` to None) and a
    stream that cannot be read are refused the same way.
    """
    if stream is None:
        raise UserInputError(
            f"{name} is closed; there is nothing to read", hint="pipe the input in"
        )
    try:
        data = stream.read(limit + 1)
    except (OSError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
        raise UserInputError(f"cannot read {name}: {reason}") from None
    if data is None:  # a non-blocking stream with nothing ready
        raise UserInputError(f"{name} has no data ready", hint="pipe the input in")
    if len(data) > limit:
        raise UserInputError(
            f"{name} is larger than the {_size(limit)} limit; reading stopped there",
            hint="give a smaller input",
        )
    return bytes(data)


def read_regular_file(path: Path, *, limit: int, what: str = "file") -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes, or one clear refusal.

    The file is opened without blocking (a FIFO with no writer would hang
    ``open`` forever) and checked to be a regular file on the open descriptor,
    so a path swapped between check and read is still caught.
    """
    shown = str(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise UserInputError(f"{shown} does not exist", hint="check the path") from None
    except IsADirectoryError:
        raise UserInputError(f"{shown} is a folder, not a {what}", hint="give a file") from None
    except OSError as exc:
        raise _read_error(path, exc) from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise UserInputError(f"{shown} is a folder, not a {what}", hint="give a file")
        if not stat.S_ISREG(info.st_mode):
            raise UserInputError(
                f"{shown} is {describe_mode(info.st_mode)}, not a regular file",
                hint=f"give a {what}",
            )
        if info.st_size > limit:
            raise UserInputError(
                f"{shown} is {_size(info.st_size)}, more than the {_size(limit)} limit",
                hint="give a smaller file",
            )
        with os.fdopen(os.dup(fd), "rb") as fh:
            data = fh.read(limit + 1)
    except OSError as exc:
        raise _read_error(path, exc) from None
    finally:
        os.close(fd)
    if len(data) > limit:  # it grew while we read
        raise UserInputError(f"{shown} is larger than the {_size(limit)} limit")
    return data


def _read_error(path: Path, exc: OSError) -> UserInputError:
    if exc.errno in (errno.EACCES, errno.EPERM):
        return UserInputError(
            f"cannot read {path}: permission denied", hint="check its permissions"
        )
    if exc.errno == errno.ENAMETOOLONG:
        return UserInputError(f"cannot read {_short(path)}: the file name is too long")
    if exc.errno == errno.ENOTDIR:
        return UserInputError(f"cannot read {path}: a part of the path is a file, not a folder")
    return UserInputError(f"cannot read {path}: {exc.strerror or exc}")


def _size(size: int) -> str:
    if size >= 1_000_000:
        return f"{size / 1_000_000:.0f} MB"
    if size >= 1000:
        return f"{size / 1000:.0f} KB"
    return f"{size} bytes"
