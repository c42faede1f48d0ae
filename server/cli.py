"""The `satupintu` command."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import os
import socket
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, NoReturn

from rich.console import Console
from tortoise import Tortoise
from tortoise.migrations.api import migrate as run_migrations

from resolvers.platform import is_outage
from server.database import prepare, tortoise_config, unapplied_migrations
from server.metrics import share_between_workers
from server.settings import Settings, SettingsError, redacted

console = Console(stderr=True)
SHUTDOWN_GRACE_SECONDS = 30  # requests in flight when `serve` is told to stop
# How long a worker may take to answer uvicorn's health ping. A spawned worker imports this
# module (the whole schema) before it can answer: past uvicorn's 5 s on a busy machine it was
# killed and started again without end, and `serve --workers N` never served.
WORKER_PING_SECONDS = 60


class Defaults(argparse.ArgumentDefaultsHelpFormatter):
    """Every option's help ends with its default, when it has one."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        if action.required or action.default in (None, False, argparse.SUPPRESS):
            return action.help
        return super()._get_help_string(action)


class StartupError(Exception):
    """A set-up the command cannot run with; its message is the one line the user sees."""


def main(argv: list[str] | None = None) -> None:
    parser = _parser()
    args, unknown = parser.parse_known_args(argv)
    if args.run is _bench:
        args.options = unknown + args.options  # the benchmark parses its own options
    elif unknown:
        parser.error(f"unrecognized arguments: {' '.join(unknown)}")
    try:
        settings = Settings.from_env()
    except SettingsError as error:
        _fail(f"[red]Setting error:[/red] {error}")
    try:
        code = args.run(settings, args)
    except StartupError as error:
        _fail(f"[red]Error:[/red] {error}")
    except Exception as error:
        if not is_outage(error):
            raise
        _fail(
            f"[red]The database at {redacted(settings.database_url)} does not answer:[/red] {error}"
        )
    raise SystemExit(code or 0)


def _fail(line: str) -> NoReturn:
    console.print(line, soft_wrap=True)
    raise SystemExit(2)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="satupintu", description=__doc__)
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    serve = commands.add_parser("serve", formatter_class=Defaults, help="run the API server")
    _server_options(serve)
    serve.set_defaults(run=_serve)

    commands.add_parser(
        "migrate", formatter_class=Defaults, help="apply database migrations"
    ).set_defaults(run=_migrate)

    seed = commands.add_parser(
        "seed", formatter_class=Defaults, help="load reference and demo data"
    )
    seed.add_argument("--demo", action="store_true", help="also create demo accounts and data")
    seed.add_argument("--shops", type=int, default=120, help="demo shops (with --demo)")
    seed.add_argument("--products", type=int, default=1500, help="demo products (with --demo)")
    seed.set_defaults(run=_seed)

    admin = commands.add_parser(
        "create-admin",
        formatter_class=Defaults,
        help="create a CITY_ADMIN (or MARKETPLACE_ADMIN) account",
    )
    admin.add_argument("--email", required=True, help="sign-in e-mail of the account (required)")
    admin.add_argument("--password", required=True, help="its password (required)")
    admin.add_argument("--name", default="Petugas Dinas Koperasi dan UKM", help="display name")
    admin.add_argument(
        "--role",
        choices=("CITY_ADMIN", "MARKETPLACE_ADMIN"),
        default="CITY_ADMIN",
        help="MARKETPLACE_ADMIN decides escalated complaints only",
    )
    admin.set_defaults(run=_create_admin)

    export = commands.add_parser(
        "export-schema", formatter_class=Defaults, help="write schema/schema.graphql"
    )
    export.add_argument("--check", action="store_true", help="fail if the file is stale")
    export.set_defaults(run=_export_schema)

    manifest = commands.add_parser(
        "trusted-documents",
        formatter_class=Defaults,
        help="write the trusted documents' manifest (JSON: sha256 hash -> document), or add one",
    )
    manifest.add_argument("--output", help="file to write (default: standard output)")
    manifest.set_defaults(run=_trusted_documents)
    adding = manifest.add_subparsers(metavar="add", required=False).add_parser(
        "add",
        formatter_class=Defaults,
        help="trust a client's persisted-documents.json (GraphQL Code Generator's client preset)",
    )
    adding.add_argument("file", help="the manifest: JSON of sha256:<hex> -> document")
    adding.add_argument(
        "--name",
        help="kept as NAME.json under the var directory's trusted-documents/, replacing an "
        "earlier manifest of that name (default: the file's name without .json)",
    )
    adding.set_defaults(run=_add_trusted_documents)

    store = commands.add_parser(
        "storefront", formatter_class=Defaults, help="run the storefront (uses API_URL)"
    )
    store.add_argument("--host", default="127.0.0.1", help="address to listen on")
    store.add_argument("--port", type=int, default=8001, help="port to listen on")
    store.set_defaults(run=_storefront)

    bench = commands.add_parser(
        "bench",
        formatter_class=Defaults,
        help="benchmark SearchProducts (see `satupintu bench --help`)",
        add_help=False,
    )
    bench.add_argument("options", nargs=argparse.REMAINDER)
    bench.set_defaults(run=_bench)

    commands.add_parser(
        "reindex",
        formatter_class=Defaults,
        help="rebuild the search index of every shop and active product",
    ).set_defaults(run=_reindex)

    commands.add_parser(
        "expire-orders",
        formatter_class=Defaults,
        help="cancel unpaid orders past their payment time, returning stock",
    ).set_defaults(run=_expire_orders)

    commands.add_parser(
        "backfill-platform-books",
        formatter_class=Defaults,
        help="write orders paid before the platform's books (migration 0033) into them, once",
    ).set_defaults(run=_backfill_platform_books)

    demo = commands.add_parser(
        "demo", formatter_class=Defaults, help="migrate, seed demo data, serve API and storefront"
    )
    _server_options(demo)
    demo.add_argument("--storefront-port", type=int, default=8001, help="port of the storefront")
    demo.set_defaults(run=_demo)
    return parser


def _server_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=8000, help="port of the API")
    parser.add_argument(
        "--workers", type=int, default=1, help="worker processes (SQLite serves one)"
    )


def _serve(settings: Settings, args: argparse.Namespace) -> None:
    import uvicorn

    if settings.is_sqlite and args.workers > 1:
        console.print("[yellow]SQLite serves one worker; use PostgreSQL for more.[/yellow]")
        args.workers = 1
    _check_port(args.host, args.port)
    _check_manifests(settings)
    _check_database(settings)
    if args.workers > 1:
        share_between_workers(settings.var_dir / "prometheus")
    console.print(f"SatuPintu API on http://{args.host}:{args.port}/graphql")
    uvicorn.run(
        "server.main:app",
        host=args.host,
        port=args.port,
        workers=args.workers,
        log_level="warning",
        access_log=False,
        # X-Forwarded-For decides the address that rate limits count: trusted only from these.
        proxy_headers=True,
        forwarded_allow_ips=settings.forwarded_allow_ips,
        # On SIGTERM: stop accepting, close WebSockets with 1012 (service restart), let requests
        # in flight finish for this long, then stop the sweeps and close the connections.
        timeout_graceful_shutdown=SHUTDOWN_GRACE_SECONDS,
        timeout_worker_healthcheck=WORKER_PING_SECONDS,
    )


def _check_port(host: str, port: int) -> None:
    """Fail in one line when the address is taken (uvicorn would print tracebacks)."""
    try:
        socket.create_server((host, port)).close()
    except OSError as error:
        reason = os.strerror(error.errno) if error.errno else str(error)
        raise StartupError(f"cannot listen on {host}:{port}: {reason}") from None


def _check_manifests(settings: Settings) -> None:
    """Fail in one line when an added manifest of trusted documents cannot be read."""
    from server.trusted_documents import MANIFEST_DIR, ManifestError, TrustedDocuments

    try:
        TrustedDocuments.registered(settings.var_dir / MANIFEST_DIR)
    except ManifestError as error:
        raise StartupError(str(error)) from None


def _check_database(settings: Settings) -> None:
    """Refuse to serve a database that lacks migrations; serve one that does not answer
    yet (requests needing it get 503 until it does)."""
    try:
        missing = _with_database(settings, lambda: unapplied_migrations(settings.database_url))
    except Exception as error:
        if not is_outage(error):
            raise
        console.print(
            f"[yellow]The database does not answer ({error}); serving anyway.[/yellow]",
            soft_wrap=True,
        )
        return
    if missing:
        raise StartupError(
            f"the database lacks {len(missing)} migrations; run `satupintu migrate` first"
        )


def _with_database(
    settings: Settings, work: Callable[[], Awaitable[Any]], *, init: bool = True
) -> Any:
    async def run() -> Any:
        prepare(settings.database_url)
        if init:
            await Tortoise.init(config=tortoise_config(settings.database_url))
        try:
            return await work()
        finally:
            await Tortoise.close_connections()

    return asyncio.run(run())


# After these the search index is written again: 0007 makes it, and 0019 comes with words
# split where PostgreSQL's parser splits them (`resolvers.search.text.fold`).
REINDEXING_MIGRATIONS = {"0007_search", "0019_search_facets"}


def _migrate(settings: Settings, _args: argparse.Namespace) -> None:
    applied: list[str] = []

    def progress(event: str, app_label: str, name: str) -> None:
        if event == "apply_done":
            applied.append(name)
            console.print(f"  applied {app_label}.{name}")

    async def work() -> None:
        config = tortoise_config(settings.database_url)
        with console.status("Migrating the database..."):
            await run_migrations(config=config, progress=progress)
        if REINDEXING_MIGRATIONS & set(applied):  # give existing rows their words
            await Tortoise.init(config=config)
            await _reindex_now()
        console.print("[green]Database is up to date.[/green]")

    _with_database(settings, work, init=False)


def _bench(_settings: Settings, args: argparse.Namespace) -> None:
    from bench.search import main as bench_search

    bench_search(args.options)


def _reindex(settings: Settings, _args: argparse.Namespace) -> None:
    _with_database(settings, _reindex_now)


async def _reindex_now() -> None:
    from resolvers.search.index import rebuild

    with console.status("Indexing shops and products for search..."):
        await rebuild()
    console.print("Search index rebuilt.")


def _seed(settings: Settings, args: argparse.Namespace) -> None:
    from demo.seed import seed
    from server.app import make_storage, prepare_storage

    storage = make_storage(settings)

    async def work() -> None:
        await prepare_storage(storage)
        await seed(console, storage, demo=args.demo, shops=args.shops, products=args.products)

    _with_database(settings, work)


def _create_admin(settings: Settings, args: argparse.Namespace) -> int:
    from demo.seed import create_admin

    async def work() -> int:
        created = await create_admin(args.email, args.password, args.name, args.role)
        if created.errors:
            for problem in created.errors:
                console.print(f"[red]{problem}[/red]")
            return 1
        console.print(f"[green]{args.role} ready:[/green] {created.email}")
        return 0

    return _with_database(settings, work)


def _expire_orders(settings: Settings, _args: argparse.Namespace) -> None:
    from server.app import make_services
    from server.periodic import run_sweep, sweeps
    from server.redis_broker import redis_client

    (expiry,) = [sweep for sweep, _ in sweeps(settings) if sweep.kind == "ORDER_EXPIRY"]

    async def work() -> None:
        redis = redis_client(settings.redis_url) if settings.redis_url else None
        try:
            # The same sweep the server runs, on the test clock when TEST_CLOCK is on.
            expired = await run_sweep(expiry, make_services(settings, redis))
        finally:
            if redis is not None:
                await redis.aclose()
        console.print(f"Cancelled {expired} unpaid orders past their payment time.")

    _with_database(settings, work)


def _backfill_platform_books(settings: Settings, _args: argparse.Namespace) -> None:
    from resolvers.payouts import backfill_platform_books

    async def work() -> None:
        written = await backfill_platform_books()
        console.print(f"Wrote {written} orders paid before the platform's books into them.")

    _with_database(settings, work)


def _export_schema(_settings: Settings, args: argparse.Namespace) -> int:
    from schema import SDL_PATH, export_sdl  # the whole schema: only the commands that need it

    sdl = export_sdl()
    if args.check:
        if not SDL_PATH.exists() or SDL_PATH.read_text() != sdl:
            console.print(
                f"[red]{SDL_PATH} is stale;[/red] run `satupintu export-schema` and commit it."
            )
            return 1
        console.print("schema.graphql is up to date.")
        return 0
    SDL_PATH.write_text(sdl)
    console.print(f"wrote {SDL_PATH}")
    return 0


def _trusted_documents(settings: Settings, args: argparse.Namespace) -> None:
    from server.trusted_documents import MANIFEST_DIR, TrustedDocuments

    _check_manifests(settings)
    manifest = TrustedDocuments.registered(settings.var_dir / MANIFEST_DIR).manifest_json()
    if args.output is None:
        sys.stdout.write(manifest)
        return
    with open(args.output, "w", encoding="utf-8") as file:
        file.write(manifest)
    console.print(f"wrote {args.output}")


def _add_trusted_documents(settings: Settings, args: argparse.Namespace) -> None:
    from graphql import build_schema

    from schema import SDL_PATH
    from server.trusted_documents import MANIFEST_DIR, ManifestError, add_manifest

    source = Path(args.file)
    name = args.name or source.name.removesuffix(".json")
    directory = settings.var_dir / MANIFEST_DIR
    try:
        count = add_manifest(source, directory, name, build_schema(SDL_PATH.read_text()))
    except ManifestError as error:
        raise StartupError(str(error)) from None
    console.print(
        f"[green]Trusted {count} documents[/green] as {directory / name}.json; "
        "servers read them when they start."
    )


def _storefront(settings: Settings, args: argparse.Namespace) -> None:
    import uvicorn

    from storefront.app import create_app as create_storefront

    console.print(f"SatuPintu storefront on http://{args.host}:{args.port}/")
    console.print(f"using the API at {settings.api_url}")
    uvicorn.run(
        create_storefront(settings.api_url, settings.secret_key),
        host=args.host,
        port=args.port,
        log_level="warning",
    )


def _demo(settings: Settings, args: argparse.Namespace) -> None:
    """Both apps in one process: the API, and the storefront calling it over loopback."""
    import uvicorn

    from demo.sandbox import print_tokens, sandbox_tokens
    from server.app import configure_logging, create_app
    from storefront.app import create_app as create_storefront

    settings = settings.allowing_local_dev_origins()
    _check_port(args.host, args.port)
    _check_port(args.host, args.storefront_port)
    _check_manifests(settings)
    if "TEST_CLOCK" not in os.environ:  # a sandbox: its clock may move, unless told otherwise
        settings = dataclasses.replace(settings, test_clock=True)
    _migrate(settings, args)
    args.demo, args.shops, args.products = True, 120, 1500
    _seed(settings, args)
    tokens = _with_database(settings, sandbox_tokens)
    api_url = f"http://{args.host}:{args.port}"
    configure_logging()
    apps = [
        (create_app(settings), args.port),
        (create_storefront(api_url, settings.secret_key), args.storefront_port),
    ]
    trusted = settings.forwarded_allow_ips
    servers = [
        uvicorn.Server(
            uvicorn.Config(
                app, host=args.host, port=port, log_level="warning", forwarded_allow_ips=trusted
            )
        )
        for app, port in apps
    ]
    console.print(f"SatuPintu API on {api_url}/graphql")
    console.print(f"SatuPintu storefront on http://{args.host}:{args.storefront_port}/")
    console.print(
        f"Browser apps may call the API from: {', '.join(settings.cors_origins)}", soft_wrap=True
    )
    console.print("  (CORS_ORIGINS, comma-separated, names others; see examples/web)")
    print_tokens(console, tokens, api_url)
    if settings.test_clock:
        console.print(
            "test clock on: a CITY_ADMIN moves it forward with advanceTestClock (TEST_CLOCK=off"
            " keeps the real one)"
        )

    async def serve_both() -> None:
        await asyncio.gather(*(server.serve() for server in servers))

    with contextlib.suppress(KeyboardInterrupt):  # uvicorn re-raises Ctrl+C once both stop
        asyncio.run(serve_both())


if __name__ == "__main__":
    main(sys.argv[1:])
