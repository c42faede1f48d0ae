"""A server of the tests' database with other payout settings, and the services a sweep
runs with."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx

from resolvers.providers import Services
from server.app import make_services
from tests.conftest import GraphQL, LiveServer, make_settings


def services_of() -> Services:
    """The services of a server with the default (sandbox) providers."""
    return make_services(make_settings("sqlite://:memory:", Path("/tmp/unused")), None)


@asynccontextmanager
async def limited_server(
    live: LiveServer, tmp_path: Path, **settings: str
) -> AsyncIterator[tuple[GraphQL, httpx.AsyncClient, LiveServer]]:
    configured = make_settings(live.settings.database_url, tmp_path / "media", **settings)
    async with (
        LiveServer(configured, lifespan="off") as server,
        httpx.AsyncClient(base_url=server.url, timeout=30) as http,
    ):
        yield GraphQL(http), http, server
