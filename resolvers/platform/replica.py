"""Reads that may lag, sent to a streaming replica of the database.

The composition root attaches the replica's connection under `REPLICA`, keeps `replica_usable`
up to date from its lag, and marks the operations whose reads may lag. A read goes to the
replica only when all three hold and no transaction is open in the task: everything else (every
write, every read inside a transaction, every money path) stays on the primary.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from tortoise import connections
from tortoise.backends.base.client import BaseDBAsyncClient, TransactionalDBClient

REPLICA = "replica"
_lag_tolerant: ContextVar[bool] = ContextVar("lag_tolerant", default=False)
_usable = [False]


def set_replica_usable(usable: bool) -> None:
    _usable[0] = usable


@contextmanager
def lag_tolerant_reads() -> Iterator[None]:
    """Within this block, reads outside a transaction may come from the replica."""
    token = _lag_tolerant.set(True)
    try:
        yield
    finally:
        _lag_tolerant.reset(token)


def reads_from_replica() -> bool:
    return (
        _lag_tolerant.get()
        and _usable[0]
        and not isinstance(connections.get("default"), TransactionalDBClient)
    )


def read_connection() -> BaseDBAsyncClient:
    """The connection for a raw read: the replica when `reads_from_replica()`, else the
    current connection (or transaction) of the primary."""
    return connections.get(REPLICA if reads_from_replica() else "default")


class ReplicaRouter:
    """Tortoise's router (the `routers` of its configuration): writes are left to the
    default connection; reads go to the replica when `reads_from_replica()`."""

    def db_for_read(self, _model: Any) -> str | None:
        return REPLICA if reads_from_replica() else None

    def db_for_write(self, _model: Any) -> None:
        return None
