"""A fake provider's app on a real socket of 127.0.0.1, for as long as the `async with` lasts:
what the adapters talk to in tests instead of the provider."""

from __future__ import annotations

import asyncio
from typing import Generic, Protocol, TypeVar

import uvicorn
from starlette.applications import Starlette

from tests.conftest import free_port


class Fake(Protocol):
    url: str

    def app(self) -> Starlette: ...


F = TypeVar("F", bound=Fake)


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
        self.server.should_exit = True
        if self.task:
            await self.task
