"""Fixed-window rate limits per API key or client address: in memory, or in Redis
so that every worker shares one count. While Redis does not answer, each worker counts
in memory (`FallbackRateLimiter`), and goes back to Redis by itself."""

from __future__ import annotations

import logging
import time
from typing import Protocol

from redis.asyncio import Redis
from redis.exceptions import RedisError

logger = logging.getLogger("satupintu.rate_limit")

WINDOW_SECONDS = 60
KEY_MULTIPLIER = 10  # a registered campus frontend serves many people from one key


class RateLimiter(Protocol):
    async def hit(self, bucket: str, *, key_holder: bool = False) -> int:
        """Count one request; the seconds to wait when over the limit, else 0."""


class MemoryRateLimiter:
    def __init__(self, per_minute: int) -> None:
        self.per_minute = per_minute
        self._window = 0
        self._counts: dict[str, int] = {}

    async def hit(self, bucket: str, *, key_holder: bool = False) -> int:
        now = time.time()
        window = int(now // WINDOW_SECONDS)
        if window != self._window:
            self._window, self._counts = window, {}
        count = self._counts.get(bucket, 0) + 1
        self._counts[bucket] = count
        limit = self.per_minute * (KEY_MULTIPLIER if key_holder else 1)
        return _retry_after(now) if count > limit else 0


class RedisRateLimiter:
    def __init__(self, redis: Redis, per_minute: int, prefix: str = "satupintu:rate:") -> None:
        self.redis = redis
        self.per_minute = per_minute
        self.prefix = prefix

    async def hit(self, bucket: str, *, key_holder: bool = False) -> int:
        now = time.time()
        key = f"{self.prefix}{bucket}:{int(now // WINDOW_SECONDS)}"
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.incr(key)
            pipe.expire(key, WINDOW_SECONDS * 2)
            count, _ = await pipe.execute()
        limit = self.per_minute * (KEY_MULTIPLIER if key_holder else 1)
        return _retry_after(now) if count > limit else 0


class FallbackRateLimiter:
    """Redis while it answers; the in-process count while it does not, asking Redis again
    every `retry_seconds` (so an outage costs one failed call per interval, not per request)."""

    def __init__(
        self, redis: RedisRateLimiter, memory: MemoryRateLimiter, retry_seconds: float = 5
    ) -> None:
        self.redis = redis
        self.memory = memory
        self.retry_seconds = retry_seconds
        self._down_until: float | None = None

    async def hit(self, bucket: str, *, key_holder: bool = False) -> int:
        now = time.monotonic()
        if self._down_until is None or now >= self._down_until:
            try:
                wait = await self.redis.hit(bucket, key_holder=key_holder)
            except (RedisError, OSError) as error:
                if self._down_until is None:
                    logger.warning("Redis unavailable (%r): rate limits count per worker", error)
                self._down_until = now + self.retry_seconds
            else:
                if self._down_until is not None:
                    logger.warning("Redis is back: rate limits are shared again")
                    self._down_until = None
                return wait
        return await self.memory.hit(bucket, key_holder=key_holder)


def _retry_after(now: float) -> int:
    return max(1, WINDOW_SECONDS - int(now % WINDOW_SECONDS))
