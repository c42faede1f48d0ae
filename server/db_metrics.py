"""Database figures for /metrics: how long each statement takes, by the kind of statement
(select, insert, update, delete, other) and database (primary or replica), never by its
text; and how big the database is (each table's rows and bytes on PostgreSQL, the file on
SQLite), measured when /metrics is read, at most once every DB_SIZE_INTERVAL seconds."""

from __future__ import annotations

import functools
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from tortoise import connections
from tortoise.backends.asyncpg.client import AsyncpgDBClient, TransactionWrapper
from tortoise.backends.base_postgres.client import BasePostgresClient
from tortoise.backends.sqlite.client import SqliteClient, SqliteTransactionWrapper

from resolvers.platform import REPLICA
from server.metrics import Metrics

KINDS = ("select", "insert", "update", "delete")
# Every class that defines a statement method of its own (subclasses inherit the timing).
CLIENTS = (BasePostgresClient, AsyncpgDBClient, TransactionWrapper, SqliteClient,
           SqliteTransactionWrapper)  # fmt: skip
_sink: list[Metrics] = []
TABLE_SIZES = """SELECT relname AS name, n_live_tup AS rows,
  pg_total_relation_size(relid) AS bytes FROM pg_stat_user_tables"""


def statement_kind(query: str) -> str:
    """The statement's first word when it is one of KINDS (WITH ... counts as select), else
    "other"."""
    word = query.lstrip()[:8].split(None, 1)[0].lower() if query.strip() else ""
    if word == "with":
        return "select"
    return word if word in KINDS else "other"


def time_statements(metrics: Metrics) -> None:
    """Statements from now on are timed into `metrics` (the latest app's, in a process that
    builds several)."""
    _sink[:] = [metrics]
    for client in CLIENTS:
        for name, method in list(vars(client).items()):
            if name.startswith("execute_") and not getattr(method, "timed", False):
                setattr(client, name, _timed(method))


def _timed(method: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
    @functools.wraps(method)
    async def timed(self: Any, query: str, *args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return await method(self, query, *args, **kwargs)
        finally:
            if _sink:
                database = "replica" if self.connection_name == REPLICA else "primary"
                _sink[0].statement(database, statement_kind(query), time.perf_counter() - started)

    timed.timed = True  # type: ignore[attr-defined]
    return timed


def database_sizes(
    database_url: str, every: float, clock: Callable[[], float] = time.monotonic
) -> Callable[[Metrics], Awaitable[None]]:
    """What /metrics runs before it answers: the database's size into the gauges, unless it
    was measured less than `every` seconds ago (sizing every table costs PostgreSQL a scan
    of its catalogue, and scrapers come often). A failed measurement is tried again at the
    next scrape."""
    measured_at: list[float] = []

    async def measure(metrics: Metrics) -> None:
        moment = clock()
        if measured_at and moment - measured_at[0] < every:
            return
        await _measure(metrics)
        measured_at[:] = [moment]

    async def _measure(metrics: Metrics) -> None:
        if database_url.startswith("sqlite://"):
            path = Path(database_url.removeprefix("sqlite://"))
            files = [path, path.with_name(f"{path.name}-wal")]
            metrics.database_size(sum(f.stat().st_size for f in files if f.exists()))
            return
        client = connections.get("default")
        _, rows = await client.execute_query(TABLE_SIZES)
        for row in rows:
            metrics.table_size(row["name"], int(row["rows"]), int(row["bytes"]))
        _, total = await client.execute_query("SELECT pg_database_size(current_database()) AS b")
        metrics.database_size(int(total[0]["b"]))

    return measure
