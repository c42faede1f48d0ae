"""The ORM's lifespan for the benchmark's own apps, as the API registers it."""

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

from starlette.applications import Starlette
from tortoise.contrib.starlette import RegisterTortoise

from server.database import prepare, tortoise_config


def orm_lifespan(database_url: str) -> Callable[[Starlette], AbstractAsyncContextManager[None]]:
    prepare(database_url)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        async with RegisterTortoise(app, config=tortoise_config(database_url)):
            yield

    return lifespan
