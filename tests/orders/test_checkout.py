"""Cart and checkout through HTTP: one order per shop, all or nothing, idempotent per key."""

import asyncio
import re

import httpx

from resolvers.orders.cart import MAX_LINES
from tests.conftest import GraphQL, contract, sign_up
from tests.orders.helpers import (
    add_to_cart,
    buy,
    change_behind,
    checkout,
    checkout_input,
    quick_buyers,
    seller_with_products,
    stock_of,
)


async def test_checkout_splits_the_cart_into_one_order_per_shop(gql):
    _, shop_a, (keripik,) = await seller_with_products(gql, price=15000, stock=10)
    _, shop_b, (batik, kain) = await seller_with_products(gql, 2, price=250000, stock=3)
    buyer = await sign_up(gql)
    for product, quantity in ((keripik, 2), (batik, 1), (kain, 3)):
        assert (await add_to_cart(gql, buyer["token"], product["id"], quantity))["errors"] == []
    cart = (await gql(contract("MyCart"), token=buyer["token"]))["data"]["myCart"]
    assert cart["totalQuantity"] == 6
    assert cart["total"] == {"amount": 1030000, "formatted": "Rp1.030.000"}
    assert {line["product"]["shop"]["name"] for line in cart["lines"]} == {
        shop_a["name"],
        shop_b["name"],
    }

    placed = await checkout(gql, buyer["token"], method="COD")
    assert placed["errors"] == []
    by_shop = {o["shop"]["id"]: o for o in placed["orders"]}
    assert by_shop[shop_a["id"]]["total"] == {"amount": 30000, "formatted": "Rp30.000"}
    assert by_shop[shop_b["id"]]["total"]["amount"] == 1000000
    for order in placed["orders"]:
        assert re.fullmatch(r"SP-\d{4}-\d{6,}", order["number"])
        assert order["status"] == "PROCESSING"  # COD goes to the seller at once
        assert order["payment"]["method"] == "COD"
        assert order["payment"]["status"] == "PENDING"
    assert len({o["number"] for o in placed["orders"]}) == 2
    assert await stock_of(keripik["id"]) == (8, 2)
    assert await stock_of(kain["id"]) == (0, 3)
    emptied = (await gql(contract("MyCart"), token=buyer["token"]))["data"]["myCart"]
    assert emptied["lines"] == []
    assert emptied["totalQuantity"] == 0


async def test_prices_and_names_are_frozen_into_the_order(gql):
    owner, _, (product,) = await seller_with_products(gql, price=20000)
    buyer, _ = await buy(gql, product["id"], 2)
    await gql(
        'mutation($id: ID!) { updateProduct(id: $id, input: {price: 99000, name: "Baru"}) { errors { code } } }',
        {"id": product["id"]},
        token=owner["token"],
    )
    mine = (await gql(contract("MyOrders"), token=buyer["token"]))["data"]["myOrders"]
    (line,) = mine["edges"][0]["node"]["lines"]
    assert line == {
        "productName": "Produk 0",
        "quantity": 2,
        "unitPrice": {"amount": 20000},
        "subtotal": {"amount": 40000},
    }


async def test_out_of_stock_changes_nothing_and_names_the_product(gql):
    _, _, (plenty,) = await seller_with_products(gql, stock=10)
    _, _, (scarce,) = await seller_with_products(gql, stock=2)
    buyer = await sign_up(gql)
    await add_to_cart(gql, buyer["token"], plenty["id"], 3)
    await add_to_cart(gql, buyer["token"], scarce["id"], 2)
    await change_behind(scarce["id"], stock=1)  # sold elsewhere

    placed = await checkout(gql, buyer["token"])
    assert placed["orders"] == []
    assert [(e["field"], e["code"]) for e in placed["errors"]] == [(scarce["id"], "OUT_OF_STOCK")]
    assert await stock_of(plenty["id"]) == (10, 0)
    assert await stock_of(scarce["id"]) == (1, 0)
    cart = (await gql(contract("MyCart"), token=buyer["token"]))["data"]["myCart"]
    assert cart["totalQuantity"] == 5  # the cart is left as it was


async def test_cart_says_when_a_line_can_no_longer_be_bought(gql):
    owner, _, (product,) = await seller_with_products(gql, stock=5, price=1000)
    buyer = await sign_up(gql)
    await add_to_cart(gql, buyer["token"], product["id"], 4)
    query = "{ myCart { lines { quantity available problem product { stock price { amount } } } } }"
    await change_behind(product["id"], stock=3, price=1500)
    (line,) = (await gql(query, token=buyer["token"]))["data"]["myCart"]["lines"]
    assert line == {
        "quantity": 4,
        "available": False,
        "problem": "Stok tinggal 3.",
        "product": {"stock": 3, "price": {"amount": 1500}},
    }
    await gql(
        "mutation($id: ID!) { updateProduct(id: $id, input: {status: ARCHIVED}) { errors { code } } }",
        {"id": product["id"]},
        token=owner["token"],
    )
    (line,) = (await gql(query, token=buyer["token"]))["data"]["myCart"]["lines"]
    assert (line["available"], line["problem"]) == (False, "Produk ini tidak dijual lagi.")


async def test_cart_lines_add_up_change_and_go(gql):
    _, _, (product,) = await seller_with_products(gql, stock=5, price=2000)
    buyer = await sign_up(gql)
    token = buyer["token"]
    assert (await add_to_cart(gql, token, product["id"], 2))["cart"]["totalQuantity"] == 2
    added = await add_to_cart(gql, token, product["id"], 2)
    assert added["cart"]["totalQuantity"] == 4  # the same line, not a second one
    too_many = await add_to_cart(gql, token, product["id"], 2)
    assert too_many["errors"][0]["code"] == "OUT_OF_STOCK"
    zero = await add_to_cart(gql, token, product["id"], 0)
    assert zero["errors"][0]["code"] == "INVALID"

    (line,) = (await gql(contract("MyCart"), token=token))["data"]["myCart"]["lines"]
    update = contract("UpdateCartLine")
    changed = (await gql(update, {"lineId": line["id"], "quantity": 1}, token=token))["data"]
    assert changed["updateCartLine"]["cart"]["total"] == {"amount": 2000, "formatted": "Rp2.000"}
    stranger = await sign_up(gql)
    denied = await gql(update, {"lineId": line["id"], "quantity": 3}, token=stranger["token"])
    assert denied["data"]["updateCartLine"]["errors"][0]["code"] == "NOT_FOUND"
    removed = (await gql(update, {"lineId": line["id"], "quantity": 0}, token=token))["data"]
    assert removed["updateCartLine"]["cart"]["totalQuantity"] == 0


async def test_racing_adds_never_pass_the_cart_limits(gql):
    _, _, products = await seller_with_products(gql, MAX_LINES + 10, stock=5000)
    token = (await sign_up(gql))["token"]
    answers = await asyncio.gather(*(add_to_cart(gql, token, p["id"]) for p in products))
    refused = [e["code"] for a in answers for e in a["errors"]]
    assert refused == ["LIMIT_EXCEEDED"] * 10
    cart = (await gql(contract("MyCart"), token=token))["data"]["myCart"]
    assert len(cart["lines"]) == MAX_LINES

    # One line, twelve adds of 100 at once: 1 + 9 x 100 fits under MAX_QUANTITY, a tenth not.
    first = cart["lines"][0]["product"]["id"]
    answers = await asyncio.gather(*(add_to_cart(gql, token, first, 100) for _ in range(12)))
    assert sorted(e["code"] for a in answers for e in a["errors"]) == ["INVALID"] * 3
    cart = (await gql(contract("MyCart"), token=token))["data"]["myCart"]
    assert cart["totalQuantity"] == MAX_LINES - 1 + 1 + 9 * 100


async def test_cart_and_checkout_need_a_signed_in_buyer(gql):
    _, _, (product,) = await seller_with_products(gql)
    anonymous = await gql(contract("MyCart"))
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    added = await gql(contract("AddToCart"), {"productId": product["id"], "quantity": 1})
    assert added["data"]["addToCart"]["errors"][0]["code"] == "UNAUTHENTICATED"
    placed = await gql(contract("Checkout"), {"input": checkout_input()})
    assert placed["data"]["checkout"]["errors"][0]["code"] == "UNAUTHENTICATED"


async def test_checkout_input_is_checked(gql):
    _, _, (product,) = await seller_with_products(gql)
    buyer = await sign_up(gql)
    empty = await checkout(gql, buyer["token"])
    assert empty["errors"][0]["code"] == "INVALID"
    await add_to_cart(gql, buyer["token"], product["id"])
    bad = checkout_input(shippingAddress={"recipient": " ", "phone": "123", "street": "",
                                          "kelurahanCode": "31.71.01.1001"})  # fmt: skip
    result = await gql(contract("Checkout"), {"input": bad}, token=buyer["token"])
    assert {(e["field"], e["code"]) for e in result["data"]["checkout"]["errors"]} == {
        ("shippingAddress.recipient", "REQUIRED"),
        ("shippingAddress.phone", "INVALID"),
        ("shippingAddress.street", "REQUIRED"),
        ("shippingAddress.kelurahanCode", "INVALID"),
    }
    cooperative = await checkout(gql, buyer["token"], method="COOPERATIVE_BALANCE")
    assert [(e["field"], e["code"]) for e in cooperative["errors"]] == [
        ("membershipId", "REQUIRED")
    ]
    assert "koperasi" in cooperative["errors"][0]["message"]


async def test_the_same_key_returns_the_same_orders(gql):
    _, _, (product,) = await seller_with_products(gql, stock=10)
    buyer = await sign_up(gql)
    await add_to_cart(gql, buyer["token"], product["id"], 2)
    body = checkout_input()
    first = await gql(contract("Checkout"), {"input": body}, token=buyer["token"])
    again = await gql(contract("Checkout"), {"input": body}, token=buyer["token"])
    assert again == first
    assert await stock_of(product["id"]) == (8, 2)

    await add_to_cart(gql, buyer["token"], product["id"], 1)  # another cart, the same key
    reused = await gql(contract("Checkout"), {"input": body}, token=buyer["token"])
    assert [(e["field"], e["code"]) for e in reused["data"]["checkout"]["errors"]] == [
        ("idempotencyKey", "DUPLICATE")
    ]
    other_input = {**body, "paymentMethod": "QRIS"}
    changed = await gql(contract("Checkout"), {"input": other_input}, token=buyer["token"])
    assert changed["data"]["checkout"]["errors"][0]["code"] == "DUPLICATE"
    assert await stock_of(product["id"]) == (8, 2)

    stranger = await sign_up(gql)  # keys belong to one buyer
    await add_to_cart(gql, stranger["token"], product["id"], 1)
    theirs = await gql(contract("Checkout"), {"input": body}, token=stranger["token"])
    assert theirs["data"]["checkout"]["errors"] == []
    assert (
        theirs["data"]["checkout"]["orders"][0]["id"]
        != first["data"]["checkout"]["orders"][0]["id"]
    )


async def test_twenty_concurrent_requests_with_one_key_create_one_set_of_orders(gql):
    _, _, (a,) = await seller_with_products(gql, stock=100)
    _, _, (b,) = await seller_with_products(gql, stock=100)
    buyer = await sign_up(gql)
    await add_to_cart(gql, buyer["token"], a["id"], 2)
    await add_to_cart(gql, buyer["token"], b["id"], 3)
    body = checkout_input(method="QRIS")
    results = await asyncio.gather(
        *(gql(contract("Checkout"), {"input": body}, token=buyer["token"]) for _ in range(20))
    )
    answers = [r["data"]["checkout"] for r in results]
    assert all(a["errors"] == [] for a in answers), answers
    assert {tuple(o["id"] for o in a["orders"]) for a in answers} == {
        tuple(o["id"] for o in answers[0]["orders"])
    }
    assert len(answers[0]["orders"]) == 2
    assert await stock_of(a["id"]) == (98, 2)
    assert await stock_of(b["id"]) == (97, 3)
    mine = (await gql(contract("MyOrders"), token=buyer["token"]))["data"]["myOrders"]
    assert mine["totalCount"] == 2


async def test_200_buyers_racing_for_50_units(gql, live):
    _, _, (product,) = await seller_with_products(gql, stock=50, price=5000)
    tokens = await quick_buyers(200)
    for token in tokens:
        assert (await add_to_cart(gql, token, product["id"], 1))["errors"] == []
    # Its own client: the shared one holds at most 100 connections, and all 200 go at once.
    unlimited = httpx.Limits(max_connections=None, max_keepalive_connections=None)
    async with httpx.AsyncClient(base_url=live.url, timeout=60, limits=unlimited) as http:
        race = GraphQL(http)
        results = await asyncio.gather(
            *(
                race(contract("Checkout"), {"input": checkout_input(method="COD")}, token=token)
                for token in tokens
            )
        )
    assert all("errors" not in r for r in results)  # never INTERNAL, never "database is locked"
    answers = [r["data"]["checkout"] for r in results]
    sold = [a for a in answers if a["orders"]]
    refused = [a for a in answers if not a["orders"]]
    assert len(sold) == 50
    assert len(refused) == 150
    assert all(
        [(e["field"], e["code"]) for e in a["errors"]] == [(product["id"], "OUT_OF_STOCK")]
        for a in refused
    )
    assert await stock_of(product["id"]) == (0, 50)
