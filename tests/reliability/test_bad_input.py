"""Bad input through the CLI and through the import code the UI calls.

Every case ends in a correct import or in exactly one clear error line with
a non-zero exit, no traceback and no article row added.  The CLI cases run
the real ``workbench`` in a subprocess; the service cases call
``services.articles.import_source`` (what the GUI's import dialog uses) on a
real store.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.reliability.helpers import (
    FIXTURES,
    assert_one_error_line,
    can_drop_file_override,
    cli_env,
    count_rows,
    drop_file_override,
    workbench,
)
from workbench.core.errors import UserInputError
from workbench.core.services import articles as service
from workbench.core.services.importing import MAX_ARTICLE_CHARS


def _fixture(name: str) -> Callable[[Path], Path]:
    return lambda _tmp: FIXTURES / name


def _big_text(tmp: Path) -> Path:
    """20 MB of prose with paragraphs: more text than an article can be."""
    path = tmp / "twenty-megabytes.txt"
    sentence = "The ministry said spending rose by 5 percent in 2023, officials confirmed. "
    para = sentence * 12 + "\n\n"
    with path.open("w", encoding="utf-8") as fh:
        written = 0
        while written < 20 * 1024 * 1024:
            fh.write(para)
            written += len(para)
    return path


def _one_long_line(tmp: Path) -> Path:
    """1 MB on one line, no punctuation: odd but legitimate text."""
    path = tmp / "one-line.txt"
    words = ("alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta")
    line = " ".join(words[i % len(words)] for i in range(180_000))[: 1024 * 1024]
    path.write_text(line.rstrip(), encoding="utf-8")
    return path


def _missing(tmp: Path) -> Path:
    return tmp / "no-such-file.txt"


def _directory(tmp: Path) -> Path:
    d = tmp / "a-folder.txt"
    d.mkdir()
    return d


def _fifo(tmp: Path) -> Path:
    p = tmp / "pipe.txt"
    os.mkfifo(p)
    return p


@dataclass(frozen=True)
class Case:
    name: str
    make: Callable[[Path], Path]
    # For accepted input: the exact article text expected; for refusals: words in the message.
    expect_text: Callable[[Path], str] | None = None
    refusal: tuple[str, ...] = ()


def _source_text(encoding: str) -> Callable[[Path], str]:
    def expected(path: Path) -> str:
        return path.read_bytes().decode(encoding).strip()

    return expected


def _nfc_stripped(path: Path) -> str:
    return unicodedata.normalize("NFC", path.read_text(encoding="utf-8")).strip()


CASES = [
    Case("empty", _fixture("empty.txt"), refusal=("empty.txt", "empty")),
    Case("whitespace", _fixture("whitespace.txt"), refusal=("whitespace.txt", "empty")),
    Case("png", _fixture("image.png"), refusal=("image.png", "PNG")),
    Case("zip", _fixture("archive.zip"), refusal=("archive.zip", "ZIP")),
    Case("nul", _fixture("nul_bytes.txt"), refusal=("nul_bytes.txt", "NUL")),
    Case("big-20mb", _big_text, refusal=("twenty-megabytes.txt", f"{MAX_ARTICLE_CHARS:,}")),
    Case("one-mb-line", _one_long_line, expect_text=_source_text("utf-8")),
    Case(
        "utf16-bom",
        _fixture("utf16_bom.txt"),
        expect_text=lambda p: p.read_bytes().decode("utf-16").replace("\r", "").strip(),
    ),
    Case("cp1252", _fixture("cp1252.txt"), expect_text=_source_text("cp1252")),
    Case("latin1", _fixture("latin1.txt"), expect_text=_source_text("latin-1")),
    Case(
        "mixed-endings",
        _fixture("mixed_endings.txt"),
        expect_text=lambda p: "Line one.\nLine two.\nLine three.\nLine four.\n\nLast paragraph.",
    ),
    Case(
        "html-scripts-no-article",
        _fixture("scripts_only.html"),
        refusal=("scripts_only.html", "no article text"),
    ),
    Case("rtl-cjk", _fixture("rtl_cjk.txt"), expect_text=_nfc_stripped),
    Case("emoji-combining", _fixture("emoji_combining.txt"), expect_text=_nfc_stripped),
    Case("missing", _missing, refusal=("no-such-file.txt", "does not exist")),
    Case("directory", _directory, refusal=("a-folder.txt", "directory")),
    Case("fifo", _fifo, refusal=("pipe.txt", "not a regular file")),
]


def _article_text(db: Path, article_id: int) -> str:
    conn = sqlite3.connect(db)
    try:
        row = conn.execute("SELECT text FROM articles WHERE id = ?", (article_id,)).fetchone()
    finally:
        conn.close()
    assert row is not None, f"article {article_id} is not in the database"
    return str(row[0])


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_cli_import(case: Case, db_path: Path, tmp_path: Path) -> None:
    source = case.make(tmp_path)
    before = count_rows(db_path)
    result = workbench("import", source, db=db_path)
    if case.expect_text is None:
        assert_one_error_line(result, mentions=case.refusal)
        assert result.out == ""
        assert count_rows(db_path) == before
        return
    assert result.code == 0, result.err
    assert "Traceback" not in result.err
    article_id = int(result.out.strip())
    assert count_rows(db_path) == before + 1
    assert _article_text(db_path, article_id) == case.expect_text(source)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_service_import(case: Case, store: object, tmp_path: Path) -> None:
    """The same corpus through services.articles.import_source (the GUI's path)."""
    from workbench.core.storage import Store

    assert isinstance(store, Store)
    source = case.make(tmp_path)
    before = store.articles.count()
    if case.expect_text is None:
        with pytest.raises(UserInputError) as info:
            service.import_source(store, str(source))
        line = info.value.one_line()
        assert "\n" not in line
        for word in case.refusal:
            assert word in line
        assert store.articles.count() == before
        return
    article, _ = service.import_source(store, str(source))
    assert article.text == case.expect_text(source)
    assert store.articles.count() == before + 1
    assert store.articles.get(article.id).text == article.text


def test_cli_stops_at_the_first_bad_source_keeping_earlier_ones(
    db_path: Path, tmp_path: Path
) -> None:
    """`import good bad good`: the first is committed and printed; then one error line."""
    good = tmp_path / "good.txt"
    good.write_text("The minister said the budget rose by 5% in 2023.\n", encoding="utf-8")
    result = workbench("import", good, FIXTURES / "image.png", good, db=db_path)
    assert_one_error_line(result, mentions=("image.png",))
    assert result.out.split() == ["1"]
    assert count_rows(db_path) == 1


@pytest.fixture(scope="module")
def unprivileged() -> None:
    if not can_drop_file_override():
        pytest.skip(
            "running as root and the capability bounding set cannot be lowered here, so a "
            "chmod 000 file stays readable; the unreadable-file case cannot be made honest"
        )


def _locked_file(tmp_path: Path) -> Path:
    locked = tmp_path / "locked.txt"
    locked.write_text("The minister said the budget rose by 5% in 2023.\n", encoding="utf-8")
    locked.chmod(0)
    return locked


@pytest.mark.slow
def test_cli_unreadable_file(unprivileged: None, db_path: Path, tmp_path: Path) -> None:
    """chmod 000, read by a process that really obeys permissions (root without DAC caps)."""
    locked = _locked_file(tmp_path)
    before = count_rows(db_path)
    result = workbench("import", locked, db=db_path, as_unprivileged=True)
    assert_one_error_line(result, mentions=("locked.txt", "permission denied"))
    assert count_rows(db_path) == before


@pytest.mark.slow
def test_service_unreadable_file(unprivileged: None, db_path: Path, tmp_path: Path) -> None:
    """import_source on a chmod 000 file, in a child that obeys permissions."""
    locked = _locked_file(tmp_path)
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from workbench.core.errors import UserInputError\n"
        "from workbench.core.services.articles import import_source\n"
        "from workbench.core.storage import Store\n"
        "store = Store.open(Path(sys.argv[1]))\n"
        "try:\n"
        "    import_source(store, sys.argv[2])\n"
        "except UserInputError as exc:\n"
        "    print(exc.one_line())\n"
        "    sys.exit(7)\n"
    )
    before = count_rows(db_path)
    proc = subprocess.run(
        [sys.executable, "-c", code, str(db_path), str(locked)],
        capture_output=True,
        text=True,
        env=cli_env(),
        preexec_fn=drop_file_override if os.geteuid() == 0 else None,
        timeout=120,
    )
    assert proc.returncode == 7, proc.stderr
    assert "locked.txt" in proc.stdout and "permission denied" in proc.stdout
    assert count_rows(db_path) == before
