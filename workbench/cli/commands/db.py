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
    # Reading the revision first must not leave -wal/-shm beside a file
    # that prepare() then refuses: both run under one side-file guard.
    with migrate.leaving_no_sidecars(ctx.db_path):
        exists = migrate.check_location(ctx.db_path, create=True)
        if exists and dialect.probe(ctx.db_path) is None:
            before = migrate.current_revision(ctx.db_path)
        else:
            before = None
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
    migrate.check_location(path, create=False)  # missing, a device, a name too long: one line
    before = migrate.sidecars(path)
    problem = dialect.probe(path)
    errors = [problem] if problem else dialect.integrity_check(path)
    revision = None
    if not problem:
        try:
            revision = migrate.current_revision(path)
        except DatabaseError as exc:
            errors.append(exc.message)
        missing = migrate.EXPECTED_TABLES - dialect.table_names(path)
        if missing:
            errors.append(f"missing tables: {', '.join(sorted(missing))}")
    head = migrate.head_revision()
    if revision is not None and revision not in migrate.known_revisions():
        errors.append(f"revision {revision} is newer than this app; update the workbench")
    ok = not errors and revision == head
    if not ok:  # a refused file is left as found (SQLite made side files to read it)
        migrate.remove_new_sidecars(path, before)
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
    migrate.check_location(ctx.db_path, create=False)  # nothing to back up: say so
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
