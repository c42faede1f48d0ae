"""A fresh, migrated database for one benchmark run, dropped afterwards."""

from __future__ import annotations

import tempfile
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import asyncpg
from rich.console import Console
from rich.progress import Progress
from tortoise import Tortoise
from tortoise.migrations.api import migrate

from demo.catalog import seed_catalog
from media.local import LocalStorage
from server.database import tortoise_config


@asynccontextmanager
async def fresh_database(postgres: str | None) -> AsyncIterator[tuple[str, Path]]:
    """A SQLite file, or a new database on the PostgreSQL server `postgres`; migrated, with
    the ORM initialised on it. Yields its URL and a scratch folder, both gone afterwards."""
    with tempfile.TemporaryDirectory(prefix="satupintu-bench-") as scratch:
        async with _database(Path(scratch), postgres) as database:
            yield database, Path(scratch)


@asynccontextmanager
async def _database(folder: Path, postgres: str | None) -> AsyncIterator[str]:
    admin = name = None
    if postgres:
        name = f"satupintu_bench_{uuid.uuid4().hex[:8]}"
        admin = await asyncpg.connect(f"{postgres.rstrip('/')}/postgres")
        await admin.execute(f'CREATE DATABASE "{name}"')
        database = f"{postgres.rstrip('/')}/{name}"
    else:
        database = f"sqlite://{folder / 'bench.sqlite3'}"
    try:
        await migrate(config=tortoise_config(database))
        await Tortoise.init(config=tortoise_config(database))
        yield database
    finally:
        await Tortoise.close_connections()
        if admin is not None:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            await admin.close()


async def seed_benchmark_catalogue(
    console: Console, folder: Path, shops: int, products: int
) -> None:
    """The demo catalogue at benchmark size into the current database, its photos in `folder`."""
    started = time.perf_counter()
    with Progress(console=console, transient=True) as progress:
        await seed_catalog(
            progress, LocalStorage(folder / "media"), shops=shops, products=products,
            password="bench-password",
        )  # fmt: skip
    console.log(f"seeded {products} products in {time.perf_counter() - started:.1f} s")
