"""SIGKILL at random points during bulk import and bulk verdict updates.

The guarantee: every change the CLI reported as done ("<id>" from
``import``, "done <claim_id>" from ``verdicts``) is in the database after a
kill, the file passes ``PRAGMA integrity_check``, and no change is half
applied (no article with partial text, no verdict without its rationale).

Most kills hit children forked from a pre-imported CLI (see forkcli.py),
which run the real ``workbench.cli.main.run``; a few hit real ``python -m
workbench`` processes.  The random delays are seeded, so a failure can be
replayed.
"""

from __future__ import annotations

import hashlib
import json
import random
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.reliability.helpers import REPO, cli_env, integrity
from workbench.core.model import ExtractedClaim, Verdict

SEED = 20_240_508
FORKED_IMPORT_KILLS = 58
FORKED_VERDICT_KILLS = 45
REAL_KILLS_EACH = 2
FILES_PER_RUN = 6
VERDICTS_PER_RUN = 10
TIME_BUDGET_S = 75.0

VERDICTS = [v.value for v in Verdict]


class ForkCli:
    """Talks to forkcli.py: run ``workbench ARGV`` in a fresh fork, SIGKILL it on time."""

    def __init__(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, str(Path(__file__).with_name("forkcli.py"))],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=cli_env(),
            cwd=REPO,
        )

    def run(self, argv: list[str], kill_after: float | None) -> dict[str, object]:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(json.dumps({"argv": argv, "kill_after": kill_after}) + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        assert line, "the fork launcher died"
        reply: dict[str, object] = json.loads(line)
        return reply

    def close(self) -> None:
        if self.proc.stdin is not None:
            self.proc.stdin.close()
        self.proc.wait(timeout=30)
        if self.proc.stdout is not None:
            self.proc.stdout.close()


@dataclass
class Ledger:
    """What the CLI reported as done, to be found in the database."""

    texts: dict[str, str] = field(default_factory=dict)  # file name -> expected clean text
    articles: dict[int, str] = field(default_factory=dict)  # id printed -> expected text
    verdicts: dict[int, tuple[str, str]] = field(default_factory=dict)  # claim -> (v, rationale)
    planned: dict[int, tuple[str, str]] = field(default_factory=dict)  # every line ever sent
    kills: int = 0
    runs: int = 0


def _write_batch(folder: Path, run: int, ledger: Ledger) -> list[Path]:
    files = []
    for k in range(FILES_PER_RUN):
        name = f"run{run:04d}-{k:02d}.txt"
        text = (
            f"Report {run}-{k}: the council said spending rose by {run + k} percent.\n\n"
            + f"Paragraph two of {run}-{k} quotes the mayor at length. " * 30
        ).strip()
        path = folder / name
        path.write_text(text + "\n", encoding="utf-8")
        ledger.texts[name] = text
        files.append(path)
    return files


def _record_imports(lines: list[str], files: list[Path], ledger: Ledger) -> None:
    for line, path in zip(lines, files, strict=False):
        ledger.articles[int(line)] = ledger.texts[path.name]
    assert len(lines) <= len(files)


def _verdict_batch(folder: Path, run: int, claim_ids: list[int], ledger: Ledger) -> Path:
    path = folder / f"verdicts-{run:04d}.jsonl"
    rng = random.Random(SEED + run)
    with path.open("w", encoding="utf-8") as fh:
        for j, cid in enumerate(claim_ids):
            verdict = rng.choice(VERDICTS)
            rationale = f"run {run} line {j}: checked against the budget statement"
            ledger.planned[cid] = (verdict, rationale)
            fh.write(json.dumps({"claim_id": cid, "verdict": verdict, "rationale": rationale}))
            fh.write("\n")
    return path


def _record_verdicts(lines: list[str], ledger: Ledger) -> None:
    for line in lines:
        word, _, cid = line.partition(" ")
        assert word == "done", line
        ledger.verdicts[int(cid)] = ledger.planned[int(cid)]


def _seed_claims(db: Path, total: int) -> list[int]:
    from workbench.core.storage import Store

    ids: list[int] = []
    with Store.open(db) as store:
        per_article = 200
        for a in range((total + per_article - 1) // per_article):
            sentences = [f"Claim {a}-{i} says it was {i} percent." for i in range(per_article)]
            text = " ".join(sentences)
            article = store.articles.add(title=f"Seed {a}", text=text)
            additions, pos = [], 0
            for s in sentences:
                additions.append(ExtractedClaim(pos, pos + len(s), s, 0.5))
                pos += len(s) + 1
            store.claims.apply_extraction(
                article.id, updates=[], additions=additions, deletions=[], scorer=None
            )
            ids.extend(c.id for c in store.claims.for_article(article.id))
    return ids[:total]


def _check_database(db: Path, ledger: Ledger) -> None:
    assert integrity(db) == ["ok"]
    conn = sqlite3.connect(db)
    try:
        rows = dict(conn.execute("SELECT id, text FROM articles WHERE title NOT LIKE 'Seed %'"))
        shas = dict(conn.execute("SELECT id, text_sha256 FROM articles"))
        claims = {
            r[0]: (r[1], r[2], r[3])
            for r in conn.execute("SELECT id, verdict, rationale, status FROM claims")
        }
    finally:
        conn.close()
    for article_id, expected in ledger.articles.items():
        assert rows.get(article_id) == expected, f"article {article_id} reported done but lost"
    known = set(ledger.texts.values())
    for article_id, text in rows.items():  # nothing half-written, even if never reported
        assert text in known, f"article {article_id} holds text no file had"
        assert shas[article_id] == hashlib.sha256(text.encode("utf-8")).hexdigest()
    for cid, (verdict, rationale) in ledger.verdicts.items():
        assert claims[cid][:2] == (verdict, rationale), f"verdict on claim {cid} lost"
    for cid, (verdict, rationale, status) in claims.items():
        if verdict is None:
            assert rationale == "" and status == "unchecked", f"claim {cid} half updated"
        else:
            assert (verdict, rationale) == ledger.planned[cid], f"claim {cid} half updated"
            assert status == "in_progress"


def _real_kill(argv: list[str], rng: random.Random) -> tuple[list[str], bool]:
    """A real `python -m workbench` killed shortly after its first reported commit."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "workbench", *argv],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=cli_env(),
    )
    assert proc.stdout is not None
    with proc.stdout:
        first = proc.stdout.readline()
        time.sleep(rng.uniform(0.0, 0.15))
        proc.send_signal(signal.SIGKILL)
        rest = proc.stdout.read()
    proc.wait()
    text = (first + rest).decode()
    lines = text.split("\n")[:-1]
    return lines, proc.returncode == -signal.SIGKILL


@pytest.mark.slow
@pytest.mark.timeout(240)
def test_sigkill_during_bulk_import_and_verdicts(db_path: Path, tmp_path: Path) -> None:
    rng = random.Random(SEED)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    ledger = Ledger()
    started = time.monotonic()
    claim_pool = _seed_claims(
        db_path, (FORKED_VERDICT_KILLS * 2 + REAL_KILLS_EACH + 4) * VERDICTS_PER_RUN
    )
    seeded = time.monotonic()
    launcher = ForkCli()
    try:
        # Calibrate: how long does one full run take on this machine right now?
        # (Two of each; the first is slow while caches warm up.)
        import_span = verdict_span = 0.0
        for run in (0, 1):
            files = _write_batch(inbox, run, ledger)
            t0 = time.monotonic()
            reply = launcher.run(["--db", str(db_path), "import", *map(str, files)], None)
            import_span = time.monotonic() - t0
            assert reply["exit"] == 0, reply["stderr"]
            _record_imports(list(reply["lines"]), files, ledger)  # type: ignore[arg-type]
            ids = claim_pool[run * VERDICTS_PER_RUN : (run + 1) * VERDICTS_PER_RUN]
            batch = _verdict_batch(inbox, run, ids, ledger)
            t0 = time.monotonic()
            reply = launcher.run(["--db", str(db_path), "verdicts", str(batch)], None)
            verdict_span = time.monotonic() - t0
            assert reply["exit"] == 0, reply["stderr"]
            _record_verdicts(list(reply["lines"]), ledger)  # type: ignore[arg-type]
        _check_database(db_path, ledger)

        run = 2
        next_claim = 2 * VERDICTS_PER_RUN
        import_kills = verdict_kills = 0
        while import_kills < FORKED_IMPORT_KILLS or verdict_kills < FORKED_VERDICT_KILLS:
            assert time.monotonic() - started < TIME_BUDGET_S * 2, "crash test overran"
            do_import = import_kills < FORKED_IMPORT_KILLS and (
                verdict_kills >= FORKED_VERDICT_KILLS or run % 2 == 0
            )
            if do_import:
                files = _write_batch(inbox, run, ledger)
                argv = ["--db", str(db_path), "import", *map(str, files)]
                t0 = time.monotonic()
                reply = launcher.run(argv, rng.uniform(0.2, 1.0) * import_span)
                _record_imports(list(reply["lines"]), files, ledger)  # type: ignore[arg-type]
                import_kills += bool(reply["killed"])
                if not reply["killed"]:  # the machine got faster: aim within the new length
                    import_span = time.monotonic() - t0
            else:
                ids = claim_pool[next_claim : next_claim + VERDICTS_PER_RUN]
                next_claim += VERDICTS_PER_RUN
                assert len(ids) == VERDICTS_PER_RUN, "seed more claims: too many runs finished"
                batch = _verdict_batch(inbox, run, ids, ledger)
                argv = ["--db", str(db_path), "verdicts", str(batch)]
                t0 = time.monotonic()
                reply = launcher.run(argv, rng.uniform(0.2, 1.0) * verdict_span)
                _record_verdicts(list(reply["lines"]), ledger)  # type: ignore[arg-type]
                verdict_kills += bool(reply["killed"])
                if not reply["killed"]:
                    verdict_span = time.monotonic() - t0
            if not reply["killed"]:
                assert reply["exit"] == 0, reply["stderr"]
            else:
                ledger.kills += 1
            ledger.runs += 1
            _check_database(db_path, ledger)
            run += 1
    finally:
        launcher.close()

    # A few real processes too, killed right after their first reported commit.
    for _ in range(REAL_KILLS_EACH):
        files = _write_batch(inbox, run, ledger)
        lines, killed = _real_kill(["--db", str(db_path), "import", *map(str, files)], rng)
        _record_imports(lines, files, ledger)
        ledger.kills += killed
        run += 1
        ids = claim_pool[next_claim : next_claim + VERDICTS_PER_RUN]
        next_claim += VERDICTS_PER_RUN
        batch = _verdict_batch(inbox, run, ids, ledger)
        lines, killed = _real_kill(["--db", str(db_path), "verdicts", str(batch)], rng)
        _record_verdicts(lines, ledger)
        ledger.kills += killed
        run += 1
        _check_database(db_path, ledger)

    elapsed = time.monotonic() - started
    print(
        f"\ncrash test: {ledger.kills} SIGKILLs in {ledger.runs} forked runs + "
        f"{2 * REAL_KILLS_EACH} real processes; {len(ledger.articles)} imports and "
        f"{len(ledger.verdicts)} verdicts reported done, all present; {elapsed:.1f}s "
        f"(seeding {seeded - started:.1f}s) "
        f"(one import run {import_span:.2f}s, one verdict run {verdict_span:.2f}s)"
    )
    assert ledger.kills >= 100
    assert ledger.articles and ledger.verdicts
