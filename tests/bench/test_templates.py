"""The migrated templates the tests, benchmarks and CI's scripts copy (bench/templates.py)."""

from __future__ import annotations

import asyncio
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import asyncpg
import pytest

from bench.templates import Templates, migrations_digest
from models import migrations
from tests.databases import Databases

ROOT = Path(__file__).resolve().parents[2]
MIGRATIONS = {p.stem for p in Path(migrations.__file__).parent.glob("0*.py")}


def applied(path: Path) -> set[str]:
    with sqlite3.connect(path) as connection:
        return {name for (name,) in connection.execute("SELECT name FROM tortoise_migrations")}


def copy_script(path: Path, kept: Path | None) -> None:
    env = {k: v for k, v in os.environ.items() if k != "TEST_DATABASE_TEMPLATES"}
    if kept:
        env["TEST_DATABASE_TEMPLATES"] = str(kept)
    subprocess.run(
        [sys.executable, "-m", "bench.templates", "sqlite", str(path)], cwd=ROOT, env=env,
        check=True, timeout=300,
    )  # fmt: skip


async def test_scripts_copy_the_kept_sqlite_template(databases: Databases, tmp_path: Path) -> None:
    """`python -m bench.templates sqlite PATH` copies the template kept in the folder
    TEST_DATABASE_TEMPLATES names, every migration applied; without the folder it leaves PATH
    to `satupintu migrate`."""
    copy_script(tmp_path / "warm.sqlite3", databases.shared)  # built in a process of its own
    template = databases.shared / f"template-{migrations_digest()}.sqlite3"
    built = template.stat().st_mtime_ns

    copy_script(tmp_path / "copies" / "one.sqlite3", databases.shared)
    assert applied(tmp_path / "copies" / "one.sqlite3") == MIGRATIONS
    assert template.stat().st_mtime_ns == built  # copied, not migrated again
    assert (tmp_path / "copies" / "one.sqlite3").read_bytes() == template.read_bytes()
    assert (tmp_path / "copies" / "one.sqlite3").stat().st_mode & 0o077 == 0

    copy_script(tmp_path / "none.sqlite3", None)
    assert not (tmp_path / "none.sqlite3").exists()


# A benchmark's fresh database, in a process of its own: `fresh_database` initialises and
# closes Tortoise's global state, which the tests' in-process apps share.
FRESH = """
import asyncio, json, sqlite3, sys
from bench.database import fresh_database

async def main(server):
    async with fresh_database(server) as (url, _):
        found = None
        if not server:
            with sqlite3.connect(url.removeprefix("sqlite://")) as connection:
                found = sorted(n for (n,) in connection.execute("SELECT name FROM tortoise_migrations"))
        print(json.dumps({"url": url, "applied": found}))

asyncio.run(main(sys.argv[1] or None))
"""


async def test_benchmarks_copy_the_kept_template(databases: Databases) -> None:
    """A benchmark's fresh database is a copy of the kept template, on either database."""
    copy_script(databases.folder / "warm.sqlite3", databases.shared)  # likewise
    run = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-c", FRESH, databases.server or ""], cwd=ROOT, capture_output=True,
        text=True, timeout=300,
        env={**os.environ, "TEST_DATABASE_TEMPLATES": str(databases.shared)},
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    found = json.loads(run.stdout.strip().splitlines()[-1])
    if databases.server:
        state = Templates(databases.shared, databases.server)._read_postgres_state()
        assert state
        assert state["digest"] == migrations_digest()
        admin = await asyncpg.connect(f"{databases.server}/postgres")
        try:
            # Copied from the template, which outlives the copy (kept for the next run).
            assert await admin.fetchval(
                "SELECT 1 FROM pg_database WHERE datname = $1", state["name"]
            )
            # The copy itself is gone with the benchmark.
            copy = found["url"].rsplit("/", 1)[1]
            assert not await admin.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", copy)
        finally:
            await admin.close()
    else:
        assert set(found["applied"]) == MIGRATIONS


@pytest.mark.skipif(not os.environ.get("TEST_POSTGRES_URL"), reason="PostgreSQL only")
async def test_kept_postgres_template_until_dropped(tmp_path: Path) -> None:
    """A kept PostgreSQL template outlives its copies until `drop`; the tests' copies commit
    without waiting for the disk, the others as ever (`tests.bench.kept_template`)."""
    (tmp_path / "kept").mkdir()
    run = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "tests.bench.kept_template", os.environ["TEST_POSTGRES_URL"],
         str(tmp_path / "kept")],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
