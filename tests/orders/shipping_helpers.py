"""Helpers for the shipping tests: the marketplace contract's shipping operations, a shop's
methods, the quote, and checkout with shop choices."""

from __future__ import annotations

import re
import uuid
from typing import Any

from tests.orders.complaint_helpers import op
from tests.orders.helpers import address, seller_with_products

SUKARASA = "36.71.01.1001"  # kecamatan Tangerang (36.71.01), where the test shops are
CIPONDOH_KELURAHAN = "36.71.05.1001"  # kecamatan Cipondoh (36.71.05)
KARAWACI_KELURAHAN = "36.71.07.1001"  # kecamatan Karawaci (36.71.07)

# The contract's CheckoutQuote without `lines { variant }`, which the variants branch adds.
QUOTE = re.sub(r"\bvariant \{[^}]*\}", "", op("CheckoutQuote"))
# ShopMarketplace's shippingMethods part (its rating and vouchers come from other branches).
SHOP_METHODS = """
query ShopShipping($slug: String!) {
  shop(slug: $slug) {
    id slug name
    shippingMethods {
      id kind name isActive openingHours couriers
      freeShippingMinimum { amount formatted }
      fees { kecamatan { code name } fee { amount formatted } }
    }
  }
}"""


async def set_method(gql, token: str, shop_id: str, **input: Any) -> dict[str, Any]:
    result = await gql(op("SetShippingMethod"), {"shopId": shop_id, "input": input}, token=token)
    assert "errors" not in result, result
    return result["data"]["setShippingMethod"]


async def pickup(gql, token: str, shop_id: str, **extra: Any) -> dict[str, Any]:
    body = {"openingHours": "Senin-Sabtu 08.00-17.00", **extra}
    done = await set_method(gql, token, shop_id, kind="PICKUP", **body)
    assert done["errors"] == [], done
    return done["shippingMethod"]


async def shop_courier(
    gql, token: str, shop_id: str, fees: dict[str, int], **extra: Any
) -> dict[str, Any]:
    body = [{"kecamatanCode": code, "fee": fee} for code, fee in fees.items()]
    done = await set_method(gql, token, shop_id, kind="SHOP_COURIER", fees=body, **extra)
    assert done["errors"] == [], done
    return done["shippingMethod"]


async def couriers(gql, token: str, shop_id: str, codes: list[str], **extra: Any) -> dict:
    done = await set_method(gql, token, shop_id, kind="COURIER", couriers=codes, **extra)
    assert done["errors"] == [], done
    return done["shippingMethod"]


async def shop_methods(gql, slug: str, token: str | None = None) -> list[dict[str, Any]]:
    result = await gql(SHOP_METHODS, {"slug": slug}, token=token)
    assert "errors" not in result, result
    return result["data"]["shop"]["shippingMethods"]


async def quote(gql, token: str, kelurahan: str = SUKARASA, shops=None) -> dict[str, Any]:
    result = await gql(QUOTE, {"kelurahanCode": kelurahan, "shops": shops}, token=token)
    assert "errors" not in result, result
    return result["data"]["checkoutQuote"]


def option(quoted_shop: dict[str, Any], kind: str, name: str | None = None) -> dict[str, Any]:
    """The quoted shop's option of `kind` (and `name`)."""
    return next(
        o
        for o in quoted_shop["shippingOptions"]
        if o["kind"] == kind and (name is None or o["name"] == name)
    )


async def checkout_with(
    gql, token: str, shops=None, kelurahan: str = SUKARASA, **extra: Any
) -> dict[str, Any]:
    body = {
        "paymentMethod": "BANK_TRANSFER",
        "shippingAddress": address(kelurahanCode=kelurahan),
        "idempotencyKey": str(uuid.uuid4()),
        "shops": shops,
        **extra,
    }
    result = await gql(op("CheckoutWithShipping"), {"input": body}, token=token)
    assert "errors" not in result, result
    return result["data"]["checkout"]


async def shop_with_product(gql, **product: Any) -> tuple[dict, dict, dict]:
    """A new owner, their shop in kelurahan Sukarasa and one active product (Rp15.000, 250 g
    unless said otherwise)."""
    owner, shop, (item,) = await seller_with_products(
        gql, **{"price": 15000, "stock": 10, "weightGrams": 250, **product}
    )
    return owner, shop, item
