"""score: check-worthiness of sentences on stdin, one score per line."""

from __future__ import annotations

import argparse
import sys
from typing import Any

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
    from workbench.core.nlp.scoring import get_scorer

    scorer = get_scorer(args.scorer)
    ctx.err(
        f"scorer: {scorer.name}" + (f" ({scorer.missing_reason})" if scorer.missing_reason else "")
    )
    batch: list[str] = []
    for line in sys.stdin:
        batch.append(line.rstrip("\n"))
        if len(batch) >= args.batch:
            _flush(ctx, scorer, batch)
            batch = []
    if batch:
        _flush(ctx, scorer, batch)
    return 0


def _flush(ctx: CliContext, scorer: Any, batch: list[str]) -> None:
    scores = scorer.score(batch)
    ctx.stdout.write("".join(f"{s:.4f}\n" for s in scores))
    ctx.stdout.flush()
