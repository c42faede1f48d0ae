"""Run by tests/bench/test_templates.py in a process of its own: building a template
migrates in-process and closes Tortoise's connections, which the tests' apps share.

    python -m tests.bench.kept_template POSTGRES_URL FOLDER
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import asyncpg

from bench.templates import Templates


async def check(server: str, folder: Path) -> None:
    """A kept PostgreSQL template outlives its copies until `drop`. The tests' copies commit
    without waiting for the disk, the others as ever."""
    admin = await asyncpg.connect(f"{server}/postgres")

    async def exists(name: str) -> bool:
        found = await admin.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name)
        return bool(found)

    async def synchronous_commit(url: str) -> str:
        connection = await asyncpg.connect(url)
        try:
            return str(await connection.fetchval("SHOW synchronous_commit"))
        finally:
            await connection.close()

    try:
        fast = Templates(folder, server, keep=True, durable=False)
        async with fast.postgres_copy("ci_speed") as url:
            assert await synchronous_commit(url) == "off"
        state = fast._read_postgres_state()
        assert state
        assert state["copies"] == 0
        assert await exists(state["name"])
        durable = Templates(folder, server, keep=True)
        async with durable.postgres_copy("ci_speed") as url:
            assert await synchronous_commit(url) == "on"
        assert durable._read_postgres_state() == state  # the same template, not rebuilt
        await durable.drop_postgres_template()
        assert not await exists(state["name"])
        assert durable._read_postgres_state() is None
    finally:
        await admin.close()


if __name__ == "__main__":
    asyncio.run(check(sys.argv[1].rstrip("/"), Path(sys.argv[2])))
