"""Prometheus metrics: requests, latency per operation, errors, sweeps, the database's
statements, size, replica and pools.

With several workers, `serve` sets PROMETHEUS_MULTIPROC_DIR before they start; each worker then
writes its samples there and `/metrics` answers for all of them together.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
from collections.abc import Awaitable, Callable
from pathlib import Path

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from prometheus_client.multiprocess import MultiProcessCollector
from starlette.requests import Request
from starlette.responses import Response

OPERATION_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")
MAX_OPERATION_LABELS = 200
MULTIPROCESS_ENV = "PROMETHEUS_MULTIPROC_DIR"
log = logging.getLogger(__name__)


def share_between_workers(directory: Path) -> None:
    """Make the workers about to start write their metrics to `directory`, emptied first."""
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True)
    os.environ[MULTIPROCESS_ENV] = str(directory)


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "satupintu_graphql_requests",
            "GraphQL requests by operation and outcome (ok or an error code).",
            ["operation", "outcome"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "satupintu_graphql_latency_seconds",
            "GraphQL request latency by operation.",
            ["operation"],
            buckets=(0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
            registry=self.registry,
        )
        self.executions = Counter(
            "satupintu_graphql_executions",
            "GraphQL operations executed, by executor: a compiled plan or the reference.",
            ["executor"],
            registry=self.registry,
        )
        self.sweep_runs = Counter(
            "satupintu_sweep_runs",
            "Periodic sweep runs by sweep and outcome: ran, skipped (another worker or host "
            "held the lease) or failed.",
            ["sweep", "outcome"],
            registry=self.registry,
        )
        self.sweep_latency = Histogram(
            "satupintu_sweep_seconds",
            "How long a sweep run took, lease held.",
            ["sweep"],
            buckets=(0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30),
            registry=self.registry,
        )
        self.replica_lag = Gauge(
            "satupintu_replica_lag_seconds",
            "How far the read replica is behind the primary, as this worker last measured it "
            "(+Inf when it does not answer).",
            registry=self.registry,
            multiprocess_mode="livemax",
        )
        self.replica_in_use = Gauge(
            "satupintu_replica_in_use",
            "1 while this worker sends reads that may lag to the replica, else 0.",
            registry=self.registry,
            multiprocess_mode="livemin",
        )
        self.pool_connections = Gauge(
            "satupintu_db_pool_connections",
            "Connections of this worker's PostgreSQL pools, by database (primary or replica) "
            "and state: open (all it holds) or idle (open and not in use).",
            ["database", "state"],
            registry=self.registry,
            multiprocess_mode="livesum",
        )
        self.statement_latency = Histogram(
            "satupintu_db_statement_seconds",
            "Database statement latency by database (primary or replica) and kind (select, "
            "insert, update, delete or other).",
            ["database", "kind"],
            buckets=(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5),
            registry=self.registry,
        )
        self.table_rows = Gauge(
            "satupintu_db_table_rows",
            "Rows per table (PostgreSQL's estimate), as last measured.",
            ["table"],
            registry=self.registry,
            multiprocess_mode="livemax",
        )
        self.table_bytes = Gauge(
            "satupintu_db_table_bytes",
            "Bytes per table with its indexes and TOAST (PostgreSQL), as last measured.",
            ["table"],
            registry=self.registry,
            multiprocess_mode="livemax",
        )
        self.database_bytes = Gauge(
            "satupintu_db_size_bytes",
            "The database's size: PostgreSQL's pg_database_size, or SQLite's file and its "
            "write-ahead log.",
            registry=self.registry,
            multiprocess_mode="livemax",
        )
        self._operations: set[str] = set()
        # Run before /metrics answers (measuring the database's size).
        self.before_scrape: list[Callable[[Metrics], Awaitable[None]]] = []

    def operation_label(self, name: object) -> str:
        """A bounded label: clients choose operation names, so cap how many we keep."""
        if not isinstance(name, str) or not OPERATION_NAME.match(name):
            return "anonymous"
        if name not in self._operations:
            if len(self._operations) >= MAX_OPERATION_LABELS:
                return "other"
            self._operations.add(name)
        return name

    def observe(self, operation: str, outcome: str, seconds: float) -> None:
        self.requests.labels(operation, outcome).inc()
        self.latency.labels(operation).observe(seconds)

    def swept(self, sweep: str, outcome: str, seconds: float | None = None) -> None:
        self.sweep_runs.labels(sweep, outcome).inc()
        if seconds is not None:
            self.sweep_latency.labels(sweep).observe(seconds)

    def replica(self, lag: float, in_use: bool) -> None:
        self.replica_lag.set(lag)
        self.replica_in_use.set(int(in_use))

    def pool(self, database: str, open_: int, idle: int) -> None:
        self.pool_connections.labels(database, "open").set(open_)
        self.pool_connections.labels(database, "idle").set(idle)

    def statement(self, database: str, kind: str, seconds: float) -> None:
        self.statement_latency.labels(database, kind).observe(seconds)

    def table_size(self, table: str, rows: int, size: int) -> None:
        self.table_rows.labels(table).set(rows)
        self.table_bytes.labels(table).set(size)

    def database_size(self, size: int) -> None:
        self.database_bytes.set(size)

    def executed_by(self, executor: str | None) -> None:
        if executor is not None:
            self.executions.labels(executor).inc()

    async def endpoint(self, _request: Request) -> Response:
        for measure in self.before_scrape:
            try:
                await measure(self)
            except Exception:  # a database that does not answer leaves the last figures
                log.warning("measuring for /metrics failed", exc_info=True)
        registry = self.registry
        if os.environ.get(MULTIPROCESS_ENV):
            registry = CollectorRegistry()
            MultiProcessCollector(registry)
        return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)
