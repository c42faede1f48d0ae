"""Cart lines per variant, checkout taking each variant's stock (never below zero, however
many buyers race, never another variant's), and every way stock comes back to the variant."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from models.catalog import Product, ProductVariant
from schema.platform.ids import decode_id
from tests.catalog.variant_helpers import batik_shirt, update_variant
from tests.conftest import GraphQL, city_admin, contract, sign_up
from tests.orders.complaint_helpers import Sale, op, open_complaint, respond
from tests.orders.helpers import (
    CANCEL,
    add_to_cart,
    checkout,
    checkout_input,
    move,
    notify,
    payment_of,
    quick_buyers,
    seller_with_products,
)
from tests.platform.test_test_clock import advance
from tests.platform.test_test_clock import sgql as sgql  # a fixture

ORDER_LINES = """query($id: ID!) { node(id: $id) { ... on Order {
  status lines { sku variantName productName quantity unitPrice { amount } } } } }"""


async def add_variant(gql, token: str, variant_id: str, quantity: int = 1) -> dict[str, Any]:
    answer = await gql(
        op("AddVariantToCart"), {"variantId": variant_id, "quantity": quantity}, token=token
    )
    assert "errors" not in answer, answer
    return answer["data"]["addVariantToCart"]


async def stocks(product: dict, made: dict[str, dict]) -> tuple[int, ...]:
    """The product's stock and units sold, then each variant's stock, by name."""
    row = await Product.get(id=decode_id(product["id"], "Product"))
    rows = {
        v.name: v.stock for v in await ProductVariant.filter(product_id=row.id, is_default=False)
    }
    return (row.stock, row.units_sold, *(rows[name] for name in made))


async def test_cart_lines_are_per_variant(gql):
    owner, _, product, made = await batik_shirt(gql)
    buyer = await sign_up(gql, "Pembeli")
    token = buyer["token"]
    m_id, l_id = made["M / Merah"]["id"], made["L / Biru"]["id"]
    assert (await add_variant(gql, token, m_id, 2))["errors"] == []
    assert (await add_variant(gql, token, m_id, 1))["errors"] == []
    done = await add_variant(gql, token, l_id, 1)
    assert done["errors"] == []
    cart = done["cart"]
    assert cart["totalQuantity"] == 4
    assert cart["total"]["amount"] == 3 * 35000 + 45000
    assert [(line["variant"]["sku"], line["quantity"], line["subtotal"]["amount"])
            for line in cart["lines"]] == [("BTK-M-MERAH", 3, 105000), ("BTK-L-BIRU", 1, 45000)]  # fmt: skip
    # The wrong side: more than its stock, nothing, an inactive variant, an unknown one,
    # the seller's own, and AddToCart by product while it has two variants.
    assert (await add_variant(gql, token, m_id, 3))["errors"][0]["code"] == "OUT_OF_STOCK"
    assert (await add_variant(gql, token, m_id, 0))["errors"][0]["code"] == "INVALID"
    await update_variant(gql, owner["token"], l_id, isActive=False)
    gone = await add_variant(gql, token, l_id, 1)
    assert (gone["errors"][0]["field"], gone["errors"][0]["code"]) == ("variantId", "NOT_FOUND")
    unknown = await add_variant(gql, token, "UHJvZHVjdFZhcmlhbnQ6OTk5OTk5", 1)
    assert unknown["errors"][0]["code"] == "NOT_FOUND"
    own = await add_variant(gql, owner["token"], m_id, 1)
    assert own["errors"][0]["code"] == "INVALID"
    # With one active variant left, AddToCart by product adds it; with two it is INVALID.
    by_product = await add_to_cart(gql, token, product["id"], 1)
    assert by_product["errors"] == []
    assert by_product["cart"]["totalQuantity"] == 5
    await update_variant(gql, owner["token"], l_id, isActive=True)
    refused = await add_to_cart(gql, token, product["id"], 1)
    assert [(e["field"], e["code"]) for e in refused["errors"]] == [("productId", "INVALID")]
    # The inactive variant's line says so and checkout refuses it.
    await update_variant(gql, owner["token"], l_id, isActive=False)
    lines = (await gql("{ myCart { lines { available problem } } }", token=token))["data"]
    assert lines["myCart"]["lines"][1] == {
        "available": False, "problem": "Produk ini tidak dijual lagi.",
    }  # fmt: skip
    placed = await checkout(gql, token)
    assert [(e["field"], e["code"]) for e in placed["errors"]] == [(l_id, "OUT_OF_STOCK")]


async def test_checkout_takes_each_variants_stock_and_snapshots_it(gql):
    _, _, product, made = await batik_shirt(gql)
    buyer = await sign_up(gql, "Pembeli")
    token = buyer["token"]
    await add_variant(gql, token, made["M / Merah"]["id"], 2)
    await add_variant(gql, token, made["L / Biru"]["id"], 1)
    placed = await checkout(gql, token, method="COD")
    assert placed["errors"] == []
    (order,) = placed["orders"]
    assert order["total"]["amount"] == 2 * 35000 + 45000
    assert await stocks(product, made) == (7, 3, 3, 4)
    lines = (await gql(ORDER_LINES, {"id": order["id"]}, token=token))["data"]["node"]["lines"]
    assert [(x["sku"], x["variantName"], x["quantity"], x["unitPrice"]["amount"]) for x in lines] == [
        ("BTK-M-MERAH", "M / Merah", 2, 35000), ("BTK-L-BIRU", "L / Biru", 1, 45000),
    ]  # fmt: skip
    # Cancelled: each variant gets its own units back.
    cancelled = await gql(CANCEL, {"id": order["id"]}, token=token)
    assert cancelled["data"]["cancelOrder"]["errors"] == []
    assert await stocks(product, made) == (10, 0, 5, 5)


async def test_a_product_without_options_sells_its_default_variant(gql):
    _, _, (product,) = await seller_with_products(gql, price=12000, stock=4)
    buyer = await sign_up(gql, "Pembeli")
    assert (await add_to_cart(gql, buyer["token"], product["id"], 3))["errors"] == []
    placed = await checkout(gql, buyer["token"], method="COD")
    lines = await gql(ORDER_LINES, {"id": placed["orders"][0]["id"]}, token=buyer["token"])
    (line,) = lines["data"]["node"]["lines"]
    assert (line["sku"], line["variantName"], line["quantity"]) == (None, None, 3)
    default = await ProductVariant.get(product_id=decode_id(product["id"], "Product"))
    assert (default.is_default, default.stock) == (True, 1)


async def test_stock_set_by_the_seller_never_sells_twice(gql):
    owner, _, product, made = await batik_shirt(gql)
    buyer = await sign_up(gql, "Pembeli")
    await add_variant(gql, buyer["token"], made["M / Merah"]["id"], 5)
    await update_variant(gql, owner["token"], made["M / Merah"]["id"], stock=4)
    placed = await checkout(gql, buyer["token"])
    assert placed["errors"][0]["code"] == "OUT_OF_STOCK"
    assert await stocks(product, made) == (9, 0, 4, 5)


async def _race(live, tokens: list[str]) -> list[dict]:
    unlimited = httpx.Limits(max_connections=None, max_keepalive_connections=None)
    async with httpx.AsyncClient(base_url=live.url, timeout=120, limits=unlimited) as http:
        race = GraphQL(http)
        results = await asyncio.gather(
            *(
                race(contract("Checkout"), {"input": checkout_input(method="COD")}, token=token)
                for token in tokens
            )
        )
    assert all("errors" not in r for r in results)  # never INTERNAL, never "database is locked"
    return [r["data"]["checkout"] for r in results]


async def test_150_buyers_racing_for_one_variants_30_units(gql, live):
    _, _, product, made = await batik_shirt(gql, BTK_M_MERAH=30, BTK_L_BIRU=40)
    m_id, l_id = made["M / Merah"]["id"], made["L / Biru"]["id"]
    tokens = await quick_buyers(150)
    for token in tokens:
        assert (await add_variant(gql, token, m_id, 1))["errors"] == []
    # A few buyers also take the other variant, which has plenty: it never runs out.
    for token in tokens[:20]:
        assert (await add_variant(gql, token, l_id, 1))["errors"] == []
    answers = await _race(live, tokens)
    sold = [a for a in answers if a["orders"]]
    refused = [a for a in answers if not a["orders"]]
    assert len(sold) == 30
    assert all([(e["field"], e["code"]) for e in a["errors"]] == [(m_id, "OUT_OF_STOCK")]
               for a in refused)  # fmt: skip
    l_sold = sum(
        1 for a, t in zip(answers, tokens, strict=True) if a["orders"] and t in tokens[:20]
    )
    assert await stocks(product, made) == (40 - l_sold, 30 + l_sold, 0, 40 - l_sold)


async def test_the_expiry_sweep_gives_the_variant_its_units_back(sgql):
    admin = await city_admin(sgql)
    _, _, product, made = await batik_shirt(sgql)
    buyer = await sign_up(sgql, "Pembeli")
    await add_variant(sgql, buyer["token"], made["L / Biru"]["id"], 2)
    placed = await checkout(sgql, buyer["token"], method="QRIS")
    assert placed["errors"] == []
    assert await stocks(product, made) == (8, 2, 5, 3)
    assert (await advance(sgql, admin["token"], 2))["errors"] == []
    order = await sgql(ORDER_LINES, {"id": placed["orders"][0]["id"]}, token=buyer["token"])
    assert order["data"]["node"]["status"] == "CANCELLED"
    assert await stocks(product, made) == (10, 0, 5, 5)


async def test_goods_returned_on_a_complaint_go_back_to_their_variant(gql, client, live):
    seller, shop, product, made = await batik_shirt(gql)
    buyer = await sign_up(gql, "Pembeli")
    await add_variant(gql, buyer["token"], made["M / Merah"]["id"], 1)
    await add_variant(gql, buyer["token"], made["L / Biru"]["id"], 3)
    placed = await checkout(gql, buyer["token"], method="BANK_TRANSFER")
    order = placed["orders"][0]
    payment = await payment_of(order)
    body = {"id": f"n-{payment.reference}", "reference": payment.reference,
            "amount": payment.amount, "status": "PAID"}  # fmt: skip
    assert (await notify(client, live, body)).status_code == 200
    assert (await move(gql, seller["token"], order["id"], "SHIPPED", "JNE-9"))["errors"] == []
    assert await stocks(product, made) == (6, 4, 4, 2)

    sale = Sale(seller, shop, product, buyer, order)
    complaint = (await open_complaint(gql, sale))["complaint"]
    asked = await respond(gql, seller["token"], complaint["id"], response="RETURN",
                          refundAmount=1000)  # fmt: skip
    assert asked["errors"] == []
    shipped = await gql(op("ShipComplaintReturn"), {"id": complaint["id"], "trackingNumber": "R1"},
                        token=buyer["token"])  # fmt: skip
    assert shipped["data"]["shipComplaintReturn"]["errors"] == []
    received = await gql(op("ReceiveComplaintReturn"), {"id": complaint["id"]},
                         token=seller["token"])  # fmt: skip
    assert received["data"]["receiveComplaintReturn"]["errors"] == []
    assert await stocks(product, made) == (10, 0, 5, 5)
