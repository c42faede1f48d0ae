"""Counters behind the limits, in memory or in Redis so that every worker shares them:
fixed windows of requests per bucket (`RateLimiter`), and failures with a growing delay
(`Strikes`, for login attempts per account). While Redis does not answer, each worker counts
in memory (`FallbackRateLimiter`, `FallbackStrikes`), and goes back to Redis by itself."""

from __future__ import annotations

import logging
import time
from typing import Any, Protocol

from redis.asyncio import Redis
from redis.exceptions import RedisError

from resolvers.platform import delay_after

logger = logging.getLogger("satupintu.rate_limit")

WINDOW_SECONDS = 60
STRIKES_TTL = 60 * 60  # failures an hour old are forgotten
MAX_MEMORY_STRIKES = 100_000


class RateLimiter(Protocol):
    async def hit(self, bucket: str, limit: int) -> int:
        """Count one request; the seconds to wait when over `limit` in this window, else 0."""

    async def over(self, bucket: str, limit: int) -> int:
        """Like `hit`, without counting: whether the bucket is already over its limit."""


class Strikes(Protocol):
    async def wait(self, key: str) -> int:
        """The seconds `key` must wait before its next try (0: it may try now)."""

    async def strike(self, key: str) -> None:
        """One more failure for `key`."""

    async def clear(self, key: str) -> None: ...


def _retry_after(now: float) -> int:
    return max(1, WINDOW_SECONDS - int(now % WINDOW_SECONDS))


class MemoryRateLimiter:
    def __init__(self) -> None:
        self._window = 0
        self._counts: dict[str, int] = {}

    def _count(self, bucket: str, add: int) -> tuple[int, float]:
        now = time.time()
        window = int(now // WINDOW_SECONDS)
        if window != self._window:
            self._window, self._counts = window, {}
        count = self._counts.get(bucket, 0) + add
        self._counts[bucket] = count
        return count, now

    async def hit(self, bucket: str, limit: int) -> int:
        count, now = self._count(bucket, 1)
        return _retry_after(now) if count > limit else 0

    async def over(self, bucket: str, limit: int) -> int:
        count, now = self._count(bucket, 0)
        return _retry_after(now) if count >= limit else 0


class RedisRateLimiter:
    def __init__(self, redis: Redis, prefix: str) -> None:
        self.redis = redis
        self.prefix = f"{prefix}rate:"

    def _key(self, bucket: str, now: float) -> str:
        return f"{self.prefix}{bucket}:{int(now // WINDOW_SECONDS)}"

    async def hit(self, bucket: str, limit: int) -> int:
        now = time.time()
        key = self._key(bucket, now)
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.incr(key)
            pipe.expire(key, WINDOW_SECONDS * 2)
            count, _ = await pipe.execute()
        return _retry_after(now) if count > limit else 0

    async def over(self, bucket: str, limit: int) -> int:
        now = time.time()
        count = int(await self.redis.get(self._key(bucket, now)) or 0)
        return _retry_after(now) if count >= limit else 0


class MemoryStrikes:
    def __init__(self) -> None:
        self._failures: dict[str, tuple[int, float]] = {}

    async def wait(self, key: str) -> int:
        failures, last = self._failures.get(key, (0, 0.0))
        if time.time() - last > STRIKES_TTL:
            self._failures.pop(key, None)
            return 0
        return max(0, int(last + delay_after(failures) - time.time() + 0.999))

    async def strike(self, key: str) -> None:
        now = time.time()
        failures, last = self._failures.get(key, (0, 0.0))
        if now - last > STRIKES_TTL:
            failures = 0
        self._failures[key] = (failures + 1, now)
        if len(self._failures) > MAX_MEMORY_STRIKES:  # guesses at many accounts: forget old ones
            self._failures = {k: v for k, v in self._failures.items() if now - v[1] <= STRIKES_TTL}

    async def clear(self, key: str) -> None:
        self._failures.pop(key, None)


class RedisStrikes:
    def __init__(self, redis: Redis, prefix: str) -> None:
        self.redis = redis
        self.prefix = f"{prefix}strikes:"

    async def wait(self, key: str) -> int:
        failures, last = await self.redis.hmget(self.prefix + key, "n", "at")
        if failures is None or last is None:
            return 0
        return max(0, int(float(last) + delay_after(int(failures)) - time.time() + 0.999))

    async def strike(self, key: str) -> None:
        name = self.prefix + key
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.hincrby(name, "n", 1)
            pipe.hset(name, "at", time.time())
            pipe.expire(name, STRIKES_TTL)
            await pipe.execute()

    async def clear(self, key: str) -> None:
        await self.redis.delete(self.prefix + key)


class RedisOrMemory:
    """Redis's counter while Redis answers; the in-process one while it does not, asking Redis
    again every `retry_seconds` (so an outage costs one failed call per interval, not one per
    request)."""

    def __init__(self, redis: Any, memory: Any, retry_seconds: float = 5) -> None:
        self.redis = redis
        self.memory = memory
        self.retry_seconds = retry_seconds
        self._down_until: float | None = None

    async def _call(self, method: str, *args: Any) -> Any:
        now = time.monotonic()
        if self._down_until is None or now >= self._down_until:
            try:
                answer = await getattr(self.redis, method)(*args)
            except (RedisError, OSError) as error:
                if self._down_until is None:
                    logger.warning("Redis unavailable (%r): counting per worker meanwhile", error)
                self._down_until = now + self.retry_seconds
            else:
                if self._down_until is not None:
                    logger.warning("Redis is back: counts are shared again")
                    self._down_until = None
                return answer
        return await getattr(self.memory, method)(*args)


class FallbackRateLimiter(RedisOrMemory):
    async def hit(self, bucket: str, limit: int) -> int:
        return int(await self._call("hit", bucket, limit))

    async def over(self, bucket: str, limit: int) -> int:
        return int(await self._call("over", bucket, limit))


class FallbackStrikes(RedisOrMemory):
    async def wait(self, key: str) -> int:
        return int(await self._call("wait", key))

    async def strike(self, key: str) -> None:
        await self._call("strike", key)

    async def clear(self, key: str) -> None:
        await self._call("clear", key)
