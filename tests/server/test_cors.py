"""Browsers on other origins: CORS_ORIGINS opens HTTP (CORS) and WebSocket handshakes alike;
`satupintu demo` allows the local dev servers' origins, `serve` none unless named."""

from __future__ import annotations

import json

import httpx
import pytest
from websockets.exceptions import InvalidStatus

from server.settings import LOCAL_DEV_ORIGINS, Settings, SettingsError
from tests.conftest import LiveServer, make_settings
from tests.server.helpers import open_socket

VITE = "http://localhost:5173"
STRANGER = "http://jahat.example"
CATEGORIES = "{ categories { slug } }"


@pytest.fixture(scope="module")
async def campus(live, database_url, tmp_path_factory):
    """A server whose CORS_ORIGINS names one campus app."""
    media = tmp_path_factory.mktemp("cors") / "media"
    settings = make_settings(database_url, media, CORS_ORIGINS="https://tim-kampus.example")
    async with LiveServer(settings, lifespan="off") as server:
        yield server


@pytest.fixture(scope="module")
async def demo(live, database_url, tmp_path_factory):
    """A server with the demo's settings: no CORS_ORIGINS given."""
    media = tmp_path_factory.mktemp("cors-demo") / "media"
    settings = make_settings(database_url, media).allowing_local_dev_origins()
    async with LiveServer(settings, lifespan="off") as server:
        yield server


async def preflight(server: LiveServer, origin: str) -> httpx.Response:
    async with httpx.AsyncClient(base_url=server.url) as http:
        return await http.options(
            "/graphql",
            headers={
                "Origin": origin,
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "authorization, content-type",
            },
        )


async def query_from(server: LiveServer, origin: str) -> httpx.Response:
    async with httpx.AsyncClient(base_url=server.url) as http:
        return await http.post("/graphql", json={"query": CATEGORIES}, headers={"Origin": origin})


async def subscribes_from(server: LiveServer, origin: str) -> bool:
    """Whether a page on `origin` gets its socket: acknowledged and answering an operation;
    False when the handshake is refused (403)."""
    try:
        socket = await open_socket(server, {}, origin=origin)
    except InvalidStatus as refused:
        status = refused.response.status_code
    else:
        status = 101
    if status != 101:
        assert status == 403
        return False
    try:
        assert json.loads(await socket.recv()) == {"type": "connection_ack"}
        await socket.send(
            json.dumps({"id": "1", "type": "subscribe", "payload": {"query": CATEGORIES}})
        )
        answer = json.loads(await socket.recv())
        assert answer["type"] == "next", answer
        assert answer["payload"]["data"]["categories"]
    finally:
        await socket.close()
    return True


async def test_an_origin_in_cors_origins_reaches_http_and_websocket(campus):
    origin = "https://tim-kampus.example"
    allowed = await preflight(campus, origin)
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == origin
    assert "authorization" in allowed.headers["access-control-allow-headers"].lower()
    answer = await query_from(campus, origin)
    assert answer.headers["access-control-allow-origin"] == origin
    assert answer.json()["data"]["categories"]
    assert await subscribes_from(campus, origin)


async def test_another_origin_is_refused_on_http_and_websocket(campus):
    refused = await preflight(campus, VITE)
    assert refused.status_code == 400
    assert "access-control-allow-origin" not in refused.headers
    assert "access-control-allow-origin" not in (await query_from(campus, VITE)).headers
    assert not await subscribes_from(campus, VITE)


async def test_without_cors_origins_no_browser_origin_is_allowed(live):
    for origin in (VITE, STRANGER):
        assert (await preflight(live, origin)).status_code == 400
        assert not await subscribes_from(live, origin)


async def test_clients_that_are_not_browsers_need_no_origin(live):
    socket = await open_socket(live, {})
    try:
        assert json.loads(await socket.recv()) == {"type": "connection_ack"}
    finally:
        await socket.close()


async def test_the_demo_allows_the_local_dev_servers_and_no_one_else(demo):
    assert set(LOCAL_DEV_ORIGINS) == {
        "http://localhost:5173",
        "http://127.0.0.1:5173",
        "http://localhost:3000",
        "http://127.0.0.1:3000",
    }
    for origin in LOCAL_DEV_ORIGINS:
        assert (await preflight(demo, origin)).headers["access-control-allow-origin"] == origin
        assert await subscribes_from(demo, origin)
    assert (await preflight(demo, STRANGER)).status_code == 400
    assert not await subscribes_from(demo, STRANGER)
    assert not await subscribes_from(demo, "http://localhost:8080")


def test_the_demo_keeps_the_origins_it_is_given(tmp_path):
    env = {"SATUPINTU_VAR_DIR": str(tmp_path)}
    given = Settings.from_env({**env, "CORS_ORIGINS": "https://a.example, http://LOCALHOST:4000/"})
    assert given.cors_origins == ("https://a.example", "http://localhost:4000")
    assert given.allowing_local_dev_origins().cors_origins == given.cors_origins
    assert Settings.from_env(env).cors_origins == ()


@pytest.mark.parametrize(
    "value", ["localhost:5173", "http://localhost:5173/app", "ftp://x.example", "http://:80"]
)
def test_a_value_that_is_not_an_origin_is_named(value, tmp_path):
    with pytest.raises(SettingsError, match="CORS_ORIGINS"):
        Settings.from_env({"SATUPINTU_VAR_DIR": str(tmp_path), "CORS_ORIGINS": value})


async def test_a_star_allows_every_origin_on_http_and_websocket(live, database_url, tmp_path):
    settings = make_settings(database_url, tmp_path / "media", CORS_ORIGINS="*")
    async with LiveServer(settings, lifespan="off") as anyone:
        assert (await preflight(anyone, STRANGER)).headers["access-control-allow-origin"] == "*"
        assert await subscribes_from(anyone, STRANGER)
