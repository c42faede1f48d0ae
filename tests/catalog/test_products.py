"""Products through HTTP: validation, who may create and update them, paging, categories."""

import pytest

from tests.catalog.helpers import CREATE_PRODUCT, UPDATE_PRODUCT, add_product
from tests.conftest import sign_up
from tests.shops.helpers import open_shop

SHOP_PRODUCTS = """
query($slug: String!, $first: Int, $after: String) {
  shop(slug: $slug) {
    productCount
    products(first: $first, after: $after) {
      totalCount pageInfo { hasNextPage endCursor }
      edges { node { name status shop { name } category { slug parent { slug } } } }
    }
  }
}"""


async def test_product_validation_names_each_field(gql):
    owner = await sign_up(gql)
    shop = await open_shop(gql, owner["token"])
    body = {"shopId": shop["id"], "name": " ", "price": -1, "categorySlug": "tidak-ada",
            "stock": -5, "weightGrams": -1, "description": "x" * 10_001}  # fmt: skip
    payload = (await gql(CREATE_PRODUCT, {"input": body}, token=owner["token"]))["data"][
        "createProduct"
    ]
    assert payload["product"] is None
    assert {e["field"] for e in payload["errors"]} == {
        "name", "price", "categorySlug", "stock", "weightGrams", "description",
    }  # fmt: skip


async def test_price_beyond_int32_is_whole_rupiah(gql):
    owner = await sign_up(gql)
    shop = await open_shop(gql, owner["token"])
    product = await add_product(gql, owner["token"], shop["id"], price=3_000_000_000)
    assert product["price"] == {"amount": 3_000_000_000, "formatted": "Rp3.000.000.000"}


async def test_strangers_cannot_create_or_update_products(gql):
    owner = await sign_up(gql)
    stranger = await sign_up(gql)
    shop = await open_shop(gql, owner["token"])
    product = await add_product(gql, owner["token"], shop["id"])
    body = {"shopId": shop["id"], "name": "Palsu", "price": 1, "categorySlug": "keripik"}
    created = await gql(CREATE_PRODUCT, {"input": body}, token=stranger["token"])
    assert created["data"]["createProduct"]["errors"][0]["code"] == "PERMISSION_DENIED"
    updated = await gql(
        UPDATE_PRODUCT, {"id": product["id"], "input": {"price": 1}}, token=stranger["token"]
    )
    assert updated["data"]["updateProduct"]["errors"][0]["code"] == "PERMISSION_DENIED"


@pytest.mark.parametrize("viewer", ["public", "owner"])
async def test_public_sees_only_active_products_owner_sees_all(gql, viewer):
    owner = await sign_up(gql)
    shop = await open_shop(gql, owner["token"])
    await add_product(gql, owner["token"], shop["id"], name="Aktif")
    await add_product(gql, owner["token"], shop["id"], name="Draf", status="DRAFT")
    token = owner["token"] if viewer == "owner" else None
    data = (await gql(SHOP_PRODUCTS, {"slug": shop["slug"]}, token=token))["data"]["shop"]
    names = {e["node"]["name"] for e in data["products"]["edges"]}
    assert names == ({"Aktif", "Draf"} if viewer == "owner" else {"Aktif"})
    assert data["productCount"] == 1


async def test_products_page_through_without_gaps_or_duplicates(gql):
    owner = await sign_up(gql)
    shop = await open_shop(gql, owner["token"])
    for i in range(7):
        await add_product(gql, owner["token"], shop["id"], name=f"Produk {i}")
    seen, after = [], None
    while True:
        data = await gql(SHOP_PRODUCTS, {"slug": shop["slug"], "first": 3, "after": after})
        products = data["data"]["shop"]["products"]
        assert products["totalCount"] == 7
        seen += [e["node"]["name"] for e in products["edges"]]
        if not products["pageInfo"]["hasNextPage"]:
            break
        after = products["pageInfo"]["endCursor"]
    assert sorted(seen) == [f"Produk {i}" for i in range(7)]
    assert seen[0] == "Produk 6"


async def test_categories_tree_counts_active_products(gql):
    owner = await sign_up(gql)
    shop = await open_shop(gql, owner["token"])
    before = await gql(
        "query Categories { categories { slug productCount children { slug productCount } } }"
    )
    snack = next(c for c in before["data"]["categories"] if c["slug"] == "camilan-keripik")
    await add_product(gql, owner["token"], shop["id"], categorySlug="kerupuk")
    after = await gql(
        "query Categories { categories { slug productCount children { slug productCount } } }"
    )
    snack_after = next(c for c in after["data"]["categories"] if c["slug"] == "camilan-keripik")
    assert snack_after["productCount"] == snack["productCount"] + 1
    assert len(after["data"]["categories"]) == 8


async def test_a_category_lists_its_children_wherever_it_is_reached(gql):
    owner = await sign_up(gql)
    shop = await open_shop(gql, owner["token"])
    product = await add_product(gql, owner["token"], shop["id"], categorySlug="kerupuk")
    query = """query($slug: String!) { product(slug: $slug) {
      category { slug children { slug } parent { slug children { slug } } } } }"""
    category = (await gql(query, {"slug": product["slug"]}))["data"]["product"]["category"]
    assert category["parent"]["slug"] == "camilan-keripik"
    assert "kerupuk" in {c["slug"] for c in category["parent"]["children"]}
    assert category["children"] == []
