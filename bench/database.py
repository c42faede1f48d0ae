"""A fresh, migrated database for one benchmark run, dropped afterwards; or, for the long
seeds of `--scale`, a kept one that later runs migrate and reuse."""

from __future__ import annotations

import contextlib
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path

import asyncpg
from rich.console import Console
from rich.progress import Progress
from tortoise import Tortoise, connections
from tortoise.fields.base import DatabaseDefault
from tortoise.migrations.api import migrate
from tortoise.models import Model

from bench.templates import Templates, kept_folder
from demo.catalog import Save, bulk_save, seed_catalog
from media.local import LocalStorage
from server.database import tortoise_config

SEEDED = "seeded by satupintu bench"


@asynccontextmanager
async def fresh_database(postgres: str | None) -> AsyncIterator[tuple[str, Path]]:
    """A SQLite file, or a new database on the PostgreSQL server `postgres`; migrated, with
    the ORM initialised on it. Yields its URL and a scratch folder, both gone afterwards."""
    with tempfile.TemporaryDirectory(prefix="satupintu-bench-") as scratch:
        async with _database(Path(scratch), postgres) as database:
            yield database, Path(scratch)


@asynccontextmanager
async def _database(folder: Path, postgres: str | None) -> AsyncIterator[str]:
    """Migrated, or a copy of the kept template when TEST_DATABASE_TEMPLATES names a folder
    (bench/templates.py: CI's runs after the test suites migrate nothing again)."""
    kept = kept_folder()
    async with contextlib.AsyncExitStack() as stack:
        if kept:
            templates = Templates(kept, postgres, keep=True)
            if postgres:
                database = await stack.enter_async_context(
                    templates.postgres_copy("satupintu_bench")
                )
            else:
                database = await templates.sqlite_copy(folder / "bench.sqlite3")
        elif postgres:
            database = await stack.enter_async_context(_migrated_postgres(postgres))
        else:
            database = f"sqlite://{folder / 'bench.sqlite3'}"
            await migrate(config=tortoise_config(database))
        try:
            await Tortoise.init(config=tortoise_config(database))
            yield database
        finally:
            await Tortoise.close_connections()


@asynccontextmanager
async def _migrated_postgres(postgres: str) -> AsyncIterator[str]:
    """A new database on the server, migrated; dropped afterwards."""
    name = f"satupintu_bench_{uuid.uuid4().hex[:8]}"
    admin = await asyncpg.connect(f"{postgres.rstrip('/')}/postgres")
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
        database = f"{postgres.rstrip('/')}/{name}"
        try:
            await migrate(config=tortoise_config(database))
        finally:
            await Tortoise.close_connections()
        yield database
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


@asynccontextmanager
async def kept_database(
    postgres: str, name: str, seed: Callable[[Path], Awaitable[None]]
) -> AsyncIterator[bool]:
    """The PostgreSQL database `name`, kept after the run, migrated to the current migrations
    and with the ORM initialised on it. `seed` fills it once: a database whose seed did not
    finish (no mark in its comment) is made again. Yields whether it was seeded in this run."""
    admin = await asyncpg.connect(f"{postgres.rstrip('/')}/postgres")
    database = f"{postgres.rstrip('/')}/{name}"
    try:
        mark = await admin.fetchval(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = $1",
            name,
        )
        seeded = mark == SEEDED
        if not seeded:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            await admin.execute(f'CREATE DATABASE "{name}"')
        await migrate(config=tortoise_config(database))
        await Tortoise.init(config=tortoise_config(database))
        try:
            if not seeded:
                with tempfile.TemporaryDirectory(prefix="satupintu-bench-") as scratch:
                    await seed(Path(scratch))
                await admin.execute(f"COMMENT ON DATABASE \"{name}\" IS '{SEEDED}'")
            yield not seeded
        finally:
            await Tortoise.close_connections()
    finally:
        await admin.close()


async def seed_benchmark_catalogue(
    console: Console, folder: Path, shops: int, products: int, save: Save | None = None
) -> None:
    """The demo catalogue at benchmark size into the current database, its photos in `folder`.
    Unless `save` says otherwise, on PostgreSQL its rows go in by COPY (`copy_save`), the same
    rows as the ORM would insert."""
    started = time.perf_counter()
    if save is None:
        postgres = connections.get("default").capabilities.dialect == "postgres"
        save = copy_save if postgres else bulk_save
    with Progress(console=console, transient=True) as progress:
        await seed_catalog(
            progress, LocalStorage(folder / "media"), shops=shops, products=products,
            password="bench-password", save=save,
        )  # fmt: skip
    console.log(f"seeded {products} products in {time.perf_counter() - started:.1f} s")


async def copy_save(rows: Sequence[Model]) -> None:
    """Insert new rows of one model with PostgreSQL's COPY: each field's value as the ORM
    would write it (its defaults and timestamps included); columns left to the database's
    default by every row are left out. Row triggers and statement triggers fire as for an
    INSERT, so the search rows and tallies they keep come out the same."""
    model = type(rows[0])
    fields = model._meta.fields_map
    names = [
        name
        for name in model._meta.fields_db_projection
        if not fields[name].generated and not isinstance(getattr(rows[0], name), DatabaseDefault)
    ]
    records = [tuple(fields[n].to_db_value(getattr(row, n), row) for n in names) for row in rows]
    columns = [model._meta.fields_db_projection[n] for n in names]
    async with connections.get("default").acquire_connection() as connection:
        await connection.copy_records_to_table(
            model._meta.db_table, records=records, columns=columns
        )
