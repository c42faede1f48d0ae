"""Shipping: a shop's methods as its owner sets them, and the checkout quote that offers
each shop's options with their fees."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.relay import GlobalID, GlobalIDValueError
from strawberry.types import Info

from models import orders as m
from resolvers.orders import ShippingOption as Option
from resolvers.orders import pricing, shipping_methods
from resolvers.platform import BadInput, regions
from resolvers.platform import UserError as UserFailure
from schema.orders.cart import CartLine
from schema.platform import (
    ERRORS,
    Kecamatan,
    Money,
    Rupiah,
    UserError,
    decode_id,
    described_enum,
    encode_id,
    payload_of,
)
from schema.shops import Shop

ShippingKind = described_enum(
    m.ShippingKind,
    "How an order travels to its buyer.",
    {
        "PICKUP": "The buyer picks it up at the shop.",
        "SHOP_COURIER": "The shop delivers it itself.",
        "COURIER": "A courier company delivers it.",
    },
    name="ShippingKind",
)


@strawberry.type(description="The shop's own courier's fee to one kecamatan.")
class ShippingFee:
    fee: Money = strawberry.field(description="The fee, before the free-shipping threshold.")
    kecamatan_code: strawberry.Private[str]

    @strawberry.field(description="The kecamatan of Kota Tangerang it is charged to.")
    async def kecamatan(self) -> Kecamatan:
        directory = await regions.directory()
        return Kecamatan.of(directory.kecamatan_by_code[self.kecamatan_code])


@strawberry.type(
    description="One of a shop's shipping methods (one per kind). Public while active; the "
    "owner also sees withdrawn ones."
)
class ShippingMethod:
    id: strawberry.ID = strawberry.field(description="Its global id.")
    kind: ShippingKind = strawberry.field(description="Its kind.")
    name: str = strawberry.field(description="What buyers read, e.g. Ambil di toko.")
    is_active: bool = strawberry.field(description="False: withdrawn, offered to nobody.")
    opening_hours: str | None = strawberry.field(
        description="PICKUP: when the buyer may come; null for other kinds."
    )
    couriers: list[str] = strawberry.field(
        description="COURIER: the rate provider's courier codes, e.g. jne; empty otherwise."
    )
    free_shipping_minimum: Money | None = strawberry.field(
        description="SHOP_COURIER: free when the shop's subtotal is at least this; null: never."
    )
    fees: list[ShippingFee] = strawberry.field(
        description="SHOP_COURIER: the fee per kecamatan served, by kecamatan code; empty "
        "otherwise."
    )

    @classmethod
    def of(cls, method: shipping_methods.Method) -> ShippingMethod:
        row = method.row
        minimum = row.free_shipping_minimum
        return cls(
            id=strawberry.ID(encode_id("ShippingMethod", row.id)),
            kind=m.ShippingKind(row.kind),
            name=row.name,
            is_active=row.is_active,
            opening_hours=row.opening_hours if row.kind == m.ShippingKind.PICKUP else None,
            couriers=method.couriers,
            free_shipping_minimum=Money(amount=minimum) if minimum is not None else None,
            fees=[
                ShippingFee(fee=Money(amount=fee), kecamatan_code=code)
                for code, fee in sorted(method.fees.items())
            ],
        )


@strawberry.input(description="The own courier's fee to one kecamatan.")
class ShippingFeeInput:
    kecamatan_code: str = strawberry.field(description="A Kota Tangerang kecamatan, e.g. 36.71.01.")
    fee: Rupiah = strawberry.field(description="The fee, 0 or more.")


@strawberry.input(description="A shop's method of one kind; what the kind does not use is ignored.")
class ShippingMethodInput:
    kind: ShippingKind = strawberry.field(description="Which method: one per kind per shop.")
    name: str | None = strawberry.field(
        default=None, description="What buyers read, at most 120 characters; a default per kind."
    )
    is_active: bool = strawberry.field(default=True, description="False withdraws it.")
    opening_hours: str | None = strawberry.field(
        default=None, description="PICKUP (required): when buyers may come, at most 255 characters."
    )
    fees: list[ShippingFeeInput] | None = strawberry.field(
        default=None,
        description="SHOP_COURIER (required): the kecamatan served, each at most once.",
    )
    free_shipping_minimum: Rupiah | None = strawberry.field(
        default=None, description="SHOP_COURIER: free from this subtotal of the shop's goods on."
    )
    couriers: list[str] | None = strawberry.field(
        default=None,
        description="COURIER (required): courier codes the configured rate provider knows.",
    )


@strawberry.type(description="The answer to setShippingMethod.")
class ShippingMethodPayload:
    shipping_method: ShippingMethod | None = strawberry.field(
        default=None, description="The method as it is now; null when `errors` is not empty."
    )
    errors: list[UserError] = strawberry.field(default_factory=list, description=ERRORS)


@strawberry.input(description="The buyer's choices for one shop of the cart.")
class CheckoutShopInput:
    shop_id: strawberry.ID = strawberry.field(description="A shop of the cart, at most once.")
    shipping_option_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="One of the shop's ShippingOption ids from checkoutQuote; none: the "
        "shop's PICKUP when it has one.",
    )
    voucher_code: str | None = strawberry.field(
        default=None,
        description="The shop's voucher code, at most one, in any case: unknown NOT_FOUND; "
        "switched off, outside its window, below its minimum spend or for none of the cart's "
        "products INVALID; already used by the buyer DUPLICATE; quota used up LIMIT_EXCEEDED.",
    )


@strawberry.type(description="A way a shop can send the cart to the address, and its fee.")
class ShippingOption:
    id: strawberry.ID = strawberry.field(description="What checkout's shippingOptionId takes.")
    kind: ShippingKind = strawberry.field(description="The method's kind.")
    name: str = strawberry.field(description="What the buyer reads, e.g. JNE Reguler.")
    fee: Money = strawberry.field(description="The fee for this cart to this address now.")
    estimated_days: str | None = strawberry.field(
        description="Days on the way, e.g. 1-2; null for PICKUP."
    )
    note: str | None = strawberry.field(
        description="PICKUP: the opening hours; SHOP_COURIER: the free-shipping threshold."
    )

    @classmethod
    def of(cls, option: Option) -> ShippingOption:
        return cls(
            id=strawberry.ID(encode_id("ShippingOption", option.key)),
            kind=m.ShippingKind(option.kind),
            name=option.name,
            fee=Money(amount=option.fee),
            estimated_days=option.estimated_days,
            note=option.note or None,
        )


@strawberry.type(description="One shop of the cart as checkout would charge it now.")
class CheckoutQuoteShop:
    shop: Shop = strawberry.field(description="The shop.")
    lines: list[CartLine] = strawberry.field(description="The cart's lines from it.")
    weight_grams: int = strawberry.field(description="The parcel: weight x quantity, in grams.")
    subtotal: Money = strawberry.field(description="The goods at today's prices.")
    shipping_options: list[ShippingOption] = strawberry.field(
        description="The options that reach the address, PICKUP first."
    )
    shipping_option: ShippingOption | None = strawberry.field(
        description="The option charged: the one chosen, or the default PICKUP; null for none."
    )
    shipping_fee: Money = strawberry.field(description="The fee of `shippingOption`.")
    voucher_code: str | None = strawberry.field(description="The voucher code given.")
    discount: Money = strawberry.field(description="The voucher's discount on the goods.")
    total: Money = strawberry.field(description="subtotal + shippingFee - discount.")
    errors: list[UserError] = strawberry.field(
        description="What checkout would refuse about this shop (same codes and fields)."
    )

    @classmethod
    def of(cls, price: pricing.ShopPrice) -> CheckoutQuoteShop:
        chosen = price.shipping.chosen
        return cls(
            shop=Shop.of(price.shop),
            lines=[CartLine.of(line) for line in price.lines],
            weight_grams=price.weight_grams,
            subtotal=Money(amount=price.subtotal),
            shipping_options=[ShippingOption.of(o) for o in price.options],
            shipping_option=ShippingOption.of(chosen) if chosen is not None else None,
            shipping_fee=Money(amount=price.shipping_fee),
            voucher_code=price.voucher_code,
            discount=Money(amount=price.discount),
            total=Money(amount=price.total),
            errors=[
                UserError(field=p.field, code=p.code, message=p.message) for p in price.problems
            ],
        )


@strawberry.type(description="The cart priced to a kelurahan; nothing is reserved.")
class CheckoutQuote:
    total: Money = strawberry.field(description="What checkout would charge, all shops.")
    shops: list[CheckoutQuoteShop] = strawberry.field(description="Per shop, by shop.")


def option_key(value: strawberry.ID | None) -> str | None:
    """The option a ShippingOption id names; "" (no option of any shop) for a malformed one."""
    if value is None:
        return None
    try:
        global_id = GlobalID.from_id(value)
    except GlobalIDValueError:
        return ""
    return global_id.node_id if global_id.type_name == "ShippingOption" else ""


def shop_choices(given: list[CheckoutShopInput] | None) -> tuple[pricing.ShopChoice, ...]:
    return tuple(
        pricing.ShopChoice(
            shop_id=decode_id(entry.shop_id, "Shop", f"shops.{i}.shopId"),
            shipping_option_id=option_key(entry.shipping_option_id),
            voucher_code=entry.voucher_code,
        )
        for i, entry in enumerate(given or ())
    )


@strawberry.type
class Query:
    @strawberry.field(
        description="The courier codes a COURIER method may name: those the configured rate "
        "provider knows, e.g. jne, sicepat."
    )
    def shipping_couriers(self, info: Info) -> list[str]:
        return sorted(info.context.services.shipping_rates.couriers)

    @strawberry.field(
        description="The signed-in buyer's cart, per shop, delivered to a kelurahan: each "
        "shop's shipping options with fees and, for the choices given, what checkout would "
        "charge now. UNAUTHENTICATED when not signed in; BAD_USER_INPUT for an unknown "
        "kelurahan."
    )
    async def checkout_quote(
        self,
        info: Info,
        kelurahan_code: Annotated[
            str, strawberry.argument(description="The delivery kelurahan's Kemendagri code.")
        ],
        shops: Annotated[
            list[CheckoutShopInput] | None,
            strawberry.argument(description="Choices per shop, as checkout takes them."),
        ] = None,
    ) -> CheckoutQuote | None:
        try:
            choices = list(shop_choices(shops))
        except UserFailure as error:
            raise BadInput(str(error)) from None
        quote = await pricing.checkout_quote(
            info.context.viewer, kelurahan_code, choices, info.context.services
        )
        return CheckoutQuote(
            total=Money(amount=quote.total),
            shops=[CheckoutQuoteShop.of(price) for price in quote.shops],
        )


@strawberry.type
class Mutation:
    @strawberry.mutation(
        description="The shop's owner sets its method of input.kind (setting it again "
        "replaces it). Errors: UNAUTHENTICATED, NOT_FOUND, PERMISSION_DENIED, REQUIRED, "
        "INVALID, DUPLICATE."
    )
    async def set_shipping_method(
        self,
        info: Info,
        shop_id: Annotated[strawberry.ID, strawberry.argument(description="The Shop's id.")],
        input: Annotated[ShippingMethodInput, strawberry.argument(description="The method.")],
    ) -> ShippingMethodPayload:
        return await payload_of(
            ShippingMethodPayload,
            lambda: shipping_methods.set_shipping_method(
                info.context.viewer,
                decode_id(shop_id, "Shop", "shopId"),
                _method_fields(input),
                info.context.services,
            ),
            lambda method: ShippingMethodPayload(shipping_method=ShippingMethod.of(method)),
        )


def _method_fields(data: ShippingMethodInput) -> shipping_methods.MethodFields:
    return shipping_methods.MethodFields(
        kind=m.ShippingKind(data.kind),
        name=data.name,
        is_active=data.is_active,
        opening_hours=data.opening_hours,
        fees=(
            tuple(shipping_methods.FeeFields(f.kecamatan_code, f.fee) for f in data.fees)
            if data.fees is not None
            else None
        ),
        free_shipping_minimum=data.free_shipping_minimum,
        couriers=tuple(data.couriers) if data.couriers is not None else None,
    )
