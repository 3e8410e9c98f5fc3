"""Hostile paths: what the CLI writes, and which databases it opens, creates or refuses.

Writes (``export -o``, ``snapshot -o``) go through ``core.fileio.write_atomic``
and are tried against every kind of thing a path can name: a regular file
(replaced atomically, mode kept), a symlink (written through), a character
device made with ``mknod`` in a scratch folder (as root), a FIFO, a socket,
a folder, a read-only file, and a real full disk.  ``--db`` is tried with
URL syntax in its name, devices, FIFOs, a data dir that is a file and names
too long for the filesystem.
"""

from __future__ import annotations

import os
import shutil
import socket
import sqlite3
import stat
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.reliability.helpers import (
    assert_one_error_line,
    can_drop_file_override,
    count_rows,
    sha256,
    workbench,
)
from workbench.cli.main import run
from workbench.core.errors import KnownError, UserInputError
from workbench.core.fileio import write_atomic
from workbench.core.storage import Store

TEXT = "The ministry said exports rose by 7 percent in 2023, the highest in a decade.\n"


@pytest.fixture
def article_db(db_path: Path) -> Path:
    with Store.open(db_path) as store:
        store.articles.add(title="Exports", text=TEXT.strip())
    return db_path


def _cli(capsys: pytest.CaptureFixture[str], db: Path, *argv: str) -> tuple[int, str, str]:
    code = run(["--db", str(db), *argv])
    out, err = capsys.readouterr()
    return code, out, err


def _one_line(code: int, err: str, *mentions: str) -> str:
    assert code in (1, 2), f"exit {code}: {err}"
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), lines
    for word in mentions:
        assert word in lines[0], (word, lines[0])
    return lines[0]


# --------------------------------------------------------------------------- write rules


def test_a_new_file_is_written(tmp_path: Path) -> None:
    target = tmp_path / "memo.md"
    assert write_atomic(target, b"hello") == target
    assert target.read_bytes() == b"hello"
    assert [p.name for p in tmp_path.iterdir()] == ["memo.md"]  # no temporary left


def test_a_replaced_file_keeps_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "memo.md"
    target.write_bytes(b"old")
    target.chmod(0o640)
    write_atomic(target, b"new")
    assert target.read_bytes() == b"new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_a_symlink_is_written_through(tmp_path: Path) -> None:
    real = tmp_path / "real.md"
    real.write_bytes(b"old")
    real.chmod(0o600)
    link = tmp_path / "link.md"
    link.symlink_to(real)
    assert write_atomic(link, b"new") == real
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_bytes() == b"new"
    assert stat.S_IMODE(real.stat().st_mode) == 0o600


def test_a_dangling_symlink_creates_its_target(tmp_path: Path) -> None:
    link = tmp_path / "link.md"
    link.symlink_to(tmp_path / "later.md")
    write_atomic(link, b"x")
    assert link.is_symlink() and (tmp_path / "later.md").read_bytes() == b"x"


def test_a_symlink_loop_is_refused(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    a.symlink_to(b)
    b.symlink_to(a)
    with pytest.raises(UserInputError):
        write_atomic(a, b"x")
    assert a.is_symlink() and b.is_symlink()


def _fifo(folder: Path) -> Path:
    path = folder / "pipe"
    os.mkfifo(path)
    return path


def _socket(folder: Path) -> Path:
    path = folder / "sock"
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    server.close()
    return path


def _device(folder: Path) -> Path:
    """A character device like /dev/null (1, 3), made in the scratch folder (root only)."""
    if os.geteuid() != 0:
        pytest.skip("mknod needs root")
    path = folder / "null-device"
    try:
        os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    except PermissionError as exc:
        pytest.skip(f"mknod refused here: {exc}")
    return path


def _directory(folder: Path) -> Path:
    path = folder / "a-folder"
    path.mkdir()
    return path


SPECIAL = {"fifo": _fifo, "socket": _socket, "char-device": _device}


@pytest.mark.parametrize("kind", sorted(SPECIAL))
def test_special_files_are_refused_and_left_alone(tmp_path: Path, kind: str) -> None:
    target = SPECIAL[kind](tmp_path)
    before = os.lstat(target)
    with pytest.raises(UserInputError) as info:
        write_atomic(target, b"memo")
    assert (
        "not a regular file" in info.value.message and "nothing was written" in info.value.message
    )
    after = os.lstat(target)
    assert (after.st_mode, after.st_ino, after.st_rdev) == (
        before.st_mode,
        before.st_ino,
        before.st_rdev,
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == [target.name]


def test_a_symlink_to_a_device_is_refused(tmp_path: Path) -> None:
    link = tmp_path / "out.md"
    link.symlink_to("/dev/null")
    with pytest.raises(UserInputError) as info:
        write_atomic(link, b"memo")
    assert "character device" in info.value.message
    assert link.is_symlink() and stat.S_ISCHR(os.stat("/dev/null").st_mode)


@pytest.mark.parametrize("device", ["/dev/null", "/dev/full", "/dev/zero"])
def test_real_devices_are_refused_through_the_cli(
    capsys: pytest.CaptureFixture[str], article_db: Path, device: str
) -> None:
    before = os.stat(device)
    code, _out, err = _cli(capsys, article_db, "export", "1", "--format", "md", "-o", device)
    _one_line(code, err, device, "character device")
    after = os.stat(device)
    assert stat.S_ISCHR(after.st_mode) and after.st_rdev == before.st_rdev


def test_a_read_only_file_is_refused_even_for_root(tmp_path: Path) -> None:
    target = tmp_path / "memo.md"
    target.write_bytes(b"signed-off memo")
    target.chmod(0o444)
    with pytest.raises(UserInputError) as info:
        write_atomic(target, b"new")
    assert "read-only" in info.value.message
    assert target.read_bytes() == b"signed-off memo"
    assert stat.S_IMODE(target.stat().st_mode) == 0o444


@pytest.mark.skipif(not can_drop_file_override(), reason="cannot drop CAP_DAC_OVERRIDE here")
def test_a_read_only_folder_is_refused_by_the_real_cli(article_db: Path, tmp_path: Path) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        result = workbench(
            "export", "1", "-f", "md", "-o", folder / "memo.md", db=article_db, as_unprivileged=True
        )
    finally:
        folder.chmod(0o755)
    assert_one_error_line(result, mentions=("permission denied",))
    assert list(folder.iterdir()) == []


def test_export_and_snapshot_follow_the_same_rules(
    capsys: pytest.CaptureFixture[str], article_db: Path, tmp_path: Path
) -> None:
    with Store.open(article_db) as store:
        source, _ = store.sources.get_or_create("https://example.com/a", "https://example.com/a")
        store.sources.add_snapshot(
            source.id,
            fetched_at=datetime(2024, 1, 1, tzinfo=UTC),
            final_url="https://example.com/a",
            http_status=200,
            content_type="text/plain; charset=utf-8",
            raw=b"raw page bytes",
            text="Snapshot text.",
        )
    memo = tmp_path / "memo.md"
    memo.write_bytes(b"old")
    memo.chmod(0o604)
    code, _out, err = _cli(capsys, article_db, "export", "1", "-f", "md", "-o", str(memo))
    assert code == 0, err
    assert memo.read_bytes().startswith(b"#") and stat.S_IMODE(memo.stat().st_mode) == 0o604
    text_file = tmp_path / "snap.txt"
    text_file.write_bytes(b"old")
    text_file.chmod(0o444)
    code, _out, err = _cli(
        capsys, article_db, "snapshot", str(source.id), "--text", "-o", str(text_file)
    )
    _one_line(code, err, "read-only")
    assert text_file.read_bytes() == b"old"
    fifo = _fifo(tmp_path)
    code, _out, err = _cli(capsys, article_db, "snapshot", str(source.id), "--raw", "-o", str(fifo))
    _one_line(code, err, "FIFO")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    link = tmp_path / "raw-link"
    link.symlink_to(tmp_path / "raw.bin")
    code, _out, err = _cli(capsys, article_db, "snapshot", str(source.id), "--raw", "-o", str(link))
    assert code == 0, err
    assert link.is_symlink() and (tmp_path / "raw.bin").read_bytes() == b"raw page bytes"


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 1 MB tmpfs: a real full disk (root with mount permission only)."""
    mount = tmp_path / "small-disk"
    mount.mkdir()
    proc = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount)], capture_output=True
    )
    if proc.returncode != 0:
        pytest.skip(f"cannot mount a size-limited tmpfs here: {proc.stderr.decode().strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_a_full_disk_never_truncates_the_old_file(small_disk: Path) -> None:
    target = small_disk / "memo.md"
    target.write_bytes(b"the last good memo")
    filler = small_disk / "filler"
    filler.write_bytes(b"\0" * (shutil.disk_usage(small_disk).free - 8 * 1024))
    with pytest.raises(KnownError) as info:
        write_atomic(target, b"x" * 200_000)
    assert "disk is full" in info.value.message
    assert target.read_bytes() == b"the last good memo"
    assert sorted(p.name for p in small_disk.iterdir()) == ["filler", "memo.md"]


def test_snapshot_output_on_a_full_disk_keeps_the_old_file(
    small_disk: Path, article_db: Path
) -> None:
    with Store.open(article_db) as store:
        source, _ = store.sources.get_or_create("https://example.com/b", "https://example.com/b")
        store.sources.add_snapshot(
            source.id,
            fetched_at=datetime(2024, 1, 1, tzinfo=UTC),
            final_url="https://example.com/b",
            http_status=200,
            content_type="text/plain; charset=utf-8",
            raw=b"r",
            text="A" * 300_000,
        )
    target = small_disk / "snap.txt"
    target.write_bytes(b"previous text")
    (small_disk / "filler").write_bytes(b"\0" * (shutil.disk_usage(small_disk).free - 8 * 1024))
    result = workbench("snapshot", str(source.id), "--text", "-o", target, db=article_db)
    assert_one_error_line(result, mentions=("disk is full",))
    assert target.read_bytes() == b"previous text"


# --------------------------------------------------------------------------- --db


@pytest.mark.parametrize("name", ["work?copy", "pct%41.sqlite3", "case #12/x.sqlite3", "a&b=c;d"])
def test_db_path_with_url_syntax_is_a_plain_path(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str
) -> None:
    (tmp_path / "case #12").mkdir()
    db = tmp_path / name
    source = tmp_path / "a.txt"
    source.write_text(TEXT, encoding="utf-8")
    code, out, err = _cli(capsys, db, "import", str(source))
    assert (code, out.strip()) == (0, "1"), err
    code, out, err = _cli(capsys, db, "articles")
    assert code == 0 and "Exports" not in err and "ministry" in out, err
    assert db.is_file() and count_rows(db) == 1
    names = {p.name for p in db.parent.iterdir()} - {"a.txt", "case #12", "backups"}
    assert db.name in names and names <= {db.name, f"{db.name}-wal", f"{db.name}-shm"}, names
    stray = {"work", "pctA.sqlite3", "case "} & {p.name for p in tmp_path.iterdir()}
    assert not stray


def _data_dir_file(tmp: Path) -> list[str]:
    f = tmp / "plain-file"
    f.write_text("x")
    return ["--data-dir", str(f)]


def _char_device(tmp: Path) -> list[str]:
    return ["--db", str(_device(tmp))]


def _fifo_db(tmp: Path) -> list[str]:
    return ["--db", str(_fifo(tmp))]


def _long_name(tmp: Path) -> list[str]:
    return ["--db", str(tmp / ("x" * 300))]


def _nearly_long_name(tmp: Path) -> list[str]:
    return ["--db", str(tmp / ("y" * 250))]  # fits, but its -journal would not


def _folder(tmp: Path) -> list[str]:
    return ["--db", str(_directory(tmp))]


def _socket_db(tmp: Path) -> list[str]:
    return ["--db", str(_socket(tmp))]


BAD_DB = {
    "data-dir-is-a-file": (_data_dir_file, "is a file"),
    "char-device": (_char_device, "character device"),
    "fifo": (_fifo_db, "FIFO"),
    "socket": (_socket_db, "socket"),
    "300-character-name": (_long_name, "too long"),
    "250-character-name": (_nearly_long_name, "too long"),
    "folder": (_folder, "is a directory"),
}


@pytest.mark.parametrize("case", sorted(BAD_DB))
@pytest.mark.parametrize("command", [["articles"], ["import", "SOURCE"], ["db", "upgrade"]])
def test_unusable_db_locations_are_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, case: str, command: list[str]
) -> None:
    make, needle = BAD_DB[case]
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    where = make(scratch)
    before = sorted(p.name for p in scratch.iterdir())
    source = tmp_path / "a.txt"
    source.write_text(TEXT, encoding="utf-8")
    argv = [str(source) if a == "SOURCE" else a for a in command]
    code = run([*where, *argv])
    _out, err = capsys.readouterr()
    _one_line(code, err, needle)
    assert sorted(p.name for p in scratch.iterdir()) == before


def test_reading_commands_create_nothing_for_a_mistyped_db(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    missing = tmp_path / "no" / "such" / "folder" / "typo.sqlite3"
    for argv in (["articles"], ["search", "x"], ["show", "1"], ["claims", "1"], ["audit", "1"]):
        code = run(["--db", str(missing), *argv])
        _out, err = capsys.readouterr()
        assert code in (0, 2), (argv, err)
        assert "Traceback" not in err and "internal error" not in err
    code, out, _ = _cli(capsys, missing, "articles")
    assert (code, out) == (0, "")
    code, _out, err = _cli(capsys, missing, "db", "backup")
    _one_line(code, err, "does not exist", "nothing was created")
    assert list(tmp_path.iterdir()) == []


def _newer(db: Path) -> None:
    conn = sqlite3.connect(db)
    conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.commit()
    conn.close()


def _truncated(db: Path) -> None:
    data = db.read_bytes()
    db.write_bytes(data[: len(data) // 3])


@pytest.mark.parametrize("spoil", [_newer, _truncated], ids=["newer", "truncated"])
@pytest.mark.parametrize("action", ["check", "upgrade"])
def test_db_check_and_upgrade_leave_no_side_files(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    template_db: Path,
    spoil: object,
    action: str,
) -> None:
    db = tmp_path / "wal.sqlite3"
    shutil.copyfile(template_db, db)
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA journal_mode=WAL")  # the header now says WAL
    conn.close()
    spoil(db)  # type: ignore[operator]
    before = sha256(db)
    code, _out, err = _cli(capsys, db, "db", action)
    assert code == 1, err
    assert "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["wal.sqlite3"]
    assert sha256(db) == before


def test_a_failing_migration_does_not_pile_up_backups(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, template_db: Path
) -> None:
    """A database stamped 0002 that already has 0003's search index: 0003 fails each time."""
    db = tmp_path / "stuck.sqlite3"
    shutil.copyfile(template_db, db)
    conn = sqlite3.connect(db)
    conn.execute("UPDATE alembic_version SET version_num = '0002'")
    conn.commit()
    conn.close()
    before = sha256(db)
    for _ in range(3):
        code, _out, err = _cli(capsys, db, "articles")
        line = _one_line(code, err, "upgrading database", "failed", "left as it was")
        assert "a copy from before the attempt is at" in line
    backups = sorted((tmp_path / "backups").iterdir())
    assert len(backups) == 1, backups
    assert sha256(db) == before


# --------------------------------------------------------------------------- restore, import paths


@pytest.mark.parametrize(
    ("make", "needle"),
    [
        (lambda tmp: _directory(tmp), "a folder"),
        (lambda tmp: Path("/dev/zero"), "character device"),
        (lambda tmp: _fifo(tmp), "FIFO"),
        (lambda tmp: tmp / "absent.sqlite3", "does not exist"),
    ],
    ids=["folder", "dev-zero", "fifo", "missing"],
)
def test_restore_names_what_the_backup_really_is(
    capsys: pytest.CaptureFixture[str], article_db: Path, tmp_path: Path, make: object, needle: str
) -> None:
    backup = make(tmp_path)  # type: ignore[operator]
    before = sha256(article_db)
    code, _out, err = _cli(capsys, article_db, "db", "restore", str(backup))
    _one_line(code, err, needle)
    assert sha256(article_db) == before


def test_restore_through_a_symlinked_db_keeps_the_link(
    capsys: pytest.CaptureFixture[str], article_db: Path, tmp_path: Path
) -> None:
    code, out, err = _cli(capsys, article_db, "db", "backup")
    assert code == 0, err
    backup = Path(out.strip())
    link = tmp_path / "linked.sqlite3"
    link.symlink_to(article_db)
    code, _out, err = _cli(capsys, link, "db", "restore", str(backup))
    assert code == 0, err
    assert link.is_symlink() and count_rows(article_db) == 1


def test_import_of_an_empty_name_says_so(capsys: pytest.CaptureFixture[str], db_path: Path) -> None:
    code, _out, err = _cli(capsys, db_path, "import", "")
    _one_line(code, err, "the source is empty")
