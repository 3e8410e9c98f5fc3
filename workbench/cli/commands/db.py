"""db upgrade | check | backup | restore | backups."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from workbench.cli.context import CliContext
from workbench.core.services import database


def register(sub: Any) -> None:
    p = sub.add_parser("db", help="database maintenance: upgrade, check, backup, restore")
    dbsub = p.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    q = dbsub.add_parser("upgrade", help="create or upgrade the database to this app's schema")
    q.set_defaults(handler=_upgrade, creates_database=True)
    q = dbsub.add_parser("check", help="check the database's integrity and revision")
    q.add_argument("--json", action="store_true")
    q.set_defaults(handler=_check)
    q = dbsub.add_parser("backup", help="take a backup now (sqlite online backup)")
    q.set_defaults(handler=_backup)
    q = dbsub.add_parser(
        "restore", help="restore a backup (checked first; the current database is kept as a backup)"
    )
    q.add_argument("file", metavar="FILE")
    q.set_defaults(handler=_restore)
    q = dbsub.add_parser("backups", help="list backups")
    q.set_defaults(handler=_list)


def _upgrade(args: argparse.Namespace, ctx: CliContext) -> int:
    before, head, made = database.upgrade(ctx.db_path)
    if before == head:
        ctx.out(f"{ctx.db_path}: already at revision {head}")
    else:
        ctx.out(f"{ctx.db_path}: upgraded {before or 'empty'} -> {head}")
    if made:
        ctx.out(f"backup: {made}")
    return 0


def _check(args: argparse.Namespace, ctx: CliContext) -> int:
    report = database.check(ctx.db_path)
    if args.json:
        ctx.emit_json(
            {
                "path": str(report.path),
                "ok": report.ok,
                "revision": report.revision,
                "head": report.head,
                "errors": report.errors,
            }
        )
    else:
        state = "ok" if report.ok else "PROBLEM"
        ctx.out(
            f"{report.path}: {state}; revision {report.revision or 'none'} "
            f"(app expects {report.head})"
        )
        for e in report.errors:
            ctx.out(f"  {e}")
    return 0 if report.ok else 1


def _backup(args: argparse.Namespace, ctx: CliContext) -> int:
    database.require(ctx.db_path)  # nothing to back up: say so
    ctx.store  # opening checks the file and applies migrations first  # noqa: B018
    ctx.out(str(database.backup_now(ctx.db_path)))
    return 0


def _restore(args: argparse.Namespace, ctx: CliContext) -> int:
    ctx.close()
    safety = database.restore(ctx.db_path, Path(args.file).expanduser())
    ctx.out(f"restored {args.file} into {ctx.db_path}; previous database kept at {safety}")
    return 0


def _list(args: argparse.Namespace, ctx: CliContext) -> int:
    for b in database.list_backups(ctx.db_path):
        ctx.out(f"{b.taken_at:%Y-%m-%d %H:%M:%S}  {b.reason:<22} {b.path}")
    return 0
