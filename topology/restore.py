"""A backup of the primary restored into a fresh cluster, checked: `pg_basebackup` (with the
WAL it needs, so the copy is consistent on its own) started on a port of its own, every ledger
audited there, and its savings equal to the primary's."""

from __future__ import annotations

import asyncio

from tortoise import Tortoise

from resolvers.cooperatives import audit
from server.database import tortoise_config
from topology.postgres import Cluster, free_port, run

SAVINGS = "SELECT count(*) || ' ' || coalesce(sum(balance), 0) FROM savings_account"


async def check_restore(primary: Cluster) -> list[str]:
    """What is wrong with a restored backup of `primary`; the ORM must not be initialised
    (it is, on the restored cluster, while the audit runs)."""
    restored = Cluster(primary.folder.parent / "restored", free_port())
    await asyncio.to_thread(
        run, "pg_basebackup", "-h", "127.0.0.1", "-p", str(primary.port), "-U", "postgres",
        "-D", restored.folder, "-X", "stream", "-c", "fast",
    )  # fmt: skip
    with (restored.folder / "postgresql.auto.conf").open("a") as conf:
        conf.write(f"port = {restored.port}\n")
    await asyncio.to_thread(restored.start)
    try:
        await Tortoise.init(config=tortoise_config(restored.url))
        try:
            problems = [f"restored: {problem}" for problem in await audit()]
        finally:
            await Tortoise.close_connections()
        if restored.sql(SAVINGS) != primary.sql(SAVINGS):
            problems.append("restored: its savings differ from the primary's")
        return problems
    finally:
        await asyncio.to_thread(restored.stop, "fast")
