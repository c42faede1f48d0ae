"""A server of the API whose settings choose the real adapters, pointed at a fake provider
(`fakes/`, each on a socket of 127.0.0.1)."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from resolvers.providers import Services
from server.app import make_services
from tests.conftest import GraphQL, LiveServer, make_settings


@dataclass(frozen=True)
class Api:
    """A server of its own on the tests' database, with the providers its settings chose."""

    url: str
    gql: GraphQL
    services: Services  # the same providers, for running its sweeps from the test


@contextlib.asynccontextmanager
async def api_with(
    live: LiveServer,
    media: Path,
    monkeypatch: pytest.MonkeyPatch,
    env: Mapping[str, str],
    **settings: str,
) -> AsyncIterator[Api]:
    """`env` is where the adapters read their variables (the process environment, as in
    production); `settings` are the server's own, such as which provider."""
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    chosen = make_settings(live.settings.database_url, media, **settings)
    async with (
        LiveServer(chosen, lifespan="off") as api,
        httpx.AsyncClient(base_url=api.url, timeout=30) as http,
    ):
        yield Api(api.url, GraphQL(http), make_services(chosen, None))
