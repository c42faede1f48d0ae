"""A fresh, migrated database for one benchmark run, dropped afterwards."""

from __future__ import annotations

import tempfile
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import asyncpg
from tortoise import Tortoise
from tortoise.migrations.api import migrate

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
