"""Text longer than the column it is looked up in finds nothing, and is never an INTERNAL error.

Tortoise checks filter values like column values, so looking up a 500-character slug in a
120-character column raised instead of finding nothing (found by schemathesis).
"""

from tests.conftest import sign_up
from tests.ordering import contract
from tests.test_shops_catalog import CREATE_PRODUCT, add_product, open_shop

LONG = "ṱ̺o͞-" * 150  # combining marks too: long in characters, longer in bytes


async def test_lookups_by_slug_find_nothing(gql):
    for field in ("product", "shop"):
        result = await gql(f"query($s: String!) {{ {field}(slug: $s) {{ id }} }}", {"s": LONG})
        assert "errors" not in result, result
        assert result["data"] == {field: None}


async def test_login_with_a_long_email_is_a_wrong_login(gql):
    result = await gql(contract("Login"), {"email": f"{LONG}@contoh.id", "password": "x" * 12})
    assert [e["code"] for e in result["data"]["login"]["errors"]] == ["INVALID"]


async def test_a_long_category_slug_is_an_unknown_category(gql):
    owner = await sign_up(gql)
    shop = await open_shop(gql, owner["token"])
    body = {"shopId": shop["id"], "name": "Dodol", "price": 5000, "categorySlug": LONG}
    created = await gql(CREATE_PRODUCT, {"input": body}, token=owner["token"])
    errors = created["data"]["createProduct"]["errors"]
    assert [(e["field"], e["code"]) for e in errors] == [("categorySlug", "INVALID")]

    product = await add_product(gql, owner["token"], shop["id"])
    changed = await gql(
        contract("UpdateProduct"),
        {"id": product["id"], "input": {"categorySlug": LONG}},
        token=owner["token"],
    )
    errors = changed["data"]["updateProduct"]["errors"]
    assert [(e["field"], e["code"]) for e in errors] == [("categorySlug", "INVALID")]
