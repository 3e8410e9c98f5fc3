"""import, articles, show, delete-article, dateline."""

from __future__ import annotations

import argparse
from typing import Any

from workbench.cli.context import CliContext
from workbench.cli.render import article_json, summary_json
from workbench.core.services import articles as service
from workbench.core.services.importing import parse_user_date


def register(sub: Any) -> None:
    p = sub.add_parser(
        "import",
        help="import an article from a file, stdin (-) or an http(s) URL; prints its id",
        description="Import an article. SOURCE is a .txt/.md/.html file, - for stdin, or a URL.",
    )
    p.add_argument(
        "source",
        metavar="SOURCE",
        nargs="+",
        help="one or more; each is committed on its own and its id printed as soon as it is stored",
    )
    p.add_argument("--title", metavar="T")
    p.add_argument("--url", metavar="U", help="where the article was published")
    p.add_argument("--published", metavar="YYYY-MM-DD", help="the article's dateline")
    p.add_argument("--extract", action="store_true", help="extract claims right away")
    p.add_argument(
        "--timeout",
        type=float,
        default=30.0,
        metavar="SECONDS",
        help="for a URL: total time allowed for the download (default: %(default)g)",
    )
    p.add_argument(
        "--allow-local",
        action="store_true",
        help="for a URL: allow an address on this computer or its local network",
    )
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_import, creates_database=True)

    p = sub.add_parser("articles", help="list the articles in the database")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_articles)

    p = sub.add_parser("show", help="show one article (metadata and text)")
    p.add_argument("article_id", type=int, metavar="ARTICLE_ID")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_show)

    p = sub.add_parser(
        "delete-article", help="delete an article with its claims, evidence and flags"
    )
    p.add_argument("article_id", type=int, metavar="ARTICLE_ID")
    p.set_defaults(handler=_delete)

    p = sub.add_parser("dateline", help="set (or --clear) the article's dateline")
    p.add_argument("article_id", type=int, metavar="ARTICLE_ID")
    p.add_argument("date", nargs="?", metavar="YYYY-MM-DD")
    p.add_argument("--clear", action="store_true")
    p.set_defaults(handler=_dateline)


def _import(args: argparse.Namespace, ctx: CliContext) -> int:
    from workbench.core.errors import UserInputError

    if len(args.source) > 1 and (args.title or args.url or "-" in args.source):
        raise UserInputError(
            "--title, --url and '-' work with one SOURCE at a time",
            hint="import the files one by one",
        )
    from workbench.core.services.importing import MAX_IMPORT_BYTES
    from workbench.core.sources.fetch import FetchConfig

    published = parse_user_date(args.published) if args.published else None
    config = FetchConfig(
        connect_timeout=min(FetchConfig().connect_timeout, args.timeout),
        total_timeout=args.timeout,
        allow_local=True if args.allow_local else None,
    )
    for source in args.source:
        stdin = ctx.read_stdin(MAX_IMPORT_BYTES) if source == "-" else None
        # Read and decode before opening the database: bad input never touches it.
        imported = service.load_source(source, stdin=stdin, config=config)
        article, _ = service.save_imported(
            ctx.store, imported, title=args.title, url=args.url, published=published
        )
        # The id is printed as soon as the article is stored, before any extraction.
        if args.json:
            ctx.emit_json(article_json(article))
        else:
            ctx.out(str(article.id))
        ctx.stdout.flush()
        if args.extract:
            from workbench.core.services.claims import extract_article

            extract_article(ctx.store, article.id)
    return 0


def _articles(args: argparse.Namespace, ctx: CliContext) -> int:
    rows = ctx.store.articles.list()
    if args.json:
        ctx.emit_json([summary_json(r) for r in rows])
        return 0
    for r in rows:
        date = r.dateline.isoformat() if r.dateline else "----------"
        ctx.out(f"{r.id:>5}  {date}  {r.claims_checked:>3}/{r.claims_total:<3} checked  {r.title}")
    return 0


def _show(args: argparse.Namespace, ctx: CliContext) -> int:
    article = ctx.store.articles.get(args.article_id)
    if args.json:
        ctx.emit_json(article_json(article, with_text=True))
        return 0
    ctx.out(article.title)
    for label, value in (
        ("outlet", article.outlet),
        ("url", article.url),
        ("dateline", article.dateline),
        ("sha256", article.text_sha256),
    ):
        if value:
            ctx.out(f"{label}: {value}")
    ctx.out()
    ctx.out(article.text)
    return 0


def _delete(args: argparse.Namespace, ctx: CliContext) -> int:
    service.delete_article(ctx.store, args.article_id)
    ctx.out(f"deleted article {args.article_id}")
    return 0


def _dateline(args: argparse.Namespace, ctx: CliContext) -> int:
    from workbench.core.errors import UserInputError

    if args.clear == bool(args.date):
        raise UserInputError("give either a date or --clear", hint="e.g. dateline 1 2023-10-17")
    value = None if args.clear else parse_user_date(args.date)
    article, _ = service.set_dateline(ctx.store, args.article_id, value)
    ctx.out(f"article {article.id} dateline: {article.dateline or 'none'}")
    return 0
