"""Events over Redis pub/sub, so that a subscriber on any worker sees them."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from redis.asyncio import Redis

from resolvers.events import Event


class RedisBroker:
    def __init__(self, redis: Redis, prefix: str = "satupintu:events:") -> None:
        self.redis = redis
        self.prefix = prefix

    async def publish(self, channel: str, event: Event) -> None:
        await self.redis.publish(self.prefix + channel, json.dumps(event))

    @asynccontextmanager
    async def subscribe(self, channel: str) -> AsyncIterator[AsyncIterator[Event]]:
        pubsub = self.redis.pubsub()
        await pubsub.subscribe(self.prefix + channel)
        try:
            yield _messages(pubsub)
        finally:
            await pubsub.unsubscribe()
            await pubsub.aclose()


async def _messages(pubsub) -> AsyncIterator[Event]:
    async for message in pubsub.listen():
        if message["type"] == "message":
            yield json.loads(message["data"])
