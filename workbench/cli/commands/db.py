"""db upgrade | check | backup | restore | backups."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from workbench.cli.context import CliContext
from workbench.core.errors import DatabaseError
from workbench.core.storage import backup as backups
from workbench.core.storage import migrate
from workbench.core.storage import sqlite as dialect


def register(sub: Any) -> None:
    p = sub.add_parser("db", help="database maintenance: upgrade, check, backup, restore")
    dbsub = p.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    q = dbsub.add_parser("upgrade", help="create or upgrade the database to this app's schema")
    q.set_defaults(handler=_upgrade)
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
    before = (
        migrate.current_revision(ctx.db_path)
        if ctx.db_path.exists() and ctx.db_path.stat().st_size
        else None
    )
    made = migrate.prepare(ctx.db_path)
    head = migrate.head_revision()
    if before == head:
        ctx.out(f"{ctx.db_path}: already at revision {head}")
    else:
        ctx.out(f"{ctx.db_path}: upgraded {before or 'empty'} -> {head}")
    if made:
        ctx.out(f"backup: {made}")
    return 0


def _check(args: argparse.Namespace, ctx: CliContext) -> int:
    path = ctx.db_path
    if not path.exists():
        raise DatabaseError(f"{path} does not exist", hint="create it with 'workbench db upgrade'")
    problem = dialect.probe(path)
    errors = [problem] if problem else dialect.integrity_check(path)
    revision = migrate.current_revision(path) if not problem else None
    if not problem:
        missing = migrate.EXPECTED_TABLES - dialect.table_names(path)
        if missing:
            errors.append(f"missing tables: {', '.join(sorted(missing))}")
    head = migrate.head_revision()
    ok = not errors and revision == head
    if args.json:
        ctx.emit_json(
            {"path": str(path), "ok": ok, "revision": revision, "head": head, "errors": errors}
        )
    else:
        state = "ok" if ok else "PROBLEM"
        ctx.out(f"{path}: {state}; revision {revision or 'none'} (app expects {head})")
        for e in errors:
            ctx.out(f"  {e}")
    return 0 if ok else 1


def _backup(args: argparse.Namespace, ctx: CliContext) -> int:
    ctx.store  # opening checks the file and applies migrations first  # noqa: B018
    made = backups.backup_database(ctx.db_path, reason="manual")
    ctx.out(str(made))
    return 0


def _restore(args: argparse.Namespace, ctx: CliContext) -> int:
    ctx.close()
    safety = backups.restore_database(ctx.db_path, Path(args.file).expanduser())
    ctx.out(f"restored {args.file} into {ctx.db_path}; previous database kept at {safety}")
    return 0


def _list(args: argparse.Namespace, ctx: CliContext) -> int:
    for b in backups.list_backups(ctx.db_path):
        ctx.out(f"{b.taken_at:%Y-%m-%d %H:%M:%S}  {b.reason:<22} {b.path}")
    return 0
