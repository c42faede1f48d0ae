"""Helpers for the review tests: a completed sale, its line, a review of it, and the product's
and shop's ratings read back over HTTP."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tests.conftest import sign_up
from tests.orders.complaint_helpers import Sale, op, order_details, shipped_sale
from tests.orders.helpers import add_to_cart, checkout, move

RATINGS = """query Ratings($slug: String!, $first: Int = 10) {
  product(slug: $slug) {
    id rating { average count distribution }
    shop { id rating { average count distribution } }
    reviews(first: $first) {
      totalCount
      edges { node { id rating text authorName variantName isHidden
        photos { id thumbnail(width: 160) { url } } reply { text createdAt } } }
    }
  }
}"""


@dataclass
class Reviewable:
    """A COMPLETED sale and the id of its one line."""

    sale: Sale
    line_id: str

    @property
    def buyer(self) -> str:
        return self.sale.buyer["token"]

    @property
    def seller(self) -> str:
        return self.sale.seller["token"]


async def complete(gql, sale: Sale) -> None:
    done = await gql(op("ConfirmReceipt"), {"id": sale.order_id}, token=sale.buyer["token"])
    assert done["data"]["confirmReceipt"]["errors"] == [], done


async def completed_sale(gql, *, complete_it: bool = True) -> Reviewable:
    """A sale of 2 x Rp15.000 delivered (and by default confirmed) to its buyer."""
    sale = await shipped_sale(gql, delivered=True)
    if complete_it:
        await complete(gql, sale)
    details = await order_details(gql, sale.order_id, sale.buyer["token"])
    assert details is not None
    return Reviewable(sale, details["lines"][0]["id"])


async def another_sale(gql, sale: Sale, product: dict[str, Any] | None = None) -> Reviewable:
    """Another buyer's COMPLETED order of the same shop (of `product`, else the sale's)."""
    buyer = await sign_up(gql, "Pembeli Kedua")
    wanted = product or sale.product
    assert (await add_to_cart(gql, buyer["token"], wanted["id"], 1))["errors"] == []
    placed = await checkout(gql, buyer["token"], method="COD")
    assert placed["errors"] == [], placed
    order = placed["orders"][0]
    for status in ("SHIPPED", "DELIVERED"):
        moved = await move(gql, sale.seller["token"], order["id"], status, "JNE-2")
        assert moved["errors"] == [], moved
    other = Sale(sale.seller, sale.shop, wanted, buyer, order)
    await complete(gql, other)
    details = await order_details(gql, other.order_id, buyer["token"])
    assert details is not None
    return Reviewable(other, details["lines"][0]["id"])


async def review(gql, token: str | None, line_id: str, rating: int, text: str = "Mantap") -> dict:
    result = await gql(
        op("ReviewOrderLine"),
        {"orderLineId": line_id, "input": {"rating": rating, "text": text}},
        token=token,
    )
    assert "errors" not in result, result
    return result["data"]["reviewOrderLine"]


async def ratings(gql, slug: str, token: str | None = None) -> dict[str, Any]:
    result = await gql(RATINGS, {"slug": slug}, token=token)
    assert "errors" not in result, result
    return result["data"]["product"]
