"""Fixed-window rate limits per API key or client address: in memory, or in Redis
so that every worker shares one count."""

from __future__ import annotations

import time
from typing import Protocol

from redis.asyncio import Redis

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
            count, _ = await pipe.incr(key).expire(key, WINDOW_SECONDS * 2).execute()
        limit = self.per_minute * (KEY_MULTIPLIER if key_holder else 1)
        return _retry_after(now) if count > limit else 0


def _retry_after(now: float) -> int:
    return max(1, WINDOW_SECONDS - int(now % WINDOW_SECONDS))
