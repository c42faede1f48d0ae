"""Every image URL the API returns is absolute, so that an app on another origin can load it:
on PUBLIC_URL when it is set, else on the scheme and host the request came to (HTTP and
WebSocket alike); S3's URLs are left as the store gives them (tests/media/test_s3_uploads.py)."""

import json

import httpx
import pytest

from tests.catalog.helpers import UPLOAD, add_product, picture, upload
from tests.conftest import LiveServer, make_settings, sign_up
from tests.server.helpers import open_socket
from tests.shops.helpers import open_shop

PHOTOS = """query($slug: String!) { product(slug: $slug) {
  images { url thumbnail(width: 320) { url } } thumbnail(width: 160) { url } } }"""


@pytest.fixture
async def pictured(gql, client):
    """The slug of a product with one photo."""
    owner = await sign_up(gql)
    shop = await open_shop(gql, owner["token"])
    item = await add_product(gql, owner["token"], shop["id"])
    variables = {"productId": item["id"], "alt": "Foto"}
    done = await upload(client, owner["token"], UPLOAD, variables, "foto.png", picture("PNG"))
    assert done["data"]["uploadProductImage"]["errors"] == []
    return item["slug"]


def urls(product: dict) -> list[str]:
    (image,) = product["images"]
    return [image["url"], image["thumbnail"]["url"], product["thumbnail"]["url"]]


async def photos(http: httpx.AsyncClient, slug: str, **headers: str) -> list[str]:
    answer = await http.post(
        "/graphql", json={"query": PHOTOS, "variables": {"slug": slug}}, headers=headers
    )
    return urls(answer.json()["data"]["product"])


async def test_urls_are_on_the_host_the_request_came_to(live, client, pictured):
    found = await photos(client, pictured)
    assert all(url.startswith(f"{live.url}/media/") for url in found), found
    async with httpx.AsyncClient() as elsewhere:  # what a page on another origin does
        assert (await elsewhere.get(found[0])).status_code == 200
    renamed = await photos(client, pictured, host="api.kampus.test:8443")
    assert all(url.startswith("http://api.kampus.test:8443/media/") for url in renamed)
    # behind a TLS proxy listed in FORWARDED_ALLOW_IPS (127.0.0.1 by default)
    proxied = await photos(client, pictured, **{"x-forwarded-proto": "https"})
    assert all(url.startswith(f"https://127.0.0.1:{live.port}/media/") for url in proxied)


async def test_urls_over_the_websocket_are_absolute_too(live, pictured):
    socket = await open_socket(live, {})
    assert json.loads(await socket.recv()) == {"type": "connection_ack"}
    try:
        payload = {"query": PHOTOS, "variables": {"slug": pictured}}
        await socket.send(json.dumps({"id": "1", "type": "subscribe", "payload": payload}))
        message = json.loads(await socket.recv())
    finally:
        await socket.close()
    found = urls(message["payload"]["data"]["product"])
    assert all(url.startswith(f"{live.url}/media/") for url in found), found


async def test_public_url_wins_over_the_request(live, database_url, tmp_path, pictured):
    settings = make_settings(
        database_url, live.settings.media_root, PUBLIC_URL="https://api.satupintu.test/v1/"
    )
    async with (
        LiveServer(settings, lifespan="off") as server,
        httpx.AsyncClient(base_url=server.url) as http,
    ):
        found = await photos(http, pictured)
    assert all(url.startswith("https://api.satupintu.test/v1/media/") for url in found), found
    served = found[0].removeprefix("https://api.satupintu.test/v1")
    async with httpx.AsyncClient(base_url=live.url) as http:
        assert (await http.get(served)).status_code == 200
