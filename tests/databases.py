"""Migrated databases for the tests, migrated once per run.

Replaying every migration is the slowest setup there is (Tortoise rebuilds each migration's
model state: tens of seconds on SQLite, minutes on PostgreSQL under load), so the first
pytest-xdist worker that needs a database migrates a template, under a file lock the workers
share, and every database after it is a copy: the SQLite file copied, or a PostgreSQL
`CREATE DATABASE ... TEMPLATE`. The tests of migrations themselves still migrate their own
(tests/migration_helpers.py, the migration upgrade tests, the CLI's).

TEST_DATABASE_TEMPLATES names a folder to keep the SQLite template in beyond the run, for the
runs after it (.ci/run's `make test` and `make test-dates`): it is named by what the
migrations hold, so a changed migration gets a template of its own.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import asyncpg
import pytest
import tortoise
from tortoise import Tortoise
from tortoise.migrations.api import migrate

from models import migrations
from server.database import prepare, tortoise_config


class Databases:
    """Copies of the run's migrated template: SQLite files in `folder`, or databases on the
    PostgreSQL `server` (a server URL without a database)."""

    def __init__(self, shared: Path, folder: Path, server: str | None) -> None:
        self.shared = shared  # the folder of the run, the same for every worker
        self.folder = folder
        self.server = server.rstrip("/") if server else None

    @classmethod
    def of_run(cls, tmp_path_factory: pytest.TempPathFactory) -> Databases:
        base = tmp_path_factory.getbasetemp()
        # A worker's base folder is inside the run's (pytest-xdist); without workers it is it.
        shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
        if kept := os.environ.get("TEST_DATABASE_TEMPLATES"):
            shared = Path(kept)
            shared.mkdir(parents=True, exist_ok=True)
        return cls(shared, tmp_path_factory.mktemp("db"), os.environ.get("TEST_POSTGRES_URL"))

    @contextlib.asynccontextmanager
    async def fresh(self, prefix: str = "satupintu_test") -> AsyncIterator[str]:
        """The URL of a new migrated database, dropped afterwards (PostgreSQL). Whoever
        connected to it must have closed their connections before the end."""
        if not self.server:
            path = self.folder / f"{prefix}_{uuid.uuid4().hex[:10]}.sqlite3"
            with self._locked():
                template = await self._sqlite_template()
            shutil.copy(template, path)  # the mode too: the owner's only, as `prepare` makes it
            yield f"sqlite://{path}"
            return
        name = f"{prefix}_{uuid.uuid4().hex[:10]}"
        admin = await asyncpg.connect(f"{self.server}/postgres")
        try:
            with self._locked():
                source = await self._postgres_template(admin)
                await admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{source}"')
            yield f"{self.server}/{name}"
        finally:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            with self._locked():
                await self._postgres_template_released(admin)
            await admin.close()

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        """The workers one at a time (a blocking wait: only the first one migrates)."""
        with (self.shared / "template.lock").open("a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    async def _sqlite_template(self) -> Path:
        template = self.shared / f"template-{_migrations_digest()}.sqlite3"
        if not template.exists():
            # Built under another name, so a migration that fails leaves no template behind.
            building = self.shared / "template-building.sqlite3"
            building.unlink(missing_ok=True)
            await _migrated(f"sqlite://{building}")
            building.rename(template)
        return template

    @property
    def _postgres_state(self) -> Path:
        """The template's name and how many databases copied from it still exist."""
        return self.shared / "template-postgres.json"

    async def _postgres_template(self, admin: asyncpg.Connection) -> str:
        """The template's name, built if there is none, counting one more copy of it."""
        state = self._read_postgres_state()
        if not state or not await admin.fetchval(
            "SELECT 1 FROM pg_database WHERE datname = $1", state["name"]
        ):
            state = {"name": f"satupintu_template_{uuid.uuid4().hex[:10]}", "copies": 0}
            await admin.execute(f'CREATE DATABASE "{state["name"]}"')
            try:
                await _migrated(f"{self.server}/{state['name']}")
            except BaseException:
                await admin.execute(f'DROP DATABASE "{state["name"]}" WITH (FORCE)')
                raise
        state["copies"] += 1
        self._postgres_state.write_text(json.dumps(state))
        return state["name"]

    async def _postgres_template_released(self, admin: asyncpg.Connection) -> None:
        """One copy fewer; the last one's end drops the template."""
        state = self._read_postgres_state()
        if not state:
            return
        state["copies"] -= 1
        if state["copies"] > 0:
            self._postgres_state.write_text(json.dumps(state))
            return
        await admin.execute(f'DROP DATABASE IF EXISTS "{state["name"]}" WITH (FORCE)')
        self._postgres_state.unlink()

    def _read_postgres_state(self) -> dict[str, Any] | None:
        path = self._postgres_state
        return json.loads(path.read_text()) if path.exists() else None


def _migrations_digest() -> str:
    """What the migrations hold, and the Tortoise that replays them, in 12 characters."""
    digest = hashlib.sha256(tortoise.__version__.encode())
    for path in sorted(Path(migrations.__file__).parent.glob("*.py")):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:12]


async def _migrated(url: str) -> None:
    """Every migration applied to the database at `url`, its connections closed after."""
    prepare(url)
    try:
        await migrate(config=tortoise_config(url))
    finally:
        await Tortoise.close_connections()
