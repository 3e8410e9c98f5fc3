"""export and audit: the verification memo from the command line, headless."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any

from workbench.cli.context import CliContext
from workbench.cli.terminal import neutralize
from workbench.core.errors import UserInputError

_FORMAT_CHOICES = ("md", "pdf", "html", "claimreview")


def register(sub: Any) -> None:
    p = sub.add_parser(
        "export",
        help="export an article's verification memo (md, pdf, html or ClaimReview JSON-LD)",
        description="Write the verification memo of an article. Without -o, text formats go "
        "to stdout; a PDF goes to stdout only when it is redirected to a file or a pipe.",
    )
    p.add_argument("article_id", type=int, metavar="ARTICLE_ID")
    p.add_argument("--format", "-f", dest="fmt", required=True, choices=_FORMAT_CHOICES)
    p.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="file to write (replaced atomically); an existing folder gets a default name",
    )
    p.add_argument(
        "--date",
        metavar="YYYY-MM-DD",
        help="memo date printed in the memo (default: today); fixes it for reproducible output",
    )
    p.add_argument("--only-checked", action="store_true", help="leave out unchecked claims")
    p.add_argument(
        "--min-score",
        type=float,
        metavar="X",
        help="leave out claims scoring below X (0..1)",
    )
    p.set_defaults(handler=_export)

    p = sub.add_parser(
        "audit",
        help="list what to look at again before export (verdicts without evidence, ...)",
        description="The memo's audit over all of the article's claims: verdicts without "
        "evidence, verdicts contradicted by their own evidence, sources changed since the "
        "verdict, excerpts not found, evidence not fetched.",
    )
    p.add_argument("article_id", type=int, metavar="ARTICLE_ID")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_audit)


def _parse_date(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise UserInputError(
            f"--date {text!r} is not a date", hint="write it as YYYY-MM-DD"
        ) from None


def _export(args: argparse.Namespace, ctx: CliContext) -> int:
    from workbench.core.services.export import MemoOptions, export_article

    memo_date = _parse_date(args.date)
    if args.min_score is not None and not 0.0 <= args.min_score <= 1.0:
        raise UserInputError(
            f"--min-score {args.min_score:g} is outside 0..1", hint="scores run from 0 to 1"
        )
    output = Path(args.output).expanduser() if args.output and args.output != "-" else None
    binary_out = None
    if output is None:
        binary_out = getattr(ctx.stdout, "buffer", None)
        if args.fmt == "pdf" and (binary_out is None or _is_terminal(ctx.stdout)):
            raise UserInputError(
                "refusing to write a PDF to the terminal",
                hint="write it to a file with -o FILE (or redirect stdout to a file)",
            )
    options = MemoOptions(only_checked=args.only_checked, min_score=args.min_score)
    result = export_article(
        ctx.store,
        args.article_id,
        fmt=args.fmt,
        output=output,
        options=options,
        memo_date=memo_date,
    )
    if result.data is not None:
        if _is_terminal(ctx.stdout):  # text formats only (a PDF was refused above)
            ctx.stdout.write(neutralize(result.data.decode("utf-8", "replace")))
            ctx.stdout.flush()
        elif binary_out is not None:
            ctx.stdout.flush()
            binary_out.write(result.data)
            binary_out.flush()
        else:
            ctx.stdout.write(result.data.decode("utf-8"))
            ctx.stdout.flush()
    else:
        ctx.err(
            f"wrote {result.path} ({result.size:,} bytes; {result.claims} claims, "
            f"{result.sources} sources, {len(result.audit)} audit findings)"
        )
    if result.audit:
        ctx.err(f"audit: {len(result.audit)} findings (see 'workbench audit {args.article_id}')")
    return 0


def _is_terminal(stream: Any) -> bool:
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty()) if isatty is not None else False
    except (OSError, ValueError):
        return False


def _audit(args: argparse.Namespace, ctx: CliContext) -> int:
    from workbench.core.services.export import audit_article

    items = audit_article(ctx.store, args.article_id)
    if args.json:
        ctx.emit_json([item.to_json() for item in items])
        return 0
    if not items:
        ctx.out("audit: nothing to report")
        return 0
    for item in items:
        ctx.out(f"{item.kind.label}: {item.message}")
    return 0
