"""The read replica: its connection, its lag, and the callers who just wrote.

A streaming replica's lag is measured against the primary every `CHECK_INTERVAL`: it is
zero when the replica has replayed the primary's current WAL position, and otherwise the
time since the last transaction it replayed. A replica that does not answer within
`CHECK_TIMEOUT`, or lags past `REPLICA_MAX_LAG_SECONDS`, is left out until it catches up.

Read-your-writes: after a mutation, the caller is marked for `REMEMBER_WRITES` (in Redis when
configured, so every host sees it); a marked caller reads from the primary only.
"""

from __future__ import annotations

import asyncio
import importlib
import logging
import time

from redis.asyncio import Redis
from redis.exceptions import RedisError
from tortoise import connections
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.backends.base.config_generator import expand_db_url

from resolvers.platform import REPLICA, set_replica_usable
from server.metrics import Metrics

logger = logging.getLogger("satupintu.replica")
CHECK_INTERVAL = 1.0  # seconds
CHECK_TIMEOUT = 1.0
PRIMARY_POSITION = "SELECT pg_current_wal_lsn()::text AS lsn"
REPLICA_LAG = (
    "SELECT pg_last_wal_replay_lsn() >= $1::text::pg_lsn AS caught_up,"
    " EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp())::float8 AS behind"
)


def attach_replica(url: str) -> BaseDBAsyncClient:
    """Open the replica's connection under `REPLICA`, beside (not in) Tortoise's configured
    connections: with a second configured connection, Tortoise would ask every
    `in_transaction()` to name its connection."""
    info = expand_db_url(url)
    client_class = importlib.import_module(info["engine"]).client_class
    client: BaseDBAsyncClient = client_class(connection_name=REPLICA, **info["credentials"])
    connections._get_storage()[REPLICA] = client
    return client


async def detach_replica(client: BaseDBAsyncClient) -> None:
    set_replica_usable(False)
    connections.discard(REPLICA)
    await client.close()


async def replica_lag(replica: BaseDBAsyncClient) -> float:
    """Seconds the replica is behind the primary (`default`); raises when either is down."""
    _, [primary] = await connections.get("default").execute_query(PRIMARY_POSITION)
    _, [row] = await replica.execute_query(REPLICA_LAG, [primary["lsn"]])
    if row["caught_up"]:
        return 0.0
    return float("inf") if row["behind"] is None else max(0.0, float(row["behind"]))


async def watch_replica(replica: BaseDBAsyncClient, max_lag: float, metrics: Metrics) -> None:
    """Keep `reads_from_replica()` to a replica that answers and lags at most `max_lag`."""
    usable: bool | None = None
    while True:
        try:
            lag = await asyncio.wait_for(replica_lag(replica), CHECK_TIMEOUT)
            failure = f"{lag:.1f} s behind"
        except Exception as error:  # a replica down is skipped, whatever the failure
            lag, failure = float("inf"), repr(error)
        set_replica_usable(lag <= max_lag)  # also after a request found it down
        if usable != (lag <= max_lag):
            usable = lag <= max_lag
            if usable:
                logger.info("read replica in use (lag %.3f s)", lag)
            else:
                logger.warning("read replica left out: %s", failure)
        metrics.replica(lag, usable)
        await asyncio.sleep(CHECK_INTERVAL)


class RecentWrites:
    """Callers who wrote within the last `seconds`: in Redis when there is one (falling back
    to this process while Redis does not answer), else in this process."""

    def __init__(self, seconds: float, redis: Redis | None, prefix: str) -> None:
        self.seconds = seconds
        self.redis = redis
        self.prefix = f"{prefix}wrote:"
        self._local: dict[int, float] = {}

    async def mark(self, user_id: int) -> None:
        self._local[user_id] = time.monotonic() + self.seconds
        if len(self._local) > 10_000:
            self._forget_expired()
        if self.redis is not None:
            try:
                await self.redis.set(f"{self.prefix}{user_id}", 1, px=int(self.seconds * 1000))
            except (RedisError, OSError) as error:
                logger.warning("Redis unavailable (%r): write marked on this host only", error)

    async def wrote_recently(self, user_id: int) -> bool:
        if self._local.get(user_id, 0.0) > time.monotonic():
            return True
        if self.redis is None:
            return False
        try:
            return bool(await self.redis.exists(f"{self.prefix}{user_id}"))
        except (RedisError, OSError):
            return True  # unknown: the primary is always right

    def _forget_expired(self) -> None:
        moment = time.monotonic()
        self._local = {user: until for user, until in self._local.items() if until > moment}
