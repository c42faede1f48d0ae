"""Following a cooperative's live feed of postings (CooperativeTransactions over
graphql-transport-ws), as members and pengurus do."""

import asyncio
import json

from redis.asyncio import Redis

from resolvers.cooperatives.books import transactions_channel
from schema.platform.ids import decode_id
from server.redis_broker import RedisBroker
from tests.conftest import contract
from tests.server.helpers import open_socket, wait_for_listeners


async def follow(server, token: str | None, cooperative_id: str, query=None, **variables):
    socket = await open_socket(server, {"authorization": f"Bearer {token}"} if token else {})
    assert json.loads(await socket.recv()) == {"type": "connection_ack"}
    await socket.send(json.dumps({
        "id": "1", "type": "subscribe",
        "payload": {"query": query or contract("CooperativeTransactions"),
                    "variables": {"cooperativeId": cooperative_id, **variables}},
    }))  # fmt: skip
    return socket


async def wait_for_followers(broker, cooperative_id: str, count: int = 1) -> None:
    channel = transactions_channel(decode_id(cooperative_id, "Cooperative"))
    await wait_for_listeners(broker, channel, count)


async def wait_for_followers_on_redis(live, cooperative_id: str) -> None:
    """Until another worker's follower listens on Redis."""
    redis = Redis.from_url(live.settings.redis_url)
    try:
        broker = RedisBroker(redis, f"{live.settings.redis_key_prefix}events:")
        await wait_for_followers(broker, cooperative_id)
    finally:
        await redis.aclose()


async def next_line(socket) -> dict:
    message = json.loads(await asyncio.wait_for(socket.recv(), 1.0))  # within a second
    assert message["type"] == "next", message
    return message["payload"]["data"]["cooperativeTransactions"]
