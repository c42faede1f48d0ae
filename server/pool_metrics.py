"""Connection pool usage, sampled every second: how many connections each PostgreSQL pool
(the primary's and the replica's) holds open and how many of them are idle. SQLite has no
pool and reports nothing."""

from __future__ import annotations

import asyncio

from tortoise import connections
from tortoise.backends.base.client import BaseDBAsyncClient

from server.metrics import Metrics

INTERVAL = 1.0


async def sample_pools(metrics: Metrics, replica: BaseDBAsyncClient | None) -> None:
    while True:
        for label, client in (("primary", connections.get("default")), ("replica", replica)):
            pool = getattr(client, "_pool", None)
            if pool is not None:
                metrics.pool(label, pool.get_size(), pool.get_idle_size())
        await asyncio.sleep(INTERVAL)
