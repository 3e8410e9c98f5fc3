"""search, similar, copy-evidence: the claim library across all articles."""

from __future__ import annotations

import argparse
from typing import Any

from workbench.cli.context import CliContext
from workbench.cli.render import claim_json, evidence_json
from workbench.core.model import snippet_pieces, snippet_spans, snippet_text
from workbench.core.services import library


def register(sub: Any) -> None:
    p = sub.add_parser(
        "search",
        help="search claims, rationales, article titles and source snapshots",
        description='Full-text search. Words match as prefixes; "quoted words" match a phrase.',
    )
    p.add_argument("query", metavar="QUERY", nargs="+")
    p.add_argument("--limit", type=int, default=20, metavar="N")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_search)

    p = sub.add_parser("similar", help="earlier checks of the same claim in other articles")
    p.add_argument("claim_id", type=int, metavar="CLAIM_ID")
    p.add_argument("--limit", type=int, default=10, metavar="N")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_similar)

    p = sub.add_parser("copy-evidence", help="copy an earlier claim's evidence onto a claim")
    p.add_argument("from_claim", type=int, metavar="FROM_CLAIM_ID")
    p.add_argument("to_claim", type=int, metavar="TO_CLAIM_ID")
    p.set_defaults(handler=_copy)


def _plain(snippet: str, *, mark: bool) -> str:
    """The snippet on one line; with ``mark`` the matches in [brackets]."""
    if not mark:
        return snippet_text(snippet).replace("\n", " ")
    return "".join(f"[{t}]" if m else t for t, m in snippet_pieces(snippet)).replace("\n", " ")


def _search(args: argparse.Namespace, ctx: CliContext) -> int:
    hits = library.search(ctx.store, " ".join(args.query), limit=args.limit)
    if args.json:
        ctx.emit_json(
            [
                {
                    "kind": h.kind,
                    "article_id": h.article_id,
                    "claim_id": h.claim_id,
                    "source_id": h.source_id,
                    "title": h.title,
                    "snippet": _plain(h.snippet, mark=False),
                    "highlights": _spans(h.snippet),
                    "verdict": h.verdict.value if h.verdict else None,
                    "rank": round(h.rank, 4),
                }
                for h in hits
            ]
        )
        return 0
    if not hits:
        ctx.out("no matches")
    for h in hits:
        ref = {"claim": f"claim {h.claim_id}", "article": f"article {h.article_id}"}.get(
            h.kind, f"source {h.source_id}"
        )
        verdict = f" [{h.verdict.value}]" if h.verdict else ""
        ctx.out(f"{ref:<14}{verdict} {h.title}: {_plain(h.snippet, mark=True)}")
    return 0


def _spans(snippet: str) -> list[list[int]]:
    """Offsets of highlighted matches in the plain snippet."""
    return [[start, end] for start, end in snippet_spans(snippet)]


def _similar(args: argparse.Namespace, ctx: CliContext) -> int:
    found = library.similar_claims(ctx.store, args.claim_id, limit=args.limit)
    if args.json:
        ctx.emit_json(
            [
                {
                    "claim": claim_json(s.claim),
                    "article_id": s.claim.article_id,
                    "article_title": s.article_title,
                    "similarity": s.similarity,
                    "reasons": list(s.reasons),
                    "evidence": [evidence_json(v) for v in s.evidence],
                }
                for s in found
            ]
        )
        return 0
    if not found:
        ctx.out("no earlier checks found")
    for s in found:
        verdict = s.claim.verdict.value if s.claim.verdict else "no verdict"
        ctx.out(
            f"claim {s.claim.id} ({s.similarity:.2f}, {verdict}, {len(s.evidence)} sources) "
            f"in '{s.article_title}': {s.claim.text}  [{'; '.join(s.reasons)}]"
        )
    return 0


def _copy(args: argparse.Namespace, ctx: CliContext) -> int:
    changes = library.copy_evidence(ctx.store, args.from_claim, args.to_claim)
    ctx.out(f"copied {len(changes.evidence)} evidence rows onto claim {args.to_claim}")
    return 0
