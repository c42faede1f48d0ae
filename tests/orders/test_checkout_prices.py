"""What the buyer saw is what is charged: a seller who raises a price between the cart and the
checkout charges nothing, by any payment method, whether the client sends the total it showed
or (today's contract `Checkout`) does not."""

from __future__ import annotations

from typing import Any

import pytest

from models.cooperatives.books import JournalEntry
from models.orders.order import CartLine, Checkout, Order
from models.orders.payments import Payment
from tests.conftest import contract, sign_up
from tests.cooperatives.helpers import Koperasi, sukarela
from tests.orders.helpers import add_to_cart, checkout_input, seller_with_products, stock_of

pytestmark = pytest.mark.usefixtures("books_balance")

METHODS = ["COD", "QRIS", "BANK_TRANSFER", "COOPERATIVE_BALANCE"]
SET_PRICE = """mutation($id: ID!, $price: Rupiah!) {
  updateProduct(id: $id, input: {price: $price}) { errors { code } } }"""
CART = """{ myCart { total { amount } priceRose
  lines { id quantity priceRose unitPrice { amount } seenUnitPrice { amount } } } }"""
CHECKOUT = """mutation($input: CheckoutInput!) { checkout(input: $input) {
  orders { id total { amount } } total { amount } errors { field code message } } }"""
CONFIRM = """mutation($total: Rupiah) { confirmCartPrices(expectedTotal: $total) {
  cart { total { amount } priceRose } errors { field code message } } }"""


class Shopper:
    """A buyer (a member with Rp3.000.000 of SUKARELA) with 2 of a Rp10.000 product in the
    cart, and the product's seller."""

    def __init__(self, gql, buyer: dict, membership_id: str, owner: dict, product: dict) -> None:
        self.gql, self.buyer, self.membership_id = gql, buyer, membership_id
        self.owner, self.product = owner, product

    @classmethod
    async def new(cls, gql) -> Shopper:
        koperasi = await Koperasi.new(gql)
        buyer, membership_id = await koperasi.member()
        await koperasi.deposit(membership_id, 3_000_000)
        owner, _, (product,) = await seller_with_products(gql, price=10000, stock=10)
        assert (await add_to_cart(gql, buyer["token"], product["id"], 2))["errors"] == []
        return cls(gql, buyer, membership_id, owner, product)

    async def set_price(self, price: int) -> None:
        result = await self.gql(
            SET_PRICE, {"id": self.product["id"], "price": price}, token=self.owner["token"]
        )
        assert result["data"]["updateProduct"]["errors"] == [], result

    async def cart(self) -> dict[str, Any]:
        return (await self.gql(CART, token=self.buyer["token"]))["data"]["myCart"]

    def input(self, method: str, **extra: Any) -> dict[str, Any]:
        if method == "COOPERATIVE_BALANCE":
            extra["membershipId"] = self.membership_id
        return checkout_input(method, **extra)

    async def checkout(self, method: str, query: str = CHECKOUT, **extra: Any) -> dict:
        result = await self.gql(query, {"input": self.input(method, **extra)},
                                token=self.buyer["token"])  # fmt: skip
        assert "errors" not in result, result
        return result["data"]["checkout"]

    async def state(self) -> tuple[Any, ...]:
        """Everything a checkout would change."""
        return (
            await sukarela(self.membership_id),
            await stock_of(self.product["id"]),
            await Order.all().count(),
            await Payment.all().count(),
            await Checkout.all().count(),
            await JournalEntry.all().count(),
            await CartLine.all().count(),
        )


def codes(payload: dict) -> list[tuple[str | None, str]]:
    return [(e["field"], e["code"]) for e in payload["errors"]]


@pytest.mark.parametrize("method", METHODS)
async def test_a_price_raised_after_the_cart_charges_nothing_without_a_total(gql, method):
    shopper = await Shopper.new(gql)
    await shopper.set_price(1_250_000)
    before = await shopper.state()
    refused = await shopper.checkout(method, query=contract("Checkout"))  # today's contract
    assert codes(refused) == [("expectedTotal", "PRICE_CHANGED")]
    assert "Rp2.500.000" in refused["errors"][0]["message"]
    assert await shopper.state() == before
    cart = await shopper.cart()
    assert cart["priceRose"] is True
    (line,) = cart["lines"]
    assert (line["priceRose"], line["seenUnitPrice"], line["unitPrice"]) == (
        True, {"amount": 10000}, {"amount": 1_250_000},
    )  # fmt: skip

    # The buyer confirms the new price: then, and only then, it is charged.
    confirmed = await gql(CONFIRM, {"total": 2_500_000}, token=shopper.buyer["token"])
    assert confirmed["data"]["confirmCartPrices"]["cart"] == {
        "total": {"amount": 2_500_000}, "priceRose": False,
    }  # fmt: skip
    placed = await shopper.checkout(method, expectedTotal=2_500_000)
    assert placed["errors"] == [], placed
    assert [o["total"] for o in placed["orders"]] == [{"amount": 2_500_000}]


@pytest.mark.parametrize("method", METHODS)
async def test_a_total_other_than_the_one_shown_charges_nothing(gql, method):
    shopper = await Shopper.new(gql)
    await shopper.set_price(1_250_000)
    # Confirmed in another tab, say: the lines remember the new price, but this form showed
    # Rp20.000.
    assert (await gql(CONFIRM, token=shopper.buyer["token"]))["data"]["confirmCartPrices"][
        "errors"
    ] == []
    before = await shopper.state()
    refused = await shopper.checkout(method, expectedTotal=20000)
    assert codes(refused) == [("expectedTotal", "PRICE_CHANGED")]
    assert refused["total"] == {"amount": 2_500_000}
    assert refused["orders"] == []
    assert await shopper.state() == before


async def test_a_price_that_fell_is_charged_as_it_is_now(gql):
    shopper = await Shopper.new(gql)
    await shopper.set_price(8000)
    placed = await shopper.checkout("COOPERATIVE_BALANCE", query=contract("Checkout"))
    assert placed["errors"] == [], placed
    assert await sukarela(shopper.membership_id) == 3_000_000 - 16000


async def test_confirming_a_total_that_changed_again_confirms_nothing(gql):
    shopper = await Shopper.new(gql)
    await shopper.set_price(1_250_000)
    stale = await gql(CONFIRM, {"total": 20000}, token=shopper.buyer["token"])
    assert codes(stale["data"]["confirmCartPrices"]) == [("expectedTotal", "PRICE_CHANGED")]
    assert (await shopper.cart())["priceRose"] is True
    stranger = await sign_up(gql)  # confirms only their own (empty) cart
    await gql(CONFIRM, token=stranger["token"])
    assert (await shopper.cart())["priceRose"] is True


async def test_adding_the_line_again_takes_the_new_price(gql):
    shopper = await Shopper.new(gql)
    await shopper.set_price(12000)
    assert (await add_to_cart(gql, shopper.buyer["token"], shopper.product["id"], 1))[
        "errors"
    ] == []
    placed = await shopper.checkout("COD", query=contract("Checkout"))
    assert placed["errors"] == [], placed


async def test_the_same_key_at_another_price_is_another_checkout(gql):
    shopper = await Shopper.new(gql)
    body = shopper.input("COD", expectedTotal=20000)
    first = await gql(CHECKOUT, {"input": body}, token=shopper.buyer["token"])
    assert first["data"]["checkout"]["errors"] == []
    assert (await add_to_cart(gql, shopper.buyer["token"], shopper.product["id"], 2))[
        "errors"
    ] == []
    other = await gql(
        CHECKOUT, {"input": {**body, "expectedTotal": 25000}}, token=shopper.buyer["token"]
    )
    assert codes(other["data"]["checkout"]) == [("idempotencyKey", "DUPLICATE")]
