"""Helpers for the receipt and complaint tests: the marketplace operations' own documents, an
order shipped to a buyer (paid by any method), and the people who look at it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tests.conftest import city_admin, sign_up
from tests.conftest import contract as op
from tests.cooperatives.helpers import Koperasi
from tests.orders.helpers import (
    add_to_cart,
    checkout,
    move,
    notify,
    payment_of,
    seller_with_products,
)


@dataclass
class Sale:
    """An order of Rp30.000 (2 x Rp15.000), SHIPPED (or further) to its buyer."""

    seller: dict
    shop: dict
    product: dict
    buyer: dict
    order: dict
    membership_id: str | None = None

    @property
    def order_id(self) -> str:
        return self.order["id"]


async def shipped_sale(
    gql, client=None, live=None, *, method: str = "COD", delivered: bool = False
) -> Sale:
    """A sale by `method` (COOPERATIVE_BALANCE: from a new member's SUKARELA of Rp100.000;
    BANK_TRANSFER: confirmed by the provider's webhook), shipped and, if asked, delivered."""
    seller, shop, (product,) = await seller_with_products(gql, price=15000, stock=10)
    membership_id = None
    extra: dict[str, Any] = {}
    if method == "COOPERATIVE_BALANCE":
        koperasi = await Koperasi.new(gql)
        buyer, membership_id = await koperasi.member()
        await koperasi.deposit(membership_id, 100000)
        extra["membershipId"] = membership_id
    else:
        buyer = await sign_up(gql, "Pembeli")
    assert (await add_to_cart(gql, buyer["token"], product["id"], 2))["errors"] == []
    placed = await checkout(gql, buyer["token"], method=method, **extra)
    assert placed["errors"] == [], placed
    order = placed["orders"][0]
    if method in ("BANK_TRANSFER", "QRIS"):
        payment = await payment_of(order)
        body = {"id": f"n-{payment.reference}", "reference": payment.reference,
                "amount": payment.amount, "status": "PAID"}  # fmt: skip
        assert (await notify(client, live, body)).status_code == 200
    assert (await move(gql, seller["token"], order["id"], "SHIPPED", "JNE-1"))["errors"] == []
    if delivered:
        assert (await move(gql, seller["token"], order["id"], "DELIVERED"))["errors"] == []
    return Sale(seller, shop, product, buyer, order, membership_id)


async def open_complaint(gql, sale: Sale, **extra: Any) -> dict[str, Any]:
    body = {"orderId": sale.order_id, "reason": "DAMAGED",
            "text": "Kemasan sobek dan isinya tumpah.", **extra}  # fmt: skip
    token = extra.pop("token", sale.buyer["token"])
    body.pop("token", None)
    result = await gql(op("OpenComplaint"), {"input": body}, token=token)
    assert "errors" not in result, result
    return result["data"]["openComplaint"]


async def respond(gql, token: str, complaint_id: str, **answer: Any) -> dict[str, Any]:
    result = await gql(op("RespondToComplaint"), {"id": complaint_id, "input": answer}, token=token)
    assert "errors" not in result, result
    return result["data"]["respondToComplaint"]


async def order_details(gql, order_id: str, token: str | None) -> dict[str, Any] | None:
    result = await gql(op("OrderDetails"), {"id": order_id}, token=token)
    assert "errors" not in result, result
    return result["data"]["node"]


@dataclass
class Onlookers:
    """Who else may try: another buyer, another seller, a marketplace admin, anonymous."""

    other_buyer: dict
    other_seller: dict
    admin: dict


async def onlookers(gql) -> Onlookers:
    other_seller, _, _ = await seller_with_products(gql)
    return Onlookers(await sign_up(gql, "Pembeli Lain"), other_seller, await city_admin(gql))


def codes(payload: dict) -> list[tuple[str | None, str]]:
    return [(e["field"], e["code"]) for e in payload["errors"]]
