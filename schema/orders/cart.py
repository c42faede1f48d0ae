"""The signed-in buyer's cart."""

from __future__ import annotations

from collections.abc import Iterable

import strawberry
from strawberry import relay
from strawberry.types import Info

from models import orders as m
from resolvers.orders import cart
from resolvers.platform import Unauthenticated
from schema.catalog import Product
from schema.platform import Money, Rupiah, UserError, Visible, decode_id, payload_of, visible_rows


@strawberry.type(
    description="A product and how many of it; `problem` says why it cannot be bought."
)
class CartLine(Visible, relay.Node):
    id: relay.NodeID[int]
    quantity: int
    model: strawberry.Private[m.CartLine]

    @classmethod
    def of(cls, line: m.CartLine) -> CartLine:
        return cls(id=line.id, quantity=line.quantity, model=line)

    @strawberry.field
    def product(self) -> Product:
        return Product.of(self.model.product)

    @strawberry.field(description="The product's price now: what the checkout charges.")
    def unit_price(self) -> Money:
        return Money(amount=self.model.product.price)

    @strawberry.field(
        description="The unit price the buyer took: when the line was added (or added again) "
        "or when they last confirmed the cart's prices."
    )
    def seen_unit_price(self) -> Money:
        return Money(amount=self.model.unit_price)

    @strawberry.field(
        description="The price rose above `seenUnitPrice`: checkout refuses (PRICE_CHANGED) "
        "until the buyer confirms it (`confirmCartPrices`). A price that fell is charged as "
        "it is now."
    )
    def price_rose(self) -> bool:
        return cart.price_rose(self.model)

    @strawberry.field(description="At the product's current price.")
    def subtotal(self) -> Money:
        return Money(amount=self.model.product.price * self.quantity)

    @strawberry.field(description="Whether the line can be checked out as it stands.")
    def available(self) -> bool:
        return cart.line_problem(self.model) is None

    @strawberry.field(description="Why the line cannot be bought (no stock, no longer sold).")
    def problem(self) -> str | None:
        return cart.line_problem(self.model)


@strawberry.type(description="One cart per buyer, holding products from any number of shops.")
class Cart(relay.Node):
    id: relay.NodeID[int]
    lines: list[CartLine]

    @classmethod
    def of(cls, buyer_id: int, lines: list[m.CartLine]) -> Cart:
        return cls(id=buyer_id, lines=[CartLine.of(line) for line in lines])

    @strawberry.field
    def total_quantity(self) -> int:
        return sum(line.quantity for line in self.lines)

    @strawberry.field(
        description="At current prices: what the checkout charges; send it as the checkout's "
        "`expectedTotal`."
    )
    def total(self) -> Money:
        return Money(amount=sum(line.model.product.price * line.quantity for line in self.lines))

    @strawberry.field(description="Some line's price rose: the buyer confirms before checkout.")
    def price_rose(self) -> bool:
        return any(cart.price_rose(line.model) for line in self.lines)

    @classmethod
    async def resolve_nodes(
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Cart | None]:
        buyers = await visible_rows(cls, info, node_ids)
        return [cls.of(b.id, await cart.cart_lines(b.id)) if b else None for b in buyers]


@strawberry.type
class CartPayload:
    cart: Cart | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class Query:
    @strawberry.field(description="The signed-in buyer's cart, with current prices and stock.")
    async def my_cart(self, info: Info) -> Cart:
        viewer = info.context.viewer
        if viewer is None:
            raise Unauthenticated()
        return Cart.of(viewer.id, await cart.cart_lines(viewer.id))


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Adds to the product's line when it is already in the cart.")
    async def add_to_cart(
        self, info: Info, product_id: strawberry.ID, quantity: int
    ) -> CartPayload:
        viewer = info.context.viewer
        return await payload_of(
            CartPayload,
            lambda: cart.add_to_cart(
                viewer, decode_id(product_id, "Product", "productId"), quantity
            ),
            lambda lines: CartPayload(cart=Cart.of(viewer.id, lines)),
        )

    @strawberry.mutation(description="Quantity 0 removes the line.")
    async def update_cart_line(
        self, info: Info, line_id: strawberry.ID, quantity: int
    ) -> CartPayload:
        viewer = info.context.viewer
        return await payload_of(
            CartPayload,
            lambda: cart.update_cart_line(
                viewer, decode_id(line_id, "CartLine", "lineId"), quantity
            ),
            lambda lines: CartPayload(cart=Cart.of(viewer.id, lines)),
        )

    @strawberry.mutation(
        description="The buyer accepts the cart's current prices (each line's seenUnitPrice "
        "becomes its unitPrice). With `expectedTotal`, only when it is still the cart's total "
        "(PRICE_CHANGED otherwise)."
    )
    async def confirm_cart_prices(
        self, info: Info, expected_total: Rupiah | None = None
    ) -> CartPayload:
        viewer = info.context.viewer
        return await payload_of(
            CartPayload,
            lambda: cart.confirm_cart_prices(viewer, expected_total),
            lambda lines: CartPayload(cart=Cart.of(viewer.id, lines)),
        )
