"""Migrated databases for the tests, migrated once per run (bench/templates.py).

The first pytest-xdist worker that needs a database migrates a template, under a file lock
the workers share, and every database after it is a copy: the SQLite file copied, or a
PostgreSQL `CREATE DATABASE ... TEMPLATE`. The tests of migrations themselves still migrate
their own (tests/migration_helpers.py, the migration upgrade tests, the CLI's).

TEST_DATABASE_TEMPLATES names a folder to keep the templates in beyond the run, for the runs
after it (.ci/run's suites, benchmarks and scripts).
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bench.templates import Templates, kept_folder


class Databases(Templates):
    """Copies of the run's migrated template: SQLite files in `folder`, or databases on the
    PostgreSQL `server` (a server URL without a database)."""

    def __init__(self, shared: Path, folder: Path, server: str | None, keep: bool) -> None:
        # Commits that do not wait for the disk: a test's database is gone after it.
        super().__init__(shared, server, keep=keep, durable=False)
        self.folder = folder

    @classmethod
    def of_run(cls, tmp_path_factory: pytest.TempPathFactory) -> Databases:
        base = tmp_path_factory.getbasetemp()
        # A worker's base folder is inside the run's (pytest-xdist); without workers it is it.
        shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
        kept = kept_folder()
        return cls(
            kept or shared,
            tmp_path_factory.mktemp("db"),
            os.environ.get("TEST_POSTGRES_URL"),
            keep=kept is not None,
        )

    @contextlib.asynccontextmanager
    async def fresh(self, prefix: str = "satupintu_test") -> AsyncIterator[str]:
        """The URL of a new migrated database, dropped afterwards (PostgreSQL). Whoever
        connected to it must have closed their connections before the end."""
        if not self.server:
            yield await self.sqlite_copy(self.folder / f"{prefix}_{uuid.uuid4().hex[:10]}.sqlite3")
            return
        async with self.postgres_copy(prefix) as url:
            yield url
