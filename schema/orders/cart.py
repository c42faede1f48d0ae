"""The signed-in buyer's cart."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from typing import Annotated

import strawberry
from strawberry import relay
from strawberry.types import Info

from models import orders as m
from models.platform import User
from resolvers.orders import cart
from resolvers.platform import Unauthenticated, require_user
from schema.catalog import Product, ProductVariant
from schema.platform import (
    ERRORS,
    Money,
    Rupiah,
    UserError,
    Visible,
    decode_id,
    payload_of,
    visible_rows,
)


@strawberry.type(
    description="A product's variant and how many of it; `problem` says why it cannot be "
    "bought. Seen by the buyer only."
)
class CartLine(Visible, relay.Node):
    id: relay.NodeID[int]
    quantity: int = strawberry.field(description="How many, 1 to 999.")
    model: strawberry.Private[m.CartLine]

    @classmethod
    def of(cls, line: m.CartLine) -> CartLine:
        return cls(id=line.id, quantity=line.quantity, model=line)

    @strawberry.field(description="The product, as it is now.")
    def product(self) -> Product:
        return Product.of(self.model.product)

    @strawberry.field(description="The variant it holds, as it is now.")
    def variant(self) -> ProductVariant:
        return ProductVariant.of(cart.variant_of(self.model))

    @strawberry.field(description="The variant's price now: what the checkout charges.")
    def unit_price(self) -> Money:
        return Money(amount=cart.price_of(self.model))

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

    @strawberry.field(description="At the variant's current price.")
    def subtotal(self) -> Money:
        return Money(amount=cart.price_of(self.model) * self.quantity)

    @strawberry.field(description="Whether the line can be checked out as it stands.")
    def available(self) -> bool:
        return cart.line_problem(self.model) is None

    @strawberry.field(description="Why the line cannot be bought (no stock, no longer sold).")
    def problem(self) -> str | None:
        return cart.line_problem(self.model)


@strawberry.type(
    description="One cart per buyer, holding up to 50 products from any number of shops. Seen "
    "by the buyer only."
)
class Cart(relay.Node):
    id: relay.NodeID[int]
    lines: list[CartLine] = strawberry.field(description="Its lines, oldest first.")

    @classmethod
    def of(cls, buyer_id: int, lines: list[m.CartLine]) -> Cart:
        return cls(id=buyer_id, lines=[CartLine.of(line) for line in lines])

    @strawberry.field(description="The units in all lines together.")
    def total_quantity(self) -> int:
        return sum(line.quantity for line in self.lines)

    @strawberry.field(
        description="At current prices: what the checkout charges; send it as the checkout's "
        "`expectedTotal`."
    )
    def total(self) -> Money:
        return Money(amount=sum(cart.price_of(line.model) * line.quantity for line in self.lines))

    @strawberry.field(description="Some line's price rose: the buyer confirms before checkout.")
    def price_rose(self) -> bool:
        return any(cart.price_rose(line.model) for line in self.lines)

    @classmethod
    async def resolve_nodes(
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Cart | None]:
        buyers = await visible_rows(cls, info, node_ids)
        return [cls.of(b.id, await cart.cart_lines(b.id)) if b else None for b in buyers]


@strawberry.type(description="The answer to a change of the cart.")
class CartPayload:
    cart: Cart | None = strawberry.field(
        default=None, description="The cart as it is now; null when `errors` is not empty."
    )
    errors: list[UserError] = strawberry.field(default_factory=list, description=ERRORS)


async def _answer(
    viewer: User | None, work: Callable[[], Awaitable[list[m.CartLine]]]
) -> CartPayload:
    """The cart after `work`, or its errors."""
    return await payload_of(
        CartPayload, work, lambda lines: CartPayload(cart=Cart.of(require_user(viewer).id, lines))
    )


QUANTITY = "At most 999 in the line and no more than the stock (OUT_OF_STOCK)."


@strawberry.type
class Query:
    @strawberry.field(
        description="The signed-in buyer's cart, with current prices and stock; an "
        "UNAUTHENTICATED error when not signed in."
    )
    async def my_cart(self, info: Info) -> Cart:
        viewer = info.context.viewer
        if viewer is None:
            raise Unauthenticated()
        return Cart.of(viewer.id, await cart.cart_lines(viewer.id))


@strawberry.type
class Mutation:
    @strawberry.mutation(
        description="Puts an active product in the cart, adding to its line when it is "
        "already there (the line then takes today's price): its one active variant (a product "
        "without options has exactly one). Errors: UNAUTHENTICATED, NOT_FOUND (not an active "
        "product), INVALID (quantity, one's own shop's product; productId when the product has "
        "several active variants: choose one with addVariantToCart), OUT_OF_STOCK, "
        "LIMIT_EXCEEDED (50 lines)."
    )
    async def add_to_cart(
        self,
        info: Info,
        product_id: Annotated[strawberry.ID, strawberry.argument(description="The Product's id.")],
        quantity: Annotated[
            int, strawberry.argument(description="How many to add, more than 0. " + QUANTITY)
        ],
    ) -> CartPayload:
        viewer = info.context.viewer
        return await _answer(
            viewer,
            lambda: cart.add_to_cart(
                viewer, decode_id(product_id, "Product", "productId"), quantity
            ),
        )

    @strawberry.mutation(
        description="Puts an active variant of an ACTIVE product in the cart, adding to its "
        "line when it is already there (the line then takes today's price). Stock is taken at "
        "checkout, never here. Errors: UNAUTHENTICATED, NOT_FOUND, INVALID (an inactive "
        "variant, quantity, one's own shop's product), OUT_OF_STOCK, LIMIT_EXCEEDED (50 lines)."
    )
    async def add_variant_to_cart(
        self,
        info: Info,
        variant_id: Annotated[
            strawberry.ID, strawberry.argument(description="The ProductVariant's id.")
        ],
        quantity: Annotated[
            int, strawberry.argument(description="How many to add, more than 0. " + QUANTITY)
        ],
    ) -> CartPayload:
        viewer = info.context.viewer
        return await _answer(
            viewer,
            lambda: cart.add_variant_to_cart(
                viewer, decode_id(variant_id, "ProductVariant", "variantId"), quantity
            ),
        )

    @strawberry.mutation(
        description="Sets a line's quantity; 0 removes the line. Errors: UNAUTHENTICATED, "
        "NOT_FOUND, INVALID, OUT_OF_STOCK."
    )
    async def update_cart_line(
        self,
        info: Info,
        line_id: Annotated[strawberry.ID, strawberry.argument(description="The CartLine's id.")],
        quantity: Annotated[
            int,
            strawberry.argument(
                description="The new quantity, 0 or more; a rise is checked: " + QUANTITY
            ),
        ],
    ) -> CartPayload:
        viewer = info.context.viewer
        return await _answer(
            viewer,
            lambda: cart.update_cart_line(
                viewer, decode_id(line_id, "CartLine", "lineId"), quantity
            ),
        )

    @strawberry.mutation(
        description="The buyer accepts the cart's current prices (each line's seenUnitPrice "
        "becomes its unitPrice). With `expectedTotal`, only when it is still the cart's total "
        "(PRICE_CHANGED otherwise). Errors: UNAUTHENTICATED, PRICE_CHANGED."
    )
    async def confirm_cart_prices(
        self,
        info: Info,
        expected_total: Annotated[
            Rupiah | None,
            strawberry.argument(description="The cart's `total` the buyer was shown."),
        ] = None,
    ) -> CartPayload:
        viewer = info.context.viewer
        return await _answer(viewer, lambda: cart.confirm_cart_prices(viewer, expected_total))
