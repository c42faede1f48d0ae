"""The API as other clients and workers reach it: a WebSocket of graphql-transport-ws, the
API in a process of its own, and the subscriptions its events broker holds."""

import asyncio
import json
import os
import sys

import httpx
from websockets.asyncio.client import connect

from resolvers.platform.events import LocalBroker
from server.redis_broker import RedisBroker
from tests.conftest import TEST_SECRET, free_port


async def open_socket(live, payload, *, origin: str | None = None):
    """A graphql-transport-ws socket after its connection_init; `origin` as a browser's page."""
    url = live.url.replace("http://", "ws://") + "/graphql"
    socket = await connect(url, subprotocols=["graphql-transport-ws"], origin=origin)
    await socket.send(json.dumps({"type": "connection_init", "payload": payload}))
    return socket


async def listeners(broker, channel: str) -> int:
    """How many subscriptions the broker has on `channel`, on this worker or in Redis."""
    if isinstance(broker, LocalBroker):
        return len(broker._queues.get(channel, ()))
    assert isinstance(broker, RedisBroker)
    counts = await broker.redis.pubsub_numsub(broker.prefix + channel)
    return counts[0][1]


async def wait_for_listeners(broker, channel: str, count: int = 1) -> None:
    for _ in range(300):
        if await listeners(broker, channel) >= count:
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the subscription never reached the broker")


class ServerProcess:
    """The API in its own uvicorn process, on the same database (and Redis, when it has one)
    as `live`; `extra_env` adds settings (e.g. TEST_CLOCK for a second sandbox)."""

    def __init__(self, live, tmp_path, **extra_env: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        settings = live.settings
        self.env = {
            **os.environ,
            "DATABASE_URL": settings.database_url,
            "SECRET_KEY": TEST_SECRET,
            "SATUPINTU_VAR_DIR": str(tmp_path),
            "RATE_LIMIT_PER_MINUTE": "100000",
            "AUTH_FAILURES_PER_MINUTE": "100000",
            "REDIS_KEY_PREFIX": settings.redis_key_prefix,
            **extra_env,
        }
        if settings.redis_url:
            self.env["REDIS_URL"] = settings.redis_url

    async def __aenter__(self):
        self.process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "uvicorn", "server.main:app", "--port", str(self.port),
            "--log-level", "warning", env=self.env,
        )  # fmt: skip
        async with httpx.AsyncClient() as http:
            for _ in range(600):
                try:
                    if (await http.get(f"{self.url}/healthz")).status_code == 200:
                        return self
                except httpx.HTTPError:
                    pass
                await asyncio.sleep(0.05)
        self.process.kill()
        raise AssertionError("the second server did not start")

    async def __aexit__(self, *exc) -> None:
        self.process.terminate()
        await asyncio.wait_for(self.process.wait(), 15)
