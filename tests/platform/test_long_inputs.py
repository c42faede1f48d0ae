"""Text that cannot be in a column finds nothing, and is never an INTERNAL error.

Tortoise checks filter values like column values, so looking up a 500-character slug in a
120-character column raised instead of finding nothing (found by schemathesis). Ids beyond
BIGINT, or written in other scripts' digits, broke the same way.
"""

import base64

import pytest

from resolvers.shops.nib import is_valid_nib
from schema.platform.ids import encode_id
from tests.catalog.helpers import CREATE_PRODUCT, add_product
from tests.conftest import contract, sign_up
from tests.shops.helpers import open_shop

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


NOT_ROW_IDS = ["9" * 30, str(2**63), "٣", "²", "-5", " 5", ""]


@pytest.mark.parametrize("number", NOT_ROW_IDS)
async def test_ids_that_no_row_can_have_find_nothing(gql, number):
    owner = await sign_up(gql)
    token = owner["token"]
    for type_name in ("Product", "Shop", "Image", "User", "Order", "Cooperative", "CartLine"):
        found = await gql(
            "query($id: ID!) { node(id: $id) { id } }", {"id": encode_id(type_name, number)}
        )
        assert "errors" not in found, (type_name, found)
        assert found["data"] == {"node": None}

    body = {"shopId": encode_id("Shop", number), "name": "Dodol", "price": 5000,
            "categorySlug": "keripik"}  # fmt: skip
    created = (await gql(CREATE_PRODUCT, {"input": body}, token=token))["data"]["createProduct"]
    assert [(e["field"], e["code"]) for e in created["errors"]] == [("shopId", "NOT_FOUND")]
    added = await gql(
        contract("AddToCart"), {"productId": encode_id("Product", number), "quantity": 1},
        token=token,
    )  # fmt: skip
    assert [e["code"] for e in added["data"]["addToCart"]["errors"]] == ["NOT_FOUND"]

    searched = await gql(
        "query($f: ProductFilter) { products(filter: $f) { totalCount } }",
        {"f": {"shop": encode_id("Shop", number)}},
    )
    assert [e["extensions"]["code"] for e in searched["errors"]] == ["BAD_USER_INPUT"]
    cursor = base64.urlsafe_b64encode(f"id:{number}".encode()).decode()
    shop = await open_shop(gql, token)
    paged = await gql(contract("ShopPage"), {"slug": shop["slug"], "after": cursor})
    assert [e["extensions"]["code"] for e in paged["errors"]] == ["BAD_USER_INPUT"]


def test_a_nib_is_thirteen_ascii_digits():
    assert is_valid_nib("1234567890123")
    assert not is_valid_nib("1234567890123\n")
    assert not is_valid_nib("١٢٣٤٥٦٧٨٩٠١٢٣")
    assert not is_valid_nib("123456789012")
