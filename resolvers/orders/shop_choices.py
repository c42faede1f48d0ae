"""What the buyer chose per shop at checkout (`CheckoutInput.shops`): the entries checked, and
the vouchers priced on each shop's lines."""

from __future__ import annotations

from dataclasses import dataclass

from models.catalog import Product
from models.orders import CartLine
from resolvers.orders.voucher_pricing import Priced, price_voucher
from resolvers.orders.voucher_rules import Line
from resolvers.platform import ErrorCode, UserError, Validator


@dataclass(frozen=True)
class ShopChoice:
    """One entry of the checkout's `shops`: a shop of the cart and what the buyer chose for it."""

    shop_id: int
    shipping_option_id: str | None = None  # the option's global id, as the client sent it
    voucher_code: str | None = None


def check_choices(check: Validator, choices: tuple[ShopChoice, ...]) -> None:
    """Each shop at most once; no shop offers shipping methods yet, so none takes an option."""
    seen: set[int] = set()
    for i, choice in enumerate(choices):
        if choice.shop_id in seen:
            check.add(f"shops.{i}.shopId", ErrorCode.INVALID, "Setiap toko paling banyak sekali.")
        seen.add(choice.shop_id)
        if choice.shipping_option_id is not None:
            check.add(
                f"shops.{i}.shippingOptionId",
                ErrorCode.INVALID,
                "Toko ini belum menawarkan pilihan pengiriman.",
            )


async def priced_vouchers(
    buyer_id: int,
    choices: tuple[ShopChoice, ...],
    by_shop: dict[int, list[CartLine]],
    products: dict[int, Product],
) -> dict[int, tuple[str, Priced]]:
    """Per shop given a voucher code: the field it was given in and what it takes off the
    shop's lines at the prices read; a shop not in the cart is INVALID."""
    priced: dict[int, tuple[str, Priced]] = {}
    for i, choice in enumerate(choices):
        if choice.shop_id not in by_shop:
            raise UserError(
                ErrorCode.INVALID, "Toko ini tidak ada di keranjang.", f"shops.{i}.shopId"
            )
        if choice.voucher_code is None or not choice.voucher_code.strip():
            continue
        field = f"shops.{i}.voucherCode"
        lines = [
            Line(line.product_id, products[line.product_id].price, line.quantity)
            for line in by_shop[choice.shop_id]
        ]
        found = await price_voucher(buyer_id, choice.shop_id, choice.voucher_code, lines, field)
        priced[choice.shop_id] = (field, found)
    return priced
