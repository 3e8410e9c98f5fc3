"""extract, claims, add-claim, edit-claim, verdict, status, split, merge, delete-claim, flags."""

from __future__ import annotations

import argparse
from typing import Any

from workbench.cli.context import CliContext
from workbench.cli.render import (
    article_json,
    claim_json,
    evidence_json,
    extracted_json,
    finding_json,
    flag_json,
)
from workbench.core.errors import UserInputError
from workbench.core.services import claims as service


def register(sub: Any) -> None:
    p = sub.add_parser(
        "extract",
        help="extract check-worthy claims from a file or a stored article",
        description="Extract claims. With --article ID the claims are saved to that article "
        "(re-running keeps your edits, verdicts and evidence); with SOURCE nothing is stored.",
    )
    p.add_argument("source", nargs="?", metavar="SOURCE", help="a .txt/.md/.html file or -")
    p.add_argument("--article", type=int, metavar="ID")
    p.add_argument("--published", metavar="YYYY-MM-DD", help="dateline for a SOURCE file")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_extract)

    p = sub.add_parser("claims", help="list an article's claims with their evidence")
    p.add_argument("article_id", type=int, metavar="ARTICLE_ID")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_claims)

    p = sub.add_parser("add-claim", help="add a claim over article text[START:END]")
    p.add_argument("article_id", type=int, metavar="ARTICLE_ID")
    p.add_argument("start", type=int, metavar="START")
    p.add_argument("end", type=int, metavar="END")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_add)

    p = sub.add_parser("edit-claim", help="change a claim's wording (the original is kept)")
    p.add_argument("claim_id", type=int, metavar="CLAIM_ID")
    p.add_argument("--text", required=True, metavar="T")
    p.set_defaults(handler=_edit)

    p = sub.add_parser("verdict", help="record a verdict (and rationale, status) for a claim")
    p.add_argument("claim_id", type=int, metavar="CLAIM_ID")
    p.add_argument(
        "verdict",
        metavar="VERDICT",
        help="true, mostly_true, half_true, mostly_false, false, misleading, unverifiable, or none",
    )
    p.add_argument("--rationale", metavar="TEXT")
    p.add_argument("--status", metavar="STATUS", help="unchecked, in_progress or checked")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_verdict)

    p = sub.add_parser("status", help="set a claim's status")
    p.add_argument("claim_id", type=int, metavar="CLAIM_ID")
    p.add_argument("status", metavar="STATUS", help="unchecked, in_progress or checked")
    p.set_defaults(handler=_status)

    p = sub.add_parser("split-claim", help="split a claim at an article offset")
    p.add_argument("claim_id", type=int, metavar="CLAIM_ID")
    p.add_argument("at", type=int, metavar="OFFSET")
    p.set_defaults(handler=_split)

    p = sub.add_parser("merge-claims", help="merge claims of one article into the first")
    p.add_argument("claim_ids", type=int, nargs="+", metavar="CLAIM_ID")
    p.set_defaults(handler=_merge)

    p = sub.add_parser("delete-claim", help="delete a claim (asks for --force if it has evidence)")
    p.add_argument("claim_id", type=int, metavar="CLAIM_ID")
    p.add_argument("--force", action="store_true")
    p.set_defaults(handler=_delete)

    p = sub.add_parser("flags", help="list an article's consistency findings")
    p.add_argument("article_id", type=int, metavar="ARTICLE_ID")
    p.add_argument("--recheck", action="store_true", help="run the checks again first")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_flags)

    p = sub.add_parser("dismiss-flag", help="dismiss (or --undo) a consistency finding")
    p.add_argument("flag_id", type=int, metavar="FLAG_ID")
    p.add_argument("--undo", action="store_true")
    p.set_defaults(handler=_dismiss)


def _progress_printer(ctx: CliContext) -> Any:
    if not ctx.stderr.isatty():
        return None

    def progress(done: int, total: int, label: str) -> None:
        ctx.stderr.write(f"\r{label} {done}/{total}")
        if done >= total:
            ctx.stderr.write("\n")
        ctx.stderr.flush()

    return progress


def _extract(args: argparse.Namespace, ctx: CliContext) -> int:
    if (args.source is None) == (args.article is None):
        raise UserInputError(
            "give either SOURCE or --article ID", hint="see 'workbench extract --help'"
        )
    if args.article is not None:
        report = service.extract_article(ctx.store, args.article, progress=_progress_printer(ctx))
        article = ctx.store.articles.get(args.article)
        if args.json:
            ctx.emit_json(
                {
                    "article": article_json(article),
                    "claims": [claim_json(c) for c in report.claims],
                    "flags": [flag_json(f) for f in report.flags],
                    "scorer": report.scorer_name,
                    "scorer_note": report.scorer_note,
                    "pipeline": report.pipeline,
                    "added": report.added,
                    "updated": report.updated,
                    "removed": report.removed,
                    "kept": report.kept_orphans,
                }
            )
        else:
            if report.scorer_note:
                ctx.err(f"note: {report.scorer_note}")
            ctx.out(
                f"article {args.article}: {len(report.claims)} claims "
                f"({report.added} new, {report.updated} refreshed, {report.removed} removed, "
                f"{len(report.kept_orphans)} kept for your work); {len(report.flags)} flags"
            )
            _print_claims(ctx, report.claims)
        return 0
    return _extract_unstored(args, ctx)


def _extract_unstored(args: argparse.Namespace, ctx: CliContext) -> int:
    from workbench.core.nlp.consistency import check_article
    from workbench.core.nlp.extract import extract_claims
    from workbench.core.services.articles import load_source
    from workbench.core.services.importing import MAX_IMPORT_BYTES, parse_user_date

    stdin = ctx.read_stdin(MAX_IMPORT_BYTES) if args.source == "-" else None
    imported = load_source(args.source, stdin=stdin)
    dateline = parse_user_date(args.published) if args.published else imported.dateline
    result = extract_claims(imported.text, dateline=dateline, progress=_progress_printer(ctx))
    report = check_article(imported.text, dateline=dateline)
    if args.json:
        ctx.emit_json(
            {
                "article": {
                    "id": None,
                    "title": imported.title,
                    "dateline": dateline.isoformat() if dateline else None,
                    "length": len(imported.text),
                },
                "claims": [extracted_json(c) for c in result.claims],
                "flags": [finding_json(f) for f in report.findings],
                "scorer": result.scorer_name,
                "scorer_note": result.scorer_note,
                "pipeline": result.pipeline,
            }
        )
        return 0
    if result.scorer_note:
        ctx.err(f"note: {result.scorer_note}")
    for c in result.claims:
        ctx.out(f"{c.start:>6}-{c.end:<6} {c.score:.2f}  [{', '.join(c.types)}]  {c.text}")
    for f in report.findings:
        ctx.out(f"FLAG {f.kind}: {f.message}")
    return 0


def _print_claims(ctx: CliContext, claims: list[Any]) -> None:
    for c in claims:
        verdict = c.verdict.value if c.verdict else "-"
        ctx.out(
            f"{c.id:>6}  {c.score:.2f}  {c.status.value:<11} {verdict:<13} "
            f"[{', '.join(c.types)}]  {c.text}"
        )


def _claims(args: argparse.Namespace, ctx: CliContext) -> int:
    store = ctx.store
    article = store.articles.get(args.article_id)
    claims = store.claims.for_article(article.id)
    evidence = store.evidence.for_article(article.id)
    if args.json:
        ctx.emit_json(
            {
                "article": article_json(article),
                "claims": [
                    {
                        **claim_json(c),
                        "evidence": [evidence_json(v) for v in evidence.get(c.id, [])],
                    }
                    for c in claims
                ],
                "flags": [flag_json(f) for f in store.flags.for_article(article.id)],
            }
        )
        return 0
    _print_claims(ctx, claims)
    for c in claims:
        for v in evidence.get(c.id, []):
            state = v.source.fetch_state.value
            ctx.out(f"        claim {c.id} {v.evidence.stance.value:<8} {state:<8} {v.source.url}")
    return 0


def _add(args: argparse.Namespace, ctx: CliContext) -> int:
    claim, _ = service.add_claim(ctx.store, args.article_id, args.start, args.end)
    if args.json:
        ctx.emit_json(claim_json(claim))
    else:
        ctx.out(str(claim.id))
    return 0


def _edit(args: argparse.Namespace, ctx: CliContext) -> int:
    claim, _ = service.edit_claim(ctx.store, args.claim_id, args.text)
    ctx.out(f"claim {claim.id}: {claim.text}")
    return 0


def _verdict(args: argparse.Namespace, ctx: CliContext) -> int:
    verdict = None if args.verdict.lower() == "none" else service.parse_verdict(args.verdict)
    status = service.parse_status(args.status) if args.status else None
    claim, _ = service.set_verdict(
        ctx.store, args.claim_id, verdict, rationale=args.rationale, status=status
    )
    if args.json:
        ctx.emit_json(claim_json(claim))
    else:
        shown = claim.verdict.value if claim.verdict else "none"
        ctx.out(f"claim {claim.id}: verdict {shown}, status {claim.status.value}")
    return 0


def _status(args: argparse.Namespace, ctx: CliContext) -> int:
    claim, _ = service.set_status(ctx.store, args.claim_id, service.parse_status(args.status))
    ctx.out(f"claim {claim.id}: status {claim.status.value}")
    return 0


def _split(args: argparse.Namespace, ctx: CliContext) -> int:
    (first, second), _ = service.split_claim(ctx.store, args.claim_id, args.at)
    ctx.out(f"claim {first.id}: {first.text}")
    ctx.out(f"claim {second.id}: {second.text}")
    return 0


def _merge(args: argparse.Namespace, ctx: CliContext) -> int:
    claim, _ = service.merge_claims(ctx.store, args.claim_ids)
    ctx.out(f"claim {claim.id}: {claim.text}")
    return 0


def _delete(args: argparse.Namespace, ctx: CliContext) -> int:
    if ctx.store.evidence.for_claim(args.claim_id) and not args.force:
        raise UserInputError(
            f"claim {args.claim_id} has evidence attached",
            hint="pass --force to delete it with its evidence",
        )
    service.delete_claim(ctx.store, args.claim_id)
    ctx.out(f"deleted claim {args.claim_id}")
    return 0


def _flags(args: argparse.Namespace, ctx: CliContext) -> int:
    if args.recheck:
        flags = service.check_consistency(ctx.store, args.article_id)
    else:
        ctx.store.articles.get(args.article_id)
        flags = ctx.store.flags.for_article(args.article_id)
    if args.json:
        ctx.emit_json([flag_json(f) for f in flags])
        return 0
    for f in flags:
        mark = " (dismissed)" if f.dismissed else ""
        ctx.out(f"{f.id:>5}  {f.kind:<18} {f.confidence:.2f}  {f.message}{mark}")
    return 0


def _dismiss(args: argparse.Namespace, ctx: CliContext) -> int:
    flag = ctx.store.flags.set_dismissed(args.flag_id, not args.undo)
    ctx.out(f"flag {flag.id}: {'dismissed' if flag.dismissed else 'active'}")
    return 0
