"""The storefront renders from the API over real HTTP, and says so plainly when the API is down."""

import httpx

from storefront.app import create_app
from tests.conftest import free_port, sign_up
from tests.test_shops_catalog import open_shop


async def get_beranda(api_url: str) -> httpx.Response:
    app = create_app(api_url)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://storefront") as client:
        response = await client.get("/")
    await app.state.api.close()
    return response


async def test_beranda_lists_categories_and_new_shops_from_the_api(live, gql):
    owner = await sign_up(gql)
    await open_shop(gql, owner["token"], name="Dapur Bu Ratna Karawaci")

    response = await get_beranda(live.url)

    assert response.status_code == 200
    assert '<html lang="id">' in response.text
    assert "Keripik" in response.text  # a seeded category
    assert "Dapur Bu Ratna Karawaci" in response.text


async def test_beranda_without_the_api_is_a_clear_503():
    response = await get_beranda(f"http://127.0.0.1:{free_port()}")

    assert response.status_code == 503
    assert "Layanan sedang tidak tersedia" in response.text
