"""Options and variants through HTTP: each rule of the marketplace contract from the right
and the wrong side, and the product's figures that follow its variants."""

from __future__ import annotations

import pytest
from graphql import REMOVE, FieldNode, Visitor, parse, print_ast, validate, visit

from models.catalog import Product, ProductOption, ProductVariant
from schema import build_schema
from schema.platform.ids import decode_id
from tests.catalog.helpers import UPDATE_PRODUCT, add_product
from tests.catalog.variant_helpers import (
    COLOURS,
    SIZES,
    batik_shirt,
    create_variant,
    set_options,
    update_variant,
)
from tests.conftest import sign_up
from tests.orders.complaint_helpers import op
from tests.orders.helpers import seller_with_products

VARIANT_OPERATIONS = ["SetProductOptions", "CreateProductVariant", "UpdateProductVariant",
                      "AddVariantToCart"]  # fmt: skip


def _without(name: str, *fields: str) -> str:
    """The contract's operation `name` without the product's `fields`."""

    class Drop(Visitor):
        def enter_field(self, node: FieldNode, *_: object) -> object:
            return REMOVE if node.name.value in fields else None

    return print_ast(visit(parse(op(name)), Drop()))


# ProductDetails without rating and reviews (they come with the reviews branch).
PRODUCT_PAGE = _without("ProductDetails", "rating", "reviews").replace(
    "$reviewsFirst: Int = 10", ""
)


@pytest.mark.parametrize("name", VARIANT_OPERATIONS)
def test_the_contract_operation_validates(name):
    errors = validate(build_schema()._schema, parse(op(name)))
    assert errors == [], [e.message for e in errors]


def test_the_product_page_query_validates():
    assert validate(build_schema()._schema, parse(PRODUCT_PAGE)) == []


async def page(gql, slug: str, token: str | None = None) -> dict:
    answer = await gql(PRODUCT_PAGE, {"slug": slug}, token=token)
    assert "errors" not in answer, answer
    return answer["data"]["product"]


async def test_a_product_without_options_is_one_default_variant(gql):
    owner, _, (product,) = await seller_with_products(gql, price=20000, stock=7)
    shown = await page(gql, product["slug"])
    assert shown["options"] == []
    (default,) = shown["variants"]
    assert (default["sku"], default["name"], default["stock"], default["price"]["amount"]) == (
        None, "", 7, 20000,
    )  # fmt: skip
    assert shown["priceRange"]["min"]["amount"] == shown["priceRange"]["max"]["amount"] == 20000
    # The product mutations edit it.
    changed = await gql(
        UPDATE_PRODUCT, {"id": product["id"], "input": {"price": 21000, "stock": 3}},
        token=owner["token"],
    )  # fmt: skip
    assert changed["data"]["updateProduct"]["errors"] == []
    (default,) = (await page(gql, product["slug"]))["variants"]
    assert (default["stock"], default["price"]["amount"]) == (3, 21000)


async def test_variants_carry_the_figures_of_the_product(gql):
    owner, _, product, made = await batik_shirt(gql)
    shown = await page(gql, product["slug"])
    assert shown["options"] == [SIZES, COLOURS]
    assert [v["name"] for v in shown["variants"]] == ["M / Merah", "L / Biru"]
    assert shown["variants"][0]["options"] == [
        {"name": "Ukuran", "value": "M"}, {"name": "Warna", "value": "Merah"},
    ]  # fmt: skip
    assert (shown["stock"], shown["inStock"], shown["price"]["formatted"]) == (10, True, "Rp35.000")
    assert (shown["priceRange"]["min"]["amount"], shown["priceRange"]["max"]["amount"]) == (
        35000, 45000,
    )  # fmt: skip
    # The cheaper one leaves: the lowest active price and the stock follow.
    done = await update_variant(gql, owner["token"], made["M / Merah"]["id"], isActive=False)
    assert done["errors"] == []
    assert done["product"]["price"]["amount"] == 45000
    assert done["product"]["stock"] == 5
    public = await page(gql, product["slug"])
    assert [v["name"] for v in public["variants"]] == ["L / Biru"]  # others see active ones
    own = await page(gql, product["slug"], owner["token"])
    assert [v["isActive"] for v in own["variants"]] == [False, True]  # the owner sees all
    done = await update_variant(gql, owner["token"], made["L / Biru"]["id"], stock=0)
    assert (done["product"]["stock"], done["product"]["inStock"]) == (0, False)
    row = await Product.get(id=decode_id(product["id"], "Product"))
    assert (row.price, row.stock) == (45000, 0)


async def test_first_options_stop_the_default_variant(gql):
    owner, _, (product,) = await seller_with_products(gql, price=20000, stock=7)
    done = await set_options(gql, owner["token"], product["id"], [SIZES])
    assert done["errors"] == []
    assert done["product"]["options"] == [SIZES]
    assert done["product"]["variants"] == []
    row = await Product.get(id=decode_id(product["id"], "Product"))
    assert row.stock == 0
    made = await create_variant(gql, owner["token"], product["id"], values={"Ukuran": "S"})
    assert made["errors"] == []
    assert made["variant"]["name"] == "S"
    assert made["product"]["stock"] == 5


async def test_options_limits_and_mistakes(gql):
    owner, _, (product,) = await seller_with_products(gql)
    token, pid = owner["token"], product["id"]
    four = [{"name": f"Pilihan {i}", "values": ["a"]} for i in range(4)]
    cases = [
        (four, ("options", "LIMIT_EXCEEDED")),
        ([{"name": "Ukuran", "values": [str(i) for i in range(21)]}],
         ("options.0.values", "LIMIT_EXCEEDED")),
        ([{"name": " ", "values": ["a"]}], ("options.0.name", "REQUIRED")),
        ([{"name": "Ukuran", "values": []}], ("options.0.values", "INVALID")),
        ([{"name": "Ukuran", "values": ["M", "m"]}], ("options.0.values", "INVALID")),
        ([SIZES, {"name": "ukuran", "values": ["a"]}], ("options.1.name", "INVALID")),
    ]  # fmt: skip
    for options, expected in cases:
        done = await set_options(gql, token, pid, options)
        assert (done["errors"][0]["field"], done["errors"][0]["code"]) == expected, options
        assert done["product"] is None
    assert not await ProductOption.exists(product_id=decode_id(pid, "Product"))
    # The right side of each limit.
    three = [{"name": f"Pilihan {i}", "values": [str(v) for v in range(20)]} for i in range(3)]
    assert (await set_options(gql, token, pid, three))["errors"] == []


async def test_only_the_owner_sets_options_and_variants(gql):
    owner, _, product, made = await batik_shirt(gql)
    stranger = await sign_up(gql, "Orang Lain")
    done = await set_options(gql, stranger["token"], product["id"], [SIZES])
    assert done["errors"][0]["code"] == "PERMISSION_DENIED"
    done = await create_variant(gql, stranger["token"], product["id"], sku="X-1")
    assert done["errors"][0]["code"] == "PERMISSION_DENIED"
    done = await update_variant(gql, stranger["token"], made["M / Merah"]["id"], price=1)
    assert done["errors"][0]["code"] == "PERMISSION_DENIED"
    # An inactive variant, and a draft product, are not there for them.
    await update_variant(gql, owner["token"], made["L / Biru"]["id"], isActive=False)
    done = await update_variant(gql, stranger["token"], made["L / Biru"]["id"], price=1)
    assert done["errors"][0]["code"] == "NOT_FOUND"
    draft = await add_product(gql, owner["token"], (await _shop_of(product)), status="DRAFT")
    done = await set_options(gql, stranger["token"], draft["id"], [SIZES])
    assert done["errors"][0]["code"] == "NOT_FOUND"
    # Nothing changed.
    variant = await ProductVariant.get(id=decode_id(made["M / Merah"]["id"], "ProductVariant"))
    assert variant.price == 35000


async def _shop_of(product: dict) -> str:
    from schema.platform.ids import encode_id

    row = await Product.get(id=decode_id(product["id"], "Product"))
    return encode_id("Shop", row.shop_id)


async def test_variant_rules(gql):
    owner, _, product, made = await batik_shirt(gql)
    token, pid = owner["token"], product["id"]
    wrong = [
        ({"sku": "BTK-M-MERAH", "values": {"Ukuran": "S", "Warna": "Biru"}}, ("sku", "DUPLICATE")),
        ({"sku": "BTK-NEW", "values": {"Ukuran": "M", "Warna": "Merah"}}, ("options", "DUPLICATE")),
        ({"sku": "BTK-NEW", "values": {"Ukuran": "M"}}, ("options", "INVALID")),
        ({"sku": "BTK-NEW", "values": {"Ukuran": "XL", "Warna": "Biru"}}, ("options", "INVALID")),
        ({"sku": "BTK-NEW", "values": {"Ukuran": "S", "Warna": "Biru", "Bahan": "Katun"}},
         ("options", "INVALID")),
        ({"sku": "BTK-NEW", "values": {"Ukuran": "S", "Warna": "Biru"}, "price": 0},
         ("price", "INVALID")),
        ({"sku": "BTK-NEW", "values": {"Ukuran": "S", "Warna": "Biru"}, "stock": -1},
         ("stock", "INVALID")),
        ({"sku": "BTK-NEW", "values": {"Ukuran": "S", "Warna": "Biru"}, "weightGrams": -1},
         ("weightGrams", "INVALID")),
        ({"sku": " ", "values": {"Ukuran": "S", "Warna": "Biru"}}, ("sku", "REQUIRED")),
    ]  # fmt: skip
    for given, expected in wrong:
        done = await create_variant(gql, token, pid, **given)
        assert [(e["field"], e["code"]) for e in done["errors"]][:1] == [expected], given
    assert await ProductVariant.filter(product_id=decode_id(pid, "Product")).count() == 3
    # Values are matched without regard to case, and another shop may use the same SKU.
    done = await create_variant(
        gql, token, pid, sku="BTK-S-BIRU", values={"ukuran": "s", "WARNA": "biru"}, weightGrams=250
    )
    assert done["errors"] == []
    assert (done["variant"]["name"], done["variant"]["weightGrams"]) == ("S / Biru", 250)
    _, _, other_product, _ = await batik_shirt(gql)
    assert other_product["id"] != pid
    # An update to another variant's SKU or values is DUPLICATE; to its own is fine.
    m_id = made["M / Merah"]["id"]
    done = await update_variant(gql, token, m_id, sku="BTK-L-BIRU")
    assert done["errors"][0]["code"] == "DUPLICATE"
    dup = [{"name": "Ukuran", "value": "L"}, {"name": "Warna", "value": "Biru"}]
    assert (await update_variant(gql, token, m_id, options=dup))["errors"][0]["code"] == "DUPLICATE"
    assert (await update_variant(gql, token, m_id, sku="BTK-M-MERAH"))["errors"] == []
    done = await update_variant(gql, token, m_id, price=0)
    assert done["errors"][0]["code"] == "INVALID"


async def test_a_used_value_cannot_be_removed(gql):
    owner, _, product, _ = await batik_shirt(gql)
    token, pid = owner["token"], product["id"]
    fewer = [{"name": "Ukuran", "values": ["S", "L"]}, COLOURS]  # M is used
    done = await set_options(gql, token, pid, fewer)
    assert done["errors"][0]["code"] == "INVALID_STATE"
    assert (await set_options(gql, token, pid, [SIZES]))["errors"][0]["code"] == "INVALID_STATE"
    third = [SIZES, COLOURS, {"name": "Bahan", "values": ["Katun"]}]
    assert (await set_options(gql, token, pid, third))["errors"][0]["code"] == "INVALID_STATE"
    # Adding values is allowed, and so is removing one nobody uses.
    more = [{"name": "Ukuran", "values": ["S", "M", "L", "XL"]}, COLOURS]
    assert (await set_options(gql, token, pid, more))["errors"] == []
    less = [{"name": "Ukuran", "values": ["M", "L", "XL"]}, COLOURS]
    done = await set_options(gql, token, pid, less)
    assert done["errors"] == []
    assert done["product"]["options"][0]["values"] == ["M", "L", "XL"]


async def test_the_101st_variant_is_over_the_limit(gql):
    owner, _, (product,) = await seller_with_products(gql)
    token, pid = owner["token"], product["id"]
    options = [{"name": "Nomor", "values": [str(i) for i in range(20)]},
               {"name": "Huruf", "values": list("ABCDEF")}]  # fmt: skip
    assert (await set_options(gql, token, pid, options))["errors"] == []
    pk = decode_id(pid, "Product")
    row = await Product.get(id=pk)
    await ProductVariant.bulk_create(
        [
            ProductVariant(product_id=pk, shop_id=row.shop_id, sku=f"V{i}", price=1000,
                           option_values={"Nomor": str(i % 20), "Huruf": "ABCDE"[i // 20]})
            for i in range(99)
        ]
    )  # fmt: skip
    done = await create_variant(gql, token, pid, sku="V99", values={"Nomor": "19", "Huruf": "E"})
    assert done["errors"] == []  # the 100th
    done = await create_variant(gql, token, pid, sku="V100", values={"Nomor": "0", "Huruf": "F"})
    assert done["errors"][0]["code"] == "LIMIT_EXCEEDED"


async def test_an_image_of_another_product_is_refused(gql):
    owner, _, _, made = await batik_shirt(gql)
    done = await update_variant(
        gql, owner["token"], made["M / Merah"]["id"], imageId="SW1hZ2U6OTk5OTk="
    )
    assert (done["errors"][0]["field"], done["errors"][0]["code"]) == ("imageId", "INVALID")


async def test_product_mutations_refuse_figures_of_a_product_with_options(gql):
    owner, _, product, _ = await batik_shirt(gql)
    changed = await gql(
        UPDATE_PRODUCT, {"id": product["id"], "input": {"price": 1000}}, token=owner["token"]
    )
    assert changed["data"]["updateProduct"]["errors"][0]["code"] == "INVALID"
    assert (await page(gql, product["slug"]))["price"]["amount"] == 35000


SEARCH = """query($filter: ProductFilter, $sort: ProductSort) {
  products(filter: $filter, sort: $sort, first: 20) {
    totalCount
    edges { node { name price { amount } priceRange { min { amount } max { amount } } } }
  }
}"""


async def test_the_price_filter_and_sorts_speak_of_variants(gql):
    owner, shop, _, made = await batik_shirt(gql)  # Rp35.000 and Rp45.000
    await add_product(gql, owner["token"], shop["id"], name="Kain Polos", price=40000)
    await update_variant(gql, owner["token"], made["L / Biru"]["id"], price=60000)

    async def names(sort: str = "PRICE_ASC", **prices: int) -> list[str]:
        filter = {"shop": shop["id"], **prices}
        answer = await gql(SEARCH, {"filter": filter, "sort": sort})
        assert "errors" not in answer, answer
        found = answer["data"]["products"]
        assert found["totalCount"] == len(found["edges"])
        return [edge["node"]["name"] for edge in found["edges"]]

    shirt_name = "Kemeja Batik Parang"
    assert await names() == [shirt_name, "Kain Polos"]  # by the lowest price, Rp35.000 first
    assert await names("PRICE_DESC") == ["Kain Polos", shirt_name]
    assert await names(priceMin=50000) == [shirt_name]  # its Rp60.000 variant
    assert await names(priceMin=50000, priceMax=70000) == [shirt_name]
    assert await names(priceMin=38000, priceMax=50000) == ["Kain Polos"]  # none of its variants
    assert await names(priceMax=36000) == [shirt_name]
    assert await names(priceMin=61000) == []
    # An inactive variant does not count.
    await update_variant(gql, owner["token"], made["L / Biru"]["id"], isActive=False)
    assert await names(priceMin=50000) == []
