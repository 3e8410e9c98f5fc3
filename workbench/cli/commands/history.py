"""history, undo, redo: what was done, by whom, and taking it back.

``undo`` takes back your newest change still in effect (yours: ``--user``,
WORKBENCH_USER, the checker name in settings, or your login); ``redo``
re-applies your newest undo while you made no new change since.  Both print
what they did; a change someone made since is never overwritten (exit 1,
one line naming the row).  See docs/DESIGN.md, "Operations, history and undo".
"""

from __future__ import annotations

import argparse
from typing import Any

from workbench.cli.context import CliContext
from workbench.cli.render import history_json
from workbench.core.model import HistoryEntry
from workbench.core.services import history as service


def register(sub: Any) -> None:
    p = sub.add_parser(
        "history",
        help="list what was done to the database, by whom and when (oldest first)",
        description="The history of changes: every import, edit, verdict, undo and redo, "
        "with who made it. Entries are never changed or removed.",
    )
    p.add_argument("--article", type=int, metavar="ID", help="only the changes to one article")
    p.add_argument("--limit", type=int, metavar="N", help="only the newest N entries")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_history)

    p = sub.add_parser(
        "undo",
        help="take back your newest change (prints what was undone)",
        description="Undo your newest change that is still in effect (--user, WORKBENCH_USER, "
        "the checker name in settings, or your login decides whose). Rows come back under "
        "their ids, with their evidence. Nothing changed by someone since is overwritten.",
    )
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_undo)

    p = sub.add_parser(
        "redo",
        help="re-apply your newest undo (prints what was redone)",
        description="Redo your newest undo, as long as you made no new change after it.",
    )
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_redo)


def _line(entry: HistoryEntry) -> str:
    stamp = entry.at.strftime("%Y-%m-%d %H:%M:%S")
    return f"#{entry.id:<5} {stamp}  {entry.actor:<16} {entry.kind:<15} {entry.summary}"


def _history(args: argparse.Namespace, ctx: CliContext) -> int:
    from workbench.core.errors import UserInputError

    if args.limit is not None and args.limit < 1:
        raise UserInputError("--limit must be at least 1")
    entries = service.history(ctx.store, article_id=args.article, limit=args.limit)
    if args.json:
        ctx.emit_json([history_json(e) for e in entries])
        return 0
    if not entries:
        ctx.out(
            "no history yet" if args.article is None else f"no history for article {args.article}"
        )
    for entry in entries:
        ctx.out(_line(entry))
    return 0


def _undo(args: argparse.Namespace, ctx: CliContext) -> int:
    result = service.undo(ctx.store)
    _report(ctx, "undone", result.value, result.entry, as_json=args.json)
    return 0


def _redo(args: argparse.Namespace, ctx: CliContext) -> int:
    result = service.redo(ctx.store)
    _report(ctx, "redone", result.value, result.entry, as_json=args.json)
    return 0


def _report(
    ctx: CliContext, verb: str, target: HistoryEntry, entry: HistoryEntry | None, *, as_json: bool
) -> None:
    if as_json:
        ctx.emit_json({verb: history_json(target), "entry": history_json(entry) if entry else None})
        return
    ctx.out(f"{verb} #{target.id} ({target.actor}, {target.kind}): {target.summary}")
