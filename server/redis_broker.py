"""Events over Redis pub/sub, so that a subscriber on any worker sees them.

While Redis does not answer, an event is dropped with a warning (the change it reports is
saved all the same) and a new subscription is refused with SERVICE_UNAVAILABLE."""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import RedisError

from resolvers.platform import Event, ServiceUnavailable

logger = logging.getLogger("satupintu.events")
LIVE_UNAVAILABLE = "Siaran langsung sedang tidak tersedia. Coba lagi beberapa saat lagi."


REDIS_TIMEOUTS: dict[str, Any] = {"socket_connect_timeout": 1, "socket_timeout": 5}


def redis_client(url: str) -> Redis:
    """A client that gives up quickly on a Redis that does not answer."""
    return Redis.from_url(url, **REDIS_TIMEOUTS)


class RedisBroker:
    def __init__(self, redis: Redis, prefix: str = "satupintu:events:") -> None:
        self.redis = redis
        self.prefix = prefix

    async def publish(self, channel: str, event: Event) -> None:
        try:
            await self.redis.publish(self.prefix + channel, json.dumps(event))
        except (RedisError, OSError) as error:
            logger.warning("Redis unavailable (%r): event on %s not delivered", error, channel)

    @asynccontextmanager
    async def subscribe(self, channel: str) -> AsyncIterator[AsyncIterator[Event]]:
        pubsub = self.redis.pubsub()
        try:
            await pubsub.subscribe(self.prefix + channel)
        except (RedisError, OSError) as error:
            await pubsub.aclose()
            raise ServiceUnavailable(LIVE_UNAVAILABLE) from error
        try:
            yield _messages(pubsub)
        finally:
            await pubsub.unsubscribe()
            await pubsub.aclose()


async def _messages(pubsub) -> AsyncIterator[Event]:
    try:
        async for message in pubsub.listen():
            if message["type"] == "message":
                yield json.loads(message["data"])
    except (RedisError, OSError) as error:
        raise ServiceUnavailable(LIVE_UNAVAILABLE) from error
