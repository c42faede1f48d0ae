"""Migrated templates: a database migrated once and copied for each use after it.

Replaying every migration is the slowest setup there is (Tortoise rebuilds each migration's
model state: tens of seconds on SQLite, minutes on PostgreSQL under load), so whoever first
needs a database migrates a template, under a file lock every process shares, and every
database after it is a copy: the SQLite file copied, or a PostgreSQL `CREATE DATABASE ...
TEMPLATE`. The tests use it (tests/databases.py), and so do the benchmarks (bench/database.py)
and the scripts that start a server on a fresh SQLite file (`python -m bench.templates sqlite
PATH`).

TEST_DATABASE_TEMPLATES names a folder to keep the templates in beyond one run, for the runs
after it (.ci/run's test suites, benchmarks and scripts): the SQLite template is named by what
the migrations hold, so a changed migration gets a template of its own; the PostgreSQL one is
then kept too, named in a `template-postgres-*.json` there (one for each server), until
`python -m bench.templates drop`. Without that folder a PostgreSQL template is dropped with
the last copy of it.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import sys
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import asyncpg
import tortoise
from tortoise import Tortoise
from tortoise.migrations.api import migrate

from models import migrations
from server.database import prepare, tortoise_config

KEPT = "TEST_DATABASE_TEMPLATES"


def kept_folder() -> Path | None:
    """The folder TEST_DATABASE_TEMPLATES names, made if missing; None without it."""
    if kept := os.environ.get(KEPT):
        folder = Path(kept)
        folder.mkdir(parents=True, exist_ok=True)
        return folder
    return None


class Templates:
    """Migrated databases copied from a template: the template and its lock in `shared` (the
    same folder for every process that shares them); SQLite copies wherever asked, PostgreSQL
    copies on the server `server` (a server URL without a database)."""

    def __init__(
        self, shared: Path, server: str | None, *, keep: bool = False, durable: bool = True
    ) -> None:
        self.shared = shared
        self.server = server.rstrip("/") if server else None
        self.keep = keep  # the PostgreSQL template outlives its last copy
        # False for throwaway copies whose commits need not wait for the disk (the tests':
        # `synchronous_commit = off` on them, which no client can tell from on but by a crash).
        self.durable = durable

    async def sqlite_copy(self, path: Path) -> str:
        """A migrated SQLite file at `path` (which must not exist); its URL."""
        with self._locked():
            template = await self._sqlite_template()
        shutil.copy(template, path)  # the mode too: the owner's only, as `prepare` makes it
        return f"sqlite://{path}"

    @contextlib.asynccontextmanager
    async def postgres_copy(self, prefix: str) -> AsyncIterator[str]:
        """The URL of a new migrated database on the server, dropped afterwards. Whoever
        connected to it must have closed their connections before the end."""
        assert self.server
        name = f"{prefix}_{uuid.uuid4().hex[:10]}"
        admin = await asyncpg.connect(f"{self.server}/postgres")
        try:
            with self._locked():
                source = await self._postgres_template(admin)
                await admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{source}"')
            if not self.durable:
                await admin.execute(f'ALTER DATABASE "{name}" SET synchronous_commit = off')
            yield f"{self.server}/{name}"
        finally:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            with self._locked():
                await self._postgres_template_released(admin)
            await admin.close()

    async def drop_postgres_template(self) -> None:
        """The kept PostgreSQL template dropped, if there is one."""
        with self._locked():
            state = self._read_postgres_state()
            if not state or not self.server:
                return
            admin = await asyncpg.connect(f"{self.server}/postgres")
            try:
                await admin.execute(f'DROP DATABASE IF EXISTS "{state["name"]}" WITH (FORCE)')
            finally:
                await admin.close()
            self._postgres_state.unlink()

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        """The processes one at a time (a blocking wait: only the first one migrates)."""
        with (self.shared / "template.lock").open("a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    async def _sqlite_template(self) -> Path:
        template = self.shared / f"template-{migrations_digest()}.sqlite3"
        if not template.exists():
            # Built under another name, so a migration that fails leaves no template behind.
            building = self.shared / "template-building.sqlite3"
            building.unlink(missing_ok=True)
            await migrated(f"sqlite://{building}")
            building.rename(template)
        return template

    @property
    def _postgres_state(self) -> Path:
        """The template's name on this server, what its migrations hold and how many databases
        copied from it still exist."""
        server = hashlib.sha256((self.server or "").encode()).hexdigest()[:8]
        return self.shared / f"template-postgres-{server}.json"

    async def _postgres_template(self, admin: asyncpg.Connection) -> str:
        """The template's name, built if there is none, counting one more copy of it."""
        state = self._read_postgres_state()
        if state and state.get("digest") != migrations_digest():
            await admin.execute(f'DROP DATABASE IF EXISTS "{state["name"]}" WITH (FORCE)')
            state = None
        if not state or not await admin.fetchval(
            "SELECT 1 FROM pg_database WHERE datname = $1", state["name"]
        ):
            state = {
                "name": f"satupintu_template_{uuid.uuid4().hex[:10]}",
                "digest": migrations_digest(),
                "copies": 0,
            }
            await admin.execute(f'CREATE DATABASE "{state["name"]}"')
            try:
                await migrated(f"{self.server}/{state['name']}")
            except BaseException:
                await admin.execute(f'DROP DATABASE "{state["name"]}" WITH (FORCE)')
                raise
        state["copies"] += 1
        self._postgres_state.write_text(json.dumps(state))
        return state["name"]

    async def _postgres_template_released(self, admin: asyncpg.Connection) -> None:
        """One copy fewer; the last one's end drops the template, unless it is kept."""
        state = self._read_postgres_state()
        if not state:
            return
        state["copies"] -= 1
        if state["copies"] > 0 or self.keep:
            self._postgres_state.write_text(json.dumps(state))
            return
        await admin.execute(f'DROP DATABASE IF EXISTS "{state["name"]}" WITH (FORCE)')
        self._postgres_state.unlink()

    def _read_postgres_state(self) -> dict[str, Any] | None:
        path = self._postgres_state
        return json.loads(path.read_text()) if path.exists() else None


def migrations_digest() -> str:
    """What the migrations hold, and the Tortoise that replays them, in 12 characters."""
    digest = hashlib.sha256(tortoise.__version__.encode())
    for path in sorted(Path(migrations.__file__).parent.glob("*.py")):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:12]


async def migrated(url: str) -> None:
    """Every migration applied to the database at `url`, its connections closed after."""
    prepare(url)
    try:
        await migrate(config=tortoise_config(url))
    finally:
        await Tortoise.close_connections()


def main(argv: list[str]) -> None:
    """`sqlite PATH`: a migrated SQLite file at PATH, copied from the kept template (nothing
    without TEST_DATABASE_TEMPLATES: `satupintu migrate` then migrates it as ever).
    `drop POSTGRES_URL`: the kept PostgreSQL template dropped."""
    folder = kept_folder()
    match argv:
        case ["sqlite", path] if folder:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            asyncio.run(Templates(folder, None).sqlite_copy(Path(path)))
        case ["sqlite", _]:
            pass
        case ["drop", server] if folder:
            asyncio.run(Templates(folder, server).drop_postgres_template())
        case ["drop", _]:
            pass
        case _:
            sys.exit("python -m bench.templates sqlite PATH | drop POSTGRES_URL")


if __name__ == "__main__":
    main(sys.argv[1:])
