"""Orders after checkout: the seller moves them along, the buyer cancels, each only their own."""

import asyncio

from models.orders.order import OrderStatusChange
from schema.platform.ids import decode_id
from tests.conftest import StatementCounter, contract, sign_up
from tests.orders.helpers import (
    CANCEL,
    MOVE,
    add_to_cart,
    buy,
    checkout,
    move,
    past_auto_complete,
    quick_buyers,
    seller_with_products,
    stock_of,
)

SELLER_ORDERS = contract("SellerOrders")


async def test_the_owner_moves_an_order_to_completion_and_cod_is_paid_on_delivery(gql):
    owner, shop, (product,) = await seller_with_products(gql)
    buyer, order = await buy(gql, product["id"], method="COD")
    token = owner["token"]

    unshipped = await move(gql, token, order["id"], "SHIPPED")
    assert [(e["field"], e["code"]) for e in unshipped["errors"]] == [
        ("trackingNumber", "REQUIRED")
    ]
    skipped = await move(gql, token, order["id"], "COMPLETED")
    assert skipped["errors"][0]["code"] == "INVALID_STATE"

    shipped = await move(gql, token, order["id"], "SHIPPED", "JNE0123456789")
    assert shipped == {
        "order": {"id": order["id"], "status": "SHIPPED", "trackingNumber": "JNE0123456789"},
        "errors": [],
    }
    too_late = (await gql(CANCEL, {"id": order["id"]}, token=buyer["token"]))["data"]
    assert too_late["cancelOrder"]["errors"][0]["code"] == "INVALID_STATE"
    backwards = await move(gql, token, order["id"], "PROCESSING")
    assert backwards["errors"][0]["code"] == "INVALID_STATE"
    assert (await move(gql, token, order["id"], "DELIVERED"))["errors"] == []
    early = await move(gql, token, order["id"], "COMPLETED")
    assert early["errors"][0]["code"] == "INVALID_STATE"  # before autoCompleteAt
    await past_auto_complete(order)
    assert (await move(gql, token, order["id"], "COMPLETED"))["errors"] == []

    seen = await gql(SELLER_ORDERS, {"shopId": shop["id"]}, token=token)
    (edge,) = seen["data"]["node"]["orders"]["edges"]
    assert edge["node"]["status"] == "COMPLETED"
    assert edge["node"]["payment"] == {"method": "COD", "status": "PAID"}
    assert edge["node"]["shippingAddress"] == {
        "recipient": "Siti Aminah",
        "phone": "+6281211112222",
        "street": "Jl. Daan Mogot No. 12, RT 03/RW 05",
        "kelurahan": {"name": "Sukarasa"},
    }
    history = await OrderStatusChange.filter(order_id=decode_id(order["id"], "Order")).order_by(
        "id"
    )
    assert [(h.from_status, h.to_status) for h in history] == [
        (None, "PROCESSING"),
        ("PROCESSING", "SHIPPED"),
        ("SHIPPED", "DELIVERED"),
        ("DELIVERED", "COMPLETED"),
    ]
    assert history[0].actor_id == int(decode_id(buyer["user"]["id"], "User"))
    assert {h.actor_id for h in history[1:]} == {int(decode_id(owner["user"]["id"], "User"))}
    assert all(h.created_at is not None for h in history)


async def test_status_history_is_visible_on_the_order(gql):
    owner, _, (product,) = await seller_with_products(gql)
    buyer, order = await buy(gql, product["id"], method="COD")
    await move(gql, owner["token"], order["id"], "SHIPPED", "SICEPAT-1")
    query = (
        "query($id: ID!) { node(id: $id) { ... on Order { statusHistory { status actorId at } } } }"
    )
    for token in (buyer["token"], owner["token"]):
        history = (await gql(query, {"id": order["id"]}, token=token))["data"]["node"]
        assert [(h["status"], h["actorId"]) for h in history["statusHistory"]] == [
            ("PROCESSING", buyer["user"]["id"]),
            ("SHIPPED", owner["user"]["id"]),
        ]


async def test_the_buyer_cancels_and_stock_goes_back_exactly_once(gql):
    _, _, (product,) = await seller_with_products(gql, stock=10)
    buyer, order = await buy(gql, product["id"], 4, method="QRIS")
    assert await stock_of(product["id"]) == (6, 4)
    results = await asyncio.gather(
        *(gql(CANCEL, {"id": order["id"], "reason": "Salah pilih"}, token=buyer["token"])
          for _ in range(5))
    )  # fmt: skip
    answers = [r["data"]["cancelOrder"] for r in results]
    done = [a for a in answers if a["errors"] == []]
    assert len(done) == 1
    assert done[0]["order"] == {
        "id": order["id"],
        "status": "CANCELLED",
        "payment": {"status": "CANCELLED"},
    }
    assert {a["errors"][0]["code"] for a in answers if a["errors"]} == {"INVALID_STATE"}
    assert await stock_of(product["id"]) == (10, 0)


async def test_nobody_else_sees_or_moves_an_order(gql):
    owner, shop, (product,) = await seller_with_products(gql)
    _, other_shop, _ = await seller_with_products(gql)
    buyer, order = await buy(gql, product["id"], method="COD")
    stranger = await sign_up(gql)

    theirs = await gql(contract("MyOrders"), token=stranger["token"])
    assert theirs["data"]["myOrders"]["totalCount"] == 0
    node = "query($id: ID!) { node(id: $id) { ... on Order { id number } } }"
    assert (await gql(node, {"id": order["id"]}, token=stranger["token"]))["data"]["node"] is None
    assert (await gql(node, {"id": order["id"]}))["data"]["node"] is None
    assert (await gql(node, {"id": order["id"]}, token=owner["token"]))["data"]["node"]["id"]

    cancelled = await gql(CANCEL, {"id": order["id"]}, token=stranger["token"])
    assert cancelled["data"]["cancelOrder"]["errors"][0]["code"] == "NOT_FOUND"  # not probed
    by_seller = await gql(CANCEL, {"id": order["id"]}, token=owner["token"])
    assert by_seller["data"]["cancelOrder"]["errors"][0]["code"] == "PERMISSION_DENIED"

    for token, code in ((stranger["token"], "NOT_FOUND"), (buyer["token"], "PERMISSION_DENIED")):
        moved = await move(gql, token, order["id"], "SHIPPED", "JNE1")
        assert moved["errors"][0]["code"] == code
    anonymous = await move(gql, None, order["id"], "SHIPPED", "JNE1")
    assert anonymous["errors"][0]["code"] == "UNAUTHENTICATED"

    for token in (stranger["token"], buyer["token"]):
        peek = await gql(SELLER_ORDERS, {"shopId": shop["id"]}, token=token)
        assert peek["data"]["node"]["orders"] is None
        assert peek["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    other = await gql(SELLER_ORDERS, {"shopId": other_shop["id"]}, token=owner["token"])
    assert other["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    missing = await gql(
        MOVE, {"id": "T3JkZXI6OTk5OTk5OTk=", "status": "SHIPPED"}, token=owner["token"]
    )
    assert missing["data"]["updateOrderStatus"]["errors"][0]["code"] == "NOT_FOUND"


async def test_seller_orders_filter_by_status_and_page(gql):
    owner, shop, (product,) = await seller_with_products(gql, stock=50)
    orders = [(await buy(gql, product["id"], method="COD"))[1] for _ in range(3)]
    await move(gql, owner["token"], orders[0]["id"], "SHIPPED", "JNE9")
    page = await gql(SELLER_ORDERS, {"shopId": shop["id"], "first": 2}, token=owner["token"])
    found = page["data"]["node"]["orders"]
    assert found["totalCount"] == 3
    assert [e["node"]["id"] for e in found["edges"]] == [orders[2]["id"], orders[1]["id"]]
    assert found["pageInfo"]["hasNextPage"] is True
    rest = await gql(
        SELLER_ORDERS,
        {"shopId": shop["id"], "first": 2, "after": found["pageInfo"]["endCursor"]},
        token=owner["token"],
    )
    assert [e["node"]["id"] for e in rest["data"]["node"]["orders"]["edges"]] == [orders[0]["id"]]
    shipped = await gql(
        SELLER_ORDERS, {"shopId": shop["id"], "status": "SHIPPED"}, token=owner["token"]
    )
    assert [e["node"]["number"] for e in shipped["data"]["node"]["orders"]["edges"]] == [
        orders[0]["number"]
    ]


async def orders_statements(gql, operation, variables, token, first):
    with StatementCounter() as counter:
        result = await gql(operation, {**variables, "first": first}, token=token)
    assert "errors" not in result, result
    return len(counter.statements)


async def test_order_lists_cost_the_same_statements_for_2_or_20(gql):
    owner, shop, products = await seller_with_products(gql, 2, stock=100)
    tokens = await quick_buyers(1)
    for _ in range(20):
        for product in products:
            await add_to_cart(gql, tokens[0], product["id"], 1)
        assert (await checkout(gql, tokens[0], method="COD"))["errors"] == []
    mine = contract("MyOrders")
    small = await orders_statements(gql, mine, {}, tokens[0], 2)
    large = await orders_statements(gql, mine, {}, tokens[0], 20)
    assert small == large
    # the token, the page, its count, shops, payments, lines
    assert large == 6
    variables = {"shopId": shop["id"]}
    small = await orders_statements(gql, SELLER_ORDERS, variables, owner["token"], 2)
    large = await orders_statements(gql, SELLER_ORDERS, variables, owner["token"], 20)
    assert small == large
    # the token, the shop, the page, its count, payments, lines
    assert large == 6
