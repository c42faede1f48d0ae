"""What each shop of a cart costs, delivered to a kelurahan: goods, shipping fee, discount.

One function prices the cart for both the quote (which reports each shop's problems beside
its figures) and checkout (which refuses on any). Shipping comes from `shipping.py`; the
discount is `_discount`, the one place a shop's voucher is priced.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from models.orders import CartLine
from models.platform import User
from models.shops import Shop
from resolvers.orders.cart import cart_lines, price_of
from resolvers.orders.shipping import Option, ShopShipping, cart_weight, choose, options_for
from resolvers.orders.shipping_methods import methods_of_shops
from resolvers.orders.voucher_pricing import Priced, price_voucher
from resolvers.orders.voucher_rules import Line
from resolvers.platform import BadInput, ErrorCode, Problem, Unauthenticated, UserError, regions
from resolvers.providers import Services


@dataclass(frozen=True)
class ShopChoice:
    """A buyer's choices for one shop of the cart (CheckoutShopInput)."""

    shop_id: int
    shipping_option_id: str | None = None  # an Option's key
    voucher_code: str | None = None


@dataclass
class ShopPrice:
    shop: Shop
    lines: list[CartLine]
    subtotal: int
    weight_grams: int
    shipping: ShopShipping
    voucher_code: str | None = None
    discount: int = 0
    # The voucher as priced (no use taken yet) and the input field that named it.
    voucher: Priced | None = None
    voucher_field: str = ""
    problems: list[Problem] = field(default_factory=list)

    @property
    def options(self) -> list[Option]:
        return self.shipping.options

    @property
    def shipping_fee(self) -> int:
        return self.shipping.fee

    @property
    def total(self) -> int:
        return self.subtotal + self.shipping_fee - self.discount


@dataclass
class Quote:
    shops: list[ShopPrice]

    @property
    def total(self) -> int:
        return sum(shop.total for shop in self.shops)


def checked_choices(choices: list[ShopChoice], shop_ids: set[int]) -> list[Problem]:
    """Each entry names a shop of the cart, at most once."""
    problems, seen = [], set()
    for i, choice in enumerate(choices):
        if choice.shop_id not in shop_ids or choice.shop_id in seen:
            problems.append(
                Problem(
                    ErrorCode.INVALID,
                    "Toko ini tidak ada di keranjang, atau disebut dua kali.",
                    f"shops.{i}.shopId",
                )
            )
        seen.add(choice.shop_id)
    return problems


async def price_cart(
    buyer_id: int,
    lines: list[CartLine],
    kelurahan_code: str,
    choices: list[ShopChoice],
    services: Services,
) -> list[ShopPrice]:
    """Each shop of the cart priced at the variants' prices now, by shop id; a choice that
    checkout would refuse is in its shop's `problems` and counts as absent."""
    by_shop: dict[int, list[CartLine]] = defaultdict(list)
    for line in lines:
        by_shop[line.product.shop_id].append(line)
    shop_ids = sorted(by_shop)
    shops = {s.id: s for s in await Shop.filter(id__in=shop_ids)}
    methods = dict(zip(shop_ids, await methods_of_shops(shop_ids), strict=True))
    directory = await regions.directory()
    destination = directory.kelurahan_by_code[kelurahan_code]
    given = {c.shop_id: (i, c) for i, c in reversed(list(enumerate(choices)))}
    priced = []
    for shop_id in shop_ids:
        shop, shop_lines = shops[shop_id], by_shop[shop_id]
        index, choice = given.get(shop_id, (None, ShopChoice(shop_id)))
        subtotal = sum(price_of(line) * line.quantity for line in shop_lines)
        weight = cart_weight(shop_lines)
        options, unanswered = await options_for(
            shop,
            methods[shop_id],
            directory,
            destination,
            subtotal,
            weight,
            services.shipping_rates,
        )
        shipping = choose(
            shop,
            methods[shop_id],
            options,
            unanswered,
            choice.shipping_option_id,
            f"shops.{index}.shippingOptionId",
        )
        price = ShopPrice(shop, shop_lines, subtotal, weight, shipping, choice.voucher_code)
        price.problems.extend(shipping.problems)
        price.problems.extend(await _discount(price, buyer_id, f"shops.{index}.voucherCode"))
        priced.append(price)
    return priced


async def _discount(price: ShopPrice, buyer_id: int, field: str) -> list[Problem]:
    """Prices the shop's voucher for the buyer into `price` (taking no use), or the problems
    checkout would refuse it with."""
    if price.voucher_code is None or not price.voucher_code.strip():
        return []
    goods = [Line(line.product_id, price_of(line), line.quantity) for line in price.lines]
    try:
        voucher = await price_voucher(buyer_id, price.shop.id, price.voucher_code, goods, field)
    except UserError as refused:
        return refused.problems
    price.voucher, price.voucher_field = voucher, field
    price.discount = voucher.discount
    return []


async def checkout_quote(
    viewer: User | None, kelurahan_code: str, choices: list[ShopChoice], services: Services
) -> Quote:
    """The signed-in buyer's cart priced to `kelurahan_code` with `choices`; nothing is
    reserved."""
    if viewer is None:
        raise Unauthenticated()
    if await regions.kelurahan(kelurahan_code) is None:
        raise BadInput("Kelurahan tidak dikenal di Kota Tangerang.")
    lines = await cart_lines(viewer.id)
    return Quote(await price_cart(viewer.id, lines, kelurahan_code, choices, services))
