"""A fake provider's app on a real socket of 127.0.0.1, for as long as the `async with`
lasts: what the adapters talk to instead of the provider."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar

import uvicorn
from starlette.applications import Starlette
from starlette.responses import Response


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Fake(Protocol):
    url: str
    released: asyncio.Event

    def app(self) -> Starlette: ...


async def held(released: asyncio.Event) -> None:
    """A slow provider's answer: 3 s, longer than any client in the tests waits, or until
    `released` is set (by the test, or by the fake's server stopping, whose end would
    otherwise wait for it)."""
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(released.wait(), 3)


F = TypeVar("F", bound=Fake)


@dataclass
class Recording:
    """A fake provider that keeps each request; `mode` chooses its answer: ok, one of its
    errors, slow (longer than any client waits) or malformed (a proxy's HTML page)."""

    mode: str = "ok"
    requests: list[dict[str, Any]] = field(default_factory=list)
    url: str = ""
    released: asyncio.Event = field(default_factory=asyncio.Event)  # slow answers go on

    async def misbehaving(self) -> Response | None:
        if self.mode == "slow":
            await held(self.released)
        if self.mode == "malformed":
            return Response("<html>502 Bad Gateway</html>", status_code=502)
        return None


class LoopbackServer(Generic[F]):
    def __init__(self, fake: F) -> None:
        self.fake = fake
        self.port = free_port()
        self.fake.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(
            fake.app(), host="127.0.0.1", port=self.port, log_level="warning", lifespan="off"
        )
        self.server = uvicorn.Server(config)
        self.task: asyncio.Task[None] | None = None

    async def __aenter__(self) -> F:
        self.task = asyncio.create_task(self.server.serve())
        while not self.server.started:
            if self.task.done():
                self.task.result()
            await asyncio.sleep(0.02)
        return self.fake

    async def __aexit__(self, *exc: object) -> None:
        self.fake.released.set()
        self.server.should_exit = True
        if self.task:
            await self.task
