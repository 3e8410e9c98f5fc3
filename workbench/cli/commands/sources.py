"""attach, fetch, recheck, snapshot, wayback: evidence sources from the command line.

``attach`` saves the evidence before it touches the network, then fetches
(unless --offline).  A failed fetch is a warning, not an error: the evidence
is kept, marked "not fetched" with the reason, and ``workbench fetch``
retries it later.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from workbench.cli.context import CliContext
from workbench.cli.render import evidence_json
from workbench.core.errors import UserInputError
from workbench.core.fileio import write_atomic
from workbench.core.model import EvidenceView, Snapshot, Source, Stance
from workbench.core.services import sources as service
from workbench.core.sources.fetch import FetchConfig


def register(sub: Any) -> None:
    p = sub.add_parser(
        "attach",
        help="attach a URL to a claim as evidence, then fetch a snapshot",
        description="Attach URL to CLAIM_ID as evidence. The evidence is saved first; the page "
        "is then fetched and kept offline (skip with --offline). If the fetch fails the evidence "
        "stays, marked 'not fetched'; run 'workbench fetch' later to retry.",
    )
    p.add_argument("claim_id", type=int, metavar="CLAIM_ID")
    p.add_argument("url", metavar="URL", help="an http:// or https:// address")
    p.add_argument(
        "--stance",
        required=True,
        choices=[s.value for s in Stance],
        help="how the source relates to the claim",
    )
    p.add_argument("--excerpt", default="", metavar="TEXT", help="the passage relied on")
    p.add_argument("--note", default="", metavar="TEXT")
    p.add_argument("--offline", action="store_true", help="save only; do not fetch now")
    _add_allow_local(p)
    _add_timeout(p)
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_attach)

    p = sub.add_parser(
        "fetch",
        help="fetch sources that have no snapshot yet (retry 'not fetched' ones)",
        description="Fetch every source without a snapshot, or those of one article, or one "
        "source (--source fetches it again even if it has a snapshot; the old one is kept).",
    )
    which = p.add_mutually_exclusive_group()
    which.add_argument("--article", type=int, metavar="ID")
    which.add_argument("--source", type=int, metavar="ID")
    p.add_argument("--workers", type=int, default=4, metavar="N", help="parallel downloads")
    _add_allow_local(p, with_source=True)
    _add_timeout(p)
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_fetch)

    p = sub.add_parser(
        "recheck",
        help="re-fetch an article's sources and report what changed",
        description="Re-fetch every source of ARTICLE_ID and report per source: unchanged, "
        "changed (with a diff summary), excerpt_missing, gone (4xx/5xx), moved (new final URL), "
        "failed, or new (first snapshot). Earlier snapshots are kept.",
    )
    p.add_argument("article_id", type=int, metavar="ARTICLE_ID")
    p.add_argument("--workers", type=int, default=4, metavar="N", help="parallel downloads")
    _add_timeout(p)
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_recheck)

    p = sub.add_parser(
        "snapshot",
        help="list a source's snapshots, or print one's text, safe HTML or raw bytes",
        description="Without --text/--html/--raw, lists the snapshots of SOURCE_ID (oldest "
        "first). --snapshot picks one; the default is the current one.",
    )
    p.add_argument("source_id", type=int, metavar="SOURCE_ID")
    p.add_argument("--snapshot", type=int, metavar="ID", help="a snapshot id (default: current)")
    shown = p.add_mutually_exclusive_group()
    shown.add_argument("--text", action="store_true", help="the extracted main text")
    shown.add_argument("--html", action="store_true", help="sanitized HTML (no scripts, no remote)")
    shown.add_argument("--raw", action="store_true", help="the bytes as fetched (needs -o)")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_snapshot)

    p = sub.add_parser(
        "wayback",
        help="print the Wayback Machine address of a source (built, not fetched)",
    )
    p.add_argument("source_id", type=int, metavar="SOURCE_ID")
    p.set_defaults(handler=_wayback)


def _add_allow_local(p: argparse.ArgumentParser, *, with_source: bool = False) -> None:
    p.add_argument(
        "--allow-local",
        action="store_true",
        help="confirm that this source may be fetched from an address on this computer or "
        "its local network (remembered for the source; normally refused)"
        + (" — needs --source" if with_source else ""),
    )


def _add_timeout(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--timeout",
        type=float,
        default=FetchConfig().total_timeout,
        metavar="SECONDS",
        help="total time allowed per page (default: %(default)g)",
    )


def _config(args: argparse.Namespace) -> FetchConfig:
    if args.timeout <= 0:
        raise UserInputError("--timeout must be a positive number of seconds")
    return FetchConfig(
        connect_timeout=min(FetchConfig().connect_timeout, args.timeout),
        total_timeout=args.timeout,
    )


def _attach(args: argparse.Namespace, ctx: CliContext) -> int:
    config = _config(args)
    store = ctx.store
    view, _ = service.attach_evidence(
        store, args.claim_id, args.url, stance=args.stance, excerpt=args.excerpt, note=args.note
    )
    if args.allow_local:
        service.allow_local_fetch(store, view.source.id)
    fetch: dict[str, Any] = {"attempted": False, "ok": None, "error": None}
    if not args.offline:
        outcome = service.fetch_source(store, view.source.id, config=config)
        fetch = {"attempted": True, "ok": outcome.ok, "error": outcome.error}
        if not outcome.ok:
            ctx.err(
                f"warning: not fetched: {outcome.error} (evidence {view.evidence.id} is saved; "
                f"retry with 'workbench fetch --source {view.source.id}')"
            )
        view = EvidenceView(
            evidence=store.evidence.get(view.evidence.id), source=store.sources.get(view.source.id)
        )
        if view.evidence.excerpt_found is False:
            ctx.err("warning: excerpt not found in source")
    if args.json:
        ctx.emit_json({**evidence_json(view), "fetch": fetch})
    else:
        ctx.out(str(view.evidence.id))
    return 0


def _fetch(args: argparse.Namespace, ctx: CliContext) -> int:
    config = _config(args)
    if args.allow_local and args.source is None:
        raise UserInputError(
            "--allow-local confirms one source at a time", hint="use it with --source ID"
        )
    store = ctx.store
    if args.source is not None:
        if args.allow_local:
            service.allow_local_fetch(store, args.source)
        outcomes = [service.fetch_source(store, args.source, config=config)]
    else:
        report = service.fetch_pending(
            store,
            article_id=args.article,
            max_workers=_workers(args),
            config=config,
        )
        outcomes = report.outcomes
    if args.json:
        ctx.emit_json([_outcome_json(o) for o in outcomes])
    else:
        if not outcomes:
            ctx.out("nothing to fetch: every source has a snapshot")
        for o in sorted(outcomes, key=lambda o: o.source.id):
            if o.ok:
                title = f" — {o.source.title}" if o.source.title else ""
                ctx.out(f"{o.source.id}\tfetched\t{o.source.normalized_url}{title}")
            else:
                ctx.out(f"{o.source.id}\tnot fetched\t{o.source.normalized_url}\t{o.error}")
    return 0 if all(o.ok for o in outcomes) else 1


def _recheck(args: argparse.Namespace, ctx: CliContext) -> int:
    results = service.recheck_article(
        ctx.store, args.article_id, max_workers=_workers(args), config=_config(args)
    )
    if args.json:
        ctx.emit_json([_recheck_json(r) for r in results])
        return 0
    if not results:
        ctx.out("this article has no sources")
    for r in results:
        detail = ""
        if r.diff:
            detail = r.diff
        if r.moved_from:
            detail = f"now at {r.final_url}" + (f"; {detail}" if detail else "")
        if r.missing_evidence:
            ids = ", ".join(str(i) for i in r.missing_evidence)
            detail = f"excerpt not found for evidence {ids}" + (f"; {detail}" if detail else "")
        if r.error:
            detail = r.error
        ctx.out(f"{r.source_id}\t{r.status.value}\t{r.url}" + (f"\t{detail}" if detail else ""))
    return 0


def _snapshot(args: argparse.Namespace, ctx: CliContext) -> int:
    store = ctx.store
    source = store.sources.get(args.source_id)
    if not (args.text or args.html or args.raw):
        _list_snapshots(ctx, source, as_json=args.json)
        return 0
    snapshot_id = args.snapshot or source.current_snapshot_id
    if snapshot_id is None:
        raise UserInputError(
            f"source {source.id} has no snapshot yet",
            hint=f"fetch it with 'workbench fetch --source {source.id}'",
        )
    snap = store.sources.snapshot(snapshot_id)
    if snap.source_id != source.id:
        raise UserInputError(
            f"snapshot {snap.id} belongs to source {snap.source_id}, not {source.id}"
        )
    if args.raw:
        if not args.output:
            raise UserInputError("--raw needs -o FILE (the bytes may be binary)")
        write_atomic(Path(args.output).expanduser(), store.sources.snapshot_raw(snap.id) or b"")
        return 0
    if args.text:
        if snap.text is None:
            raise UserInputError(
                f"snapshot {snap.id} has no text: {snap.note or 'nothing was extracted'}"
            )
        _write_text(ctx, args.output, snap.text)
        return 0
    _write_text(ctx, args.output, service.snapshot_display_html(store, snap.id))
    return 0


def _list_snapshots(ctx: CliContext, source: Source, *, as_json: bool) -> None:
    snaps = ctx.store.sources.snapshots(source.id)
    if as_json:
        ctx.emit_json(
            [_snapshot_json(s, current=s.id == source.current_snapshot_id) for s in snaps]
        )
        return
    if not snaps:
        reason = f": {source.fetch_error}" if source.fetch_error else ""
        ctx.out(f"source {source.id} has no snapshot (not fetched{reason})")
    for s in snaps:
        mark = "*" if s.id == source.current_snapshot_id else " "
        ctx.out(
            f"{mark}{s.id}\t{s.fetched_at.isoformat()}\t{s.http_status}\t"
            f"{s.content_type}\t{s.final_url}\ttext sha256 {s.text_sha256}"
        )


def _wayback(args: argparse.Namespace, ctx: CliContext) -> int:
    ctx.out(service.source_wayback_url(ctx.store, args.source_id))
    return 0


def _workers(args: argparse.Namespace) -> int:
    if args.workers < 1:
        raise UserInputError("--workers must be at least 1")
    return int(args.workers)


def _write_text(ctx: CliContext, output: str | None, text: str) -> None:
    if output:
        # Exactly the stored text, written like every user file (fileio).
        write_atomic(Path(output).expanduser(), (text + "\n").encode("utf-8"))
    else:
        ctx.out(text)


def _outcome_json(o: service.FetchOutcome) -> dict[str, Any]:
    return {
        "source_id": o.source.id,
        "url": o.source.normalized_url,
        "ok": o.ok,
        "error": o.error,
        "error_kind": o.error_kind,
        "fetch_state": o.source.fetch_state.value,
        "snapshot_id": o.snapshot.id if o.snapshot else None,
        "final_url": o.source.final_url,
        "http_status": o.source.http_status,
        "title": o.source.title,
    }


def _recheck_json(r: service.RecheckResult) -> dict[str, Any]:
    return {
        "source_id": r.source_id,
        "url": r.url,
        "status": r.status.value,
        "statuses": [s.value for s in r.statuses],
        "http_status": r.http_status,
        "final_url": r.final_url,
        "moved_from": r.moved_from,
        "diff": r.diff,
        "missing_evidence": list(r.missing_evidence),
        "error": r.error,
        "snapshot_id": r.snapshot_id,
        "previous_snapshot_id": r.previous_snapshot_id,
    }


def _snapshot_json(s: Snapshot, *, current: bool) -> dict[str, Any]:
    return {
        "id": s.id,
        "current": current,
        "fetched_at": s.fetched_at.isoformat(),
        "final_url": s.final_url,
        "http_status": s.http_status,
        "content_type": s.content_type,
        "raw_sha256": s.raw_sha256,
        "text_sha256": s.text_sha256,
        "title": s.title,
        "site": s.site,
        "author": s.author,
        "published": s.published,
        "note": s.note,
    }
