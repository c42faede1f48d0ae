"""Leases that let exactly one worker of one host run a periodic sweep at a time.

On PostgreSQL a transaction-level advisory lock, held on a connection of its own while the
sweep runs (a lock that dies with its connection, and one PgBouncer in transaction mode keeps,
since the transaction pins the server connection); with Redis and no PostgreSQL a Redis lease
renewed while the sweep runs; otherwise (one SQLite file, one host) a lock in the process.
A worker that does not get the lease skips that run: the holder is doing it.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import os
import secrets
import socket
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Protocol
from urllib.parse import urlsplit, urlunsplit

from redis.asyncio import Redis
from redis.exceptions import RedisError

from server.settings import Settings

if TYPE_CHECKING:
    import asyncpg

logger = logging.getLogger("satupintu.sweeps")

REDIS_LEASE_SECONDS = 30  # a dead holder frees the lease this soon; renewed every third of it
_RENEW = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end"  # noqa: E501
_RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end"  # noqa: E501


class SweepLease(Protocol):
    def hold(self, name: str) -> contextlib.AbstractAsyncContextManager[bool]:
        """Enter with True while this worker holds the lease on `name`, False when another
        worker (or host) holds it."""
        ...

    async def close(self) -> None:
        """Let go of what the lease holds open (a connection of its own)."""
        ...


def advisory_key(name: str) -> int:
    """The PostgreSQL advisory lock key (a signed 64-bit integer) for the sweep `name`."""
    digest = hashlib.blake2b(f"satupintu:sweep:{name}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


class LocalLease:
    """One process: a lock per name."""

    def __init__(self) -> None:
        self._locks: dict[str, asyncio.Lock] = {}

    @contextlib.asynccontextmanager
    async def hold(self, name: str) -> AsyncIterator[bool]:
        lock = self._locks.setdefault(name, asyncio.Lock())
        if lock.locked():
            yield False
            return
        async with lock:
            yield True

    async def close(self) -> None:
        pass


class AdvisoryLease:
    """PostgreSQL: `pg_try_advisory_xact_lock` in a transaction kept open while the sweep runs,
    rolled back afterwards (it writes nothing), on a connection of the lease's own per sweep,
    so that a run never waits for, nor takes, a connection the requests' pool needs."""

    def __init__(self, database_url: str) -> None:
        parts = urlsplit(database_url)
        # asyncpg reads unknown query parameters as server settings: the DSN goes without them.
        self.dsn = urlunsplit(("postgresql", parts.netloc, parts.path, "", ""))
        self._connections: dict[str, asyncpg.Connection] = {}
        self._local = LocalLease()  # one connection per name: one holder in this process

    async def _connection(self, name: str) -> asyncpg.Connection:
        connection = self._connections.get(name)
        if connection is None or connection.is_closed():
            import asyncpg  # only PostgreSQL deployments install it

            connection = await asyncpg.connect(
                self.dsn,
                statement_cache_size=0,
                timeout=5,
                # pg_stat_activity then tells which host's process holds a sweep
                server_settings={
                    "application_name": f"satupintu-sweep-{socket.gethostname()}-{os.getpid()}"
                },
            )
            self._connections[name] = connection
        return connection

    @contextlib.asynccontextmanager
    async def hold(self, name: str) -> AsyncIterator[bool]:
        async with self._local.hold(name) as here:
            if not here:
                yield False
                return
            async with self._hold(name) as held:
                yield held

    @contextlib.asynccontextmanager
    async def _hold(self, name: str) -> AsyncIterator[bool]:
        connection = await self._connection(name)
        try:
            transaction = connection.transaction()
            await transaction.start()
        except BaseException:
            self._connections.pop(name, None)
            connection.terminate()
            raise
        try:
            held = await connection.fetchval(
                "SELECT pg_try_advisory_xact_lock($1)", advisory_key(name)
            )
            yield bool(held)
        finally:
            try:
                await transaction.rollback()
            except Exception:  # a broken connection lets go of its lock by itself
                self._connections.pop(name, None)
                connection.terminate()

    async def close(self) -> None:
        for connection in self._connections.values():
            connection.terminate()
        self._connections.clear()


class RedisLease:
    """Redis: `SET NX PX` with a token of this holder, renewed while the sweep runs and
    deleted only by its holder. While Redis does not answer, nobody holds it and the sweep
    waits for its next run."""

    def __init__(self, redis: Redis, prefix: str, seconds: int = REDIS_LEASE_SECONDS) -> None:
        self.redis = redis
        self.prefix = prefix
        self.milliseconds = seconds * 1000

    @contextlib.asynccontextmanager
    async def hold(self, name: str) -> AsyncIterator[bool]:
        key = f"{self.prefix}lease:{name}"
        token = secrets.token_hex(16)
        try:
            held = await self.redis.set(key, token, nx=True, px=self.milliseconds)
        except (RedisError, OSError) as error:
            logger.warning("Redis unavailable (%r): sweep %s waits", error, name)
            held = False
        if not held:
            yield False
            return
        renewal = asyncio.create_task(self._renew(key, token))
        try:
            yield True
        finally:
            renewal.cancel()
            try:
                await self.redis.eval(_RELEASE, 1, key, token)
            except (RedisError, OSError) as error:
                logger.warning("Redis unavailable (%r): lease %s runs out by itself", error, key)

    async def close(self) -> None:
        pass  # the Redis client is the server's

    async def _renew(self, key: str, token: str) -> None:
        while True:
            await asyncio.sleep(self.milliseconds / 3000)
            try:
                await self.redis.eval(_RENEW, 1, key, token, self.milliseconds)
            except (RedisError, OSError) as error:
                logger.warning("Redis unavailable (%r): lease %s not renewed", error, key)


def sweep_lease(settings: Settings, redis: Redis | None) -> SweepLease:
    """The lease for these settings: the database's when it is PostgreSQL, else Redis's when
    configured, else this process's."""
    if not settings.is_sqlite:
        return AdvisoryLease(settings.database_url)
    if redis is not None:
        return RedisLease(redis, settings.redis_key_prefix)
    return LocalLease()
