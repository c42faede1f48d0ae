"""Checkout with COOPERATIVE_BALANCE: paid at once from the member's SUKARELA, in the orders'
transaction, owed to the platform on Utang kepada Platform; a cancellation refunds the same
account."""

import pytest

from models.cooperatives.books import JournalEntry
from models.orders.order import Order
from models.orders.payments import Payment
from schema.platform.ids import decode_id
from tests.conftest import contract, sign_up
from tests.cooperatives.helpers import BOOKS, Koperasi, journal_size, sukarela
from tests.orders.helpers import add_to_cart, checkout, seller_with_products

pytestmark = pytest.mark.usefixtures("books_balance")


async def member_with_cart(gql, savings: int, *quantities: int):
    koperasi = await Koperasi.new(gql)
    warga, membership_id = await koperasi.member()
    if savings:
        await koperasi.deposit(membership_id, savings)
    products = []
    for quantity in quantities:
        _, _, (product,) = await seller_with_products(gql, price=15000, stock=10)
        assert (await add_to_cart(gql, warga["token"], product["id"], quantity))["errors"] == []
        products.append(product)
    return koperasi, warga, membership_id, products


async def test_paid_at_once_from_sukarela_and_owed_to_the_shops(gql):
    koperasi, warga, membership_id, _ = await member_with_cart(gql, 100000, 2, 1)
    placed = await checkout(gql, warga["token"], method="COOPERATIVE_BALANCE",
                            membershipId=membership_id)  # fmt: skip
    assert placed["errors"] == []
    assert [(o["status"], o["payment"]["status"]) for o in placed["orders"]] == [
        ("PROCESSING", "PAID"), ("PROCESSING", "PAID"),
    ]  # fmt: skip
    assert await sukarela(membership_id) == 100000 - 45000
    page = (await koperasi.dashboard(membership_id, warga["token"]))["data"]["node"]
    purchases = [
        t["node"] for t in page["transactions"]["edges"] if t["node"]["kind"] == "PURCHASE"
    ]
    assert sorted(p["amount"]["amount"] for p in purchases) == [-30000, -15000]
    books = await gql(BOOKS, {"id": koperasi.id}, token=koperasi.pengurus["token"])
    assert "errors" not in books, books
    accounts = {
        a["code"]: a["balance"]["amount"] for a in books["data"]["node"]["books"]["accounts"]
    }
    assert accounts["2-1200"] == 45000  # Utang kepada Platform
    assert accounts["1-1100"] == 100000  # the cash stays until the shops are paid


async def test_short_savings_refuse_and_write_nothing(gql):
    _, warga, membership_id, products = await member_with_cart(gql, 20000, 1, 1)
    before = (await journal_size(), await Order.all().count(), await Payment.all().count())
    refused = await checkout(gql, warga["token"], method="COOPERATIVE_BALANCE",
                             membershipId=membership_id)  # fmt: skip
    assert [(e["field"], e["code"]) for e in refused["errors"]] == [
        ("membershipId", "INSUFFICIENT_BALANCE")
    ]
    after = (await journal_size(), await Order.all().count(), await Payment.all().count())
    assert after == before
    assert await sukarela(membership_id) == 20000
    stock = await gql("query($id: ID!) { node(id: $id) { ... on Product { stock } } }",
                      {"id": products[0]["id"]})  # fmt: skip
    assert stock["data"]["node"]["stock"] == 10
    cart = await gql("{ myCart { totalQuantity } }", token=warga["token"])
    assert cart["data"]["myCart"]["totalQuantity"] == 2


async def test_only_that_member_pays_with_their_savings(gql):
    koperasi = await Koperasi.new(gql)
    _, membership_id = await koperasi.member()
    await koperasi.deposit(membership_id, 100000)
    _, _, (product,) = await seller_with_products(gql, price=1000)
    for thief in (await sign_up(gql), koperasi.pengurus):
        await add_to_cart(gql, thief["token"], product["id"], 1)
        refused = await checkout(gql, thief["token"], method="COOPERATIVE_BALANCE",
                                 membershipId=membership_id)  # fmt: skip
        assert [(e["field"], e["code"]) for e in refused["errors"]] == [
            ("membershipId", "NOT_FOUND")
        ]
        wrong_type = await checkout(gql, thief["token"], method="COOPERATIVE_BALANCE",
                                    membershipId=koperasi.id)  # fmt: skip
        assert wrong_type["errors"][0]["code"] == "NOT_FOUND"
    assert await sukarela(membership_id) == 100000


async def test_a_cancelled_order_is_refunded_to_the_same_savings(gql):
    koperasi, warga, membership_id, _ = await member_with_cart(gql, 50000, 2)
    placed = await checkout(gql, warga["token"], method="COOPERATIVE_BALANCE",
                            membershipId=membership_id)  # fmt: skip
    order = placed["orders"][0]
    assert await sukarela(membership_id) == 20000
    cancelled = await gql(contract("CancelOrder"), {"id": order["id"]}, token=warga["token"])
    assert cancelled["data"]["cancelOrder"]["errors"] == []
    assert await sukarela(membership_id) == 50000
    refund = await JournalEntry.get(order_id=decode_id(order["id"], "Order"), kind="REFUND")
    assert refund.cooperative_id == decode_id(koperasi.id, "Cooperative")
    payment = await Payment.get(order_id=decode_id(order["id"], "Order"))
    assert payment.status == "REFUNDED"
    again = await gql(contract("CancelOrder"), {"id": order["id"]}, token=warga["token"])
    assert again["data"]["cancelOrder"]["errors"][0]["code"] == "INVALID_STATE"
    assert await sukarela(membership_id) == 50000
