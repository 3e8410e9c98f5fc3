"""score: check-worthiness of sentences on stdin, one score per line."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from typing import Any, BinaryIO

from workbench.cli.context import CliContext


def register(sub: Any) -> None:
    p = sub.add_parser(
        "score",
        help="score sentences from stdin (one per line); prints one score in [0,1] per line",
        description="Check-worthiness scores; 0.5 or more means check-worthy. The scorer used "
        "is named on stderr.",
    )
    p.add_argument(
        "--scorer",
        default="auto",
        choices=["auto", "transformer", "textcat", "cues"],
        help="which scorer to use (default: the best available)",
    )
    p.add_argument("--batch", type=int, default=256, metavar="N", help="sentences per batch")
    p.set_defaults(handler=_score)


def _score(args: argparse.Namespace, ctx: CliContext) -> int:
    from workbench.core.errors import UserInputError
    from workbench.core.nlp.scoring import get_scorer

    scorer = get_scorer(args.scorer)
    ctx.err(
        f"scorer: {scorer.name}" + (f" ({scorer.missing_reason})" if scorer.missing_reason else "")
    )
    batch: list[str] = []
    try:
        for line in _lines(ctx.stdin_binary()):
            batch.append(line)
            if len(batch) >= args.batch:
                _flush(ctx, scorer, batch)
                batch = []
    except UserInputError:  # a bad line stops the run; the lines before it keep their scores
        if batch:
            _flush(ctx, scorer, batch)
        raise
    if batch:
        _flush(ctx, scorer, batch)
    return 0


MAX_LINE_BYTES = 1_000_000
"""A sentence, even a very long one, is a few kilobytes; a longer line is not text to score."""

MAX_INPUT_BYTES = 50 * 1024 * 1024
"""The same cap as every other input (an imported file, a verdicts file)."""


def _lines(stream: BinaryIO) -> Iterator[str]:
    """Decoded lines of ``stream`` within the caps, or one clear error naming the line.

    Read as bytes with a bounded ``readline``, so an endless line
    (``/dev/zero``) costs a megabyte, not the machine, and bytes that are not
    UTF-8 are reported by line instead of crashing the decoder.
    """
    from workbench.core.errors import UserInputError

    total = 0
    number = 0
    while True:
        try:
            raw = stream.readline(MAX_LINE_BYTES + 1)
        except OSError as exc:
            raise UserInputError(f"cannot read standard input: {exc.strerror or exc}") from None
        if not raw:
            return
        number += 1
        total += len(raw)
        if len(raw) > MAX_LINE_BYTES:
            raise UserInputError(
                f"standard input line {number} is longer than {MAX_LINE_BYTES:,} bytes",
                hint="give one sentence per line",
            )
        if total > MAX_INPUT_BYTES:
            raise UserInputError(
                f"standard input is larger than {MAX_INPUT_BYTES // 1_000_000} MB; "
                f"stopped at line {number}",
                hint="score the sentences in smaller parts",
            )
        try:
            text = raw.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError:
            raise UserInputError(
                f"standard input line {number} is not UTF-8 text", hint="save it as UTF-8"
            ) from None
        yield text.rstrip("\r\n")


def _flush(ctx: CliContext, scorer: Any, batch: list[str]) -> None:
    scores = scorer.score(batch)
    ctx.stdout.write("".join(f"{s:.4f}\n" for s in scores))
    ctx.stdout.flush()
