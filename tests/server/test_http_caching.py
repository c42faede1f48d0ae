"""Public anonymous GET reads are cacheable for PUBLIC_MAX_AGE seconds, with an ETag and 304;
nothing else is, and a revalidation after a write gets the new answer."""

from __future__ import annotations

import httpx

from schema.execution.operations import contract_operation
from tests.catalog.helpers import UPDATE_PRODUCT
from tests.conftest import LiveServer, make_settings, sign_up
from tests.orders.helpers import seller_with_products
from tests.server.persisted import CREATE_KEY, get

CATEGORIES = contract_operation("Categories")
PRODUCT_PAGE = contract_operation("ProductPage")


async def test_an_anonymous_get_is_public_with_an_etag_and_revalidates_to_304(client):
    first = await get(client, CATEGORIES)
    assert first.status_code == 200
    assert first.headers["cache-control"] == "public, max-age=30"
    assert "Authorization" in first.headers["vary"]
    tag = first.headers["etag"]

    again = await get(client, CATEGORIES, headers={"If-None-Match": tag})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == tag
    assert again.headers["cache-control"] == "public, max-age=30"

    weak = await get(client, CATEGORIES, headers={"If-None-Match": f'"other", W/{tag}'})
    assert weak.status_code == 304
    stale = await get(client, CATEGORIES, headers={"If-None-Match": '"other"'})
    assert stale.status_code == 200
    assert stale.content == first.content


async def test_requests_with_credentials_are_not_stored(client, gql):
    user = await sign_up(gql)
    key = (await gql(CREATE_KEY, {"name": "Tim Kampus"}, token=user["token"]))["data"]
    for headers in (
        {"Authorization": f"Bearer {user['token']}"},
        {"X-Api-Key": key["createApiKey"]["key"]},
        {"Cookie": "satupintu=x"},
    ):
        answer = await get(client, CATEGORIES, headers=headers)
        assert answer.status_code == 200
        assert answer.headers["cache-control"] == "no-store", headers
        assert "etag" not in answer.headers
        tag = (await get(client, CATEGORIES)).headers["etag"]
        conditional = await get(client, CATEGORIES, headers={**headers, "If-None-Match": tag})
        assert conditional.status_code == 200


async def test_posts_mutations_and_errors_are_not_stored(client):
    posted = await client.post("/graphql", json={"query": CATEGORIES})
    assert posted.headers["cache-control"] == "no-store"
    mutation = await client.post("/graphql", json={"query": "mutation { logout { ok } }"})
    assert mutation.headers["cache-control"] == "no-store"
    refused = await get(client, contract_operation("SearchProducts"), {"first": -1})
    assert refused.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert refused.headers["cache-control"] == "no-store"


async def test_a_revalidation_after_a_price_change_gets_the_new_price(client, gql):
    owner, _shop, (product,) = await seller_with_products(gql, price=15000)
    variables = {"slug": product["slug"]}
    before = await get(client, PRODUCT_PAGE, variables)
    assert before.json()["data"]["product"]["price"]["amount"] == 15000
    old_tag = before.headers["etag"]

    changed = await gql(
        UPDATE_PRODUCT, {"id": product["id"], "input": {"price": 17500}}, token=owner["token"]
    )
    assert changed["data"]["updateProduct"]["errors"] == []

    after = await get(client, PRODUCT_PAGE, variables, headers={"If-None-Match": old_tag})
    assert after.status_code == 200
    assert after.json()["data"]["product"]["price"]["amount"] == 17500
    new_tag = after.headers["etag"]
    assert new_tag != old_tag
    current = await get(client, PRODUCT_PAGE, variables, headers={"If-None-Match": new_tag})
    assert current.status_code == 304


async def test_max_age_is_the_setting(live, database_url, tmp_path):
    settings = make_settings(database_url, tmp_path / "media", PUBLIC_MAX_AGE="7")
    async with (
        LiveServer(settings, lifespan="off") as server,
        httpx.AsyncClient(base_url=server.url) as http,
    ):
        answer = await get(http, CATEGORIES)
    assert answer.headers["cache-control"] == "public, max-age=7"
