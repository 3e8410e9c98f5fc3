"""verdicts: apply many verdicts from a JSON-lines file, one committed transaction each.

Fact-checkers sometimes rate a batch of claims in a spreadsheet and apply it
at once.  Every line is its own transaction and "done <claim_id>" is printed
only after that line's commit, so if the process dies half-way the output
says exactly which verdicts are safe in the database (the crash-safety
tests in tests/reliability rely on this contract).

The whole file is parsed and validated before anything is written: a typo on
line 40 must not leave lines 1-39 applied and the rest not.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbench.cli.context import CliContext
from workbench.core.errors import UserInputError
from workbench.core.model import Status, Verdict

MAX_FILE_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class VerdictLine:
    claim_id: int
    verdict: Verdict | None
    rationale: str | None
    status: Status | None


def register(sub: Any) -> None:
    p = sub.add_parser(
        "verdicts",
        help="apply verdicts from a JSON-lines file; prints 'done CLAIM_ID' after each commit",
        description='Each line: {"claim_id": 12, "verdict": "false", "rationale": "..."} '
        '(optional "status"; "verdict": null clears it). FILE may be - for stdin. The file '
        "is checked first; then each line is committed on its own.",
    )
    p.add_argument("file", metavar="FILE")
    p.set_defaults(handler=_verdicts)


def _verdicts(args: argparse.Namespace, ctx: CliContext) -> int:
    from workbench.core.services import claims as service

    data = ctx.read_stdin(MAX_FILE_BYTES) if args.file == "-" else _read(args.file)
    lines = parse_lines(data, name="standard input" if args.file == "-" else args.file)
    store = ctx.store
    for item in lines:
        service.set_verdict(
            store, item.claim_id, item.verdict, rationale=item.rationale, status=item.status
        )
        ctx.out(f"done {item.claim_id}")
        ctx.stdout.flush()
    return 0


def _read(source: str) -> bytes:
    """The file's bytes; a FIFO, device or folder is refused without blocking on it."""
    from workbench.core.fileio import read_regular_file

    return read_regular_file(
        Path(source).expanduser(), limit=MAX_FILE_BYTES, what="JSON-lines file"
    )


def _is_text(value: str) -> bool:
    """Whether ``value`` can be stored: JSON's \\ud800 escapes give lone surrogates."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def parse_lines(data: bytes, *, name: str) -> list[VerdictLine]:
    """Every line of ``data`` as a :class:`VerdictLine`, or one error naming the line."""
    from workbench.core.services.claims import parse_status, parse_verdict

    if len(data) > MAX_FILE_BYTES:
        raise UserInputError(f"{name} is larger than {MAX_FILE_BYTES // 1_000_000} MB")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UserInputError(f"{name} is not UTF-8 text", hint="save it as UTF-8") from None
    out: list[VerdictLine] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        where = f"{name} line {number}"
        try:
            obj = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise UserInputError(f"{where} is not JSON ({exc.msg})") from None
        except RecursionError:
            raise UserInputError(f"{where} nests JSON too deeply to be a verdict") from None
        except ValueError as exc:  # e.g. a number with more digits than Python converts
            raise UserInputError(f"{where} is not usable JSON ({exc})") from None
        if not isinstance(obj, dict):
            raise UserInputError(f"{where} is not a JSON object")
        claim_id = obj.get("claim_id")
        if not isinstance(claim_id, int) or isinstance(claim_id, bool):
            raise UserInputError(f"{where} has no integer claim_id")
        if not -(2**63) <= claim_id < 2**63:
            raise UserInputError(f"{where}: claim_id {claim_id} is out of range (no such claim)")
        if "verdict" not in obj:
            raise UserInputError(f"{where} has no verdict", hint='use "verdict": null to clear it')
        raw_verdict = obj["verdict"]
        if raw_verdict is not None and not isinstance(raw_verdict, str):
            raise UserInputError(f"{where}: verdict must be a string or null")
        rationale = obj.get("rationale")
        if rationale is not None and not isinstance(rationale, str):
            raise UserInputError(f"{where}: rationale must be a string")
        raw_status = obj.get("status")
        if raw_status is not None and not isinstance(raw_status, str):
            raise UserInputError(f"{where}: status must be a string")
        for label, value in (
            ("verdict", raw_verdict),
            ("rationale", rationale),
            ("status", raw_status),
        ):
            if isinstance(value, str) and not _is_text(value):
                raise UserInputError(
                    f"{where}: the {label} holds an invalid character (a lone surrogate escape)",
                    hint="fix the line; nothing was applied",
                )
        try:
            verdict = None if raw_verdict is None else parse_verdict(raw_verdict)
            status = None if raw_status is None else parse_status(raw_status)
        except UserInputError as exc:
            raise UserInputError(f"{where}: {exc.message}", hint=exc.hint) from None
        out.append(VerdictLine(claim_id, verdict, rationale, status))
    if not out:
        raise UserInputError(f"{name} has no verdict lines", hint="one JSON object per line")
    return out
