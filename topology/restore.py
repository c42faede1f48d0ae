"""A backup of the primary restored into a fresh cluster, checked: `pg_basebackup` (with the
WAL it needs, so the copy is consistent on its own) started on a port of its own, every ledger
audited there, and its savings equal to the primary's.

`python -m topology.restore DATABASE_URL` prints what the audit finds in that database."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys

from tortoise import Tortoise

from resolvers.cooperatives import audit
from server.database import tortoise_config
from topology.postgres import Cluster, free_port, run

SAVINGS = "SELECT count(*) || ' ' || coalesce(sum(balance), 0) FROM savings_account"


def check_restore(primary: Cluster) -> list[str]:
    restored = Cluster(primary.folder.parent / "restored", free_port())
    run("pg_basebackup", "-h", "127.0.0.1", "-p", str(primary.port), "-U", "postgres",
         "-D", restored.folder, "-X", "stream", "-c", "fast")  # fmt: skip
    with (restored.folder / "postgresql.auto.conf").open("a") as conf:
        conf.write(f"port = {restored.port}\n")
    restored.start()
    try:
        audited = subprocess.run([sys.executable, "-m", "topology.restore", restored.url],
                                 capture_output=True, text=True, env=os.environ)  # fmt: skip
        problems = [f"restored: {line}" for line in audited.stdout.splitlines()]
        if audited.returncode != 0:
            problems.append(f"restored: the audit failed: {audited.stderr[-500:]}")
        if restored.sql(SAVINGS) != primary.sql(SAVINGS):
            problems.append("restored: its savings differ from the primary's")
        return problems
    finally:
        restored.stop("fast")


async def _audit(url: str) -> int:
    await Tortoise.init(config=tortoise_config(url))
    try:
        for problem in await audit():
            print(problem)
    finally:
        await Tortoise.close_connections()
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(_audit(sys.argv[1])))
