"""The benchmark's three implementations of SearchProducts answer with the same data, so
that their throughput can be compared at all."""

import httpx
import pytest

from bench import handwritten, naive, search_kinds
from bench.search_mix import MIX
from schema.execution.operations import contract_operation
from tests.catalog.helpers import UPLOAD, add_product, picture, upload
from tests.conftest import make_settings, sign_up
from tests.shops.helpers import open_shop

SEARCH = contract_operation("SearchProducts")
VARIABLES = [
    {"query": "rengginang", "first": 5},
    {"query": "rengginank", "first": 5},  # a typo, corrected with a suggestion
    {"filter": {"halal": True, "categories": ["keripik"]}, "sort": "PRICE_ASC", "first": 3},
    {"query": "ketan", "sort": "NEWEST", "first": 2},
    # the heavy kinds of `bench.search_kinds`: a price range by price, in stock, best selling
    {"filter": {"priceMin": 8000, "priceMax": 15000}, "sort": "PRICE_ASC", "first": 3},
    {"query": "rengginang", "filter": {"inStock": True}, "first": 3},
    {"query": "rengginang", "sort": "BEST_SELLING", "first": 3},
]


@pytest.fixture
async def catalogue(gql, client):
    owner = await sign_up(gql)
    shop = await open_shop(gql, owner["token"], name="Rengginang Mak Iyah")
    for i, price in enumerate((9000, 12000, 15000, 7000)):
        item = await add_product(gql, owner["token"], shop["id"], name=f"Rengginang Ketan {i}",
                                 price=price, isHalal=i % 2 == 0)  # fmt: skip
        if i == 0:
            await upload(client, owner["token"], UPLOAD, {"productId": item["id"]}, "a.png",
                         picture("PNG"))  # fmt: skip


async def answer(app, variables: dict, base_url: str) -> dict:
    """The app's answer, asked as the API was (media URLs are on the host asked)."""
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=base_url) as http:
        response = await http.post("/graphql", json={"query": SEARCH, "variables": variables})
    assert response.status_code == 200
    return response.json()


@pytest.mark.parametrize("variables", VARIABLES)
async def test_handwritten_and_naive_answer_like_the_api(
    catalogue, live, gql, database_url, tmp_path, variables
):
    expected = await gql(SEARCH, variables)
    assert "errors" not in expected
    assert expected["data"]["products"]["edges"]
    assert (expected["data"]["products"]["suggestion"] is not None) == (
        "rengginank" in str(variables)
    )
    settings = make_settings(database_url, tmp_path / "media")

    for app in (handwritten.create_app(settings), naive.create_app(settings)):
        assert await answer(app, variables, live.url) == {"data": expected["data"]}


async def test_every_kind_of_search_is_drawn_from_the_catalogue(catalogue):
    found = await search_kinds.kinds(3)
    assert len(found) == 14
    assert set(search_kinds.HEAVY) <= set(found)
    for kind, searches in found.items():
        assert [s.label for s in searches] == [kind] * 3
    mixed = search_kinds.half_heavy(MIX, found)
    assert mixed[::2] == MIX
    assert [s.label for s in mixed[1::2]][: len(search_kinds.HEAVY)] == list(search_kinds.HEAVY)
