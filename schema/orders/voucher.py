"""Shop vouchers: what the owner creates and switches, and what buyers see of them."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry import relay
from strawberry.types import Info

from models import orders as m
from models.catalog import ProductStatus
from resolvers.orders import vouchers
from resolvers.orders.vouchers import VoucherFields
from schema.platform import (
    ERRORS,
    Money,
    Rupiah,
    UserError,
    Visible,
    decode_id,
    described_enum,
    later,
    payload_of,
)
from schema.shops import Shop

if TYPE_CHECKING:
    from schema.catalog import Product

VoucherKind = described_enum(
    m.VoucherKind,
    "How a voucher takes money off the eligible goods.",
    {
        "FIXED": "A fixed amount, at most the eligible goods.",
        "PERCENT": "A share of the eligible goods, rounded down, at most maxDiscount.",
    },
)


@strawberry.type(
    description="A shop's voucher: at most one per shop at checkout, once per buyer, within its "
    "window and quota. Public while switched on and within its window; its owner sees all."
)
class Voucher(Visible, relay.Node):
    id: relay.NodeID[int]
    code: str = strawberry.field(
        description="4-20 letters and digits, upper-case; buyers may type it in any case."
    )
    kind: VoucherKind = strawberry.field(description="FIXED or PERCENT.")
    percent: int | None = strawberry.field(description="PERCENT: 1-100; null for FIXED.")
    quota: int = strawberry.field(description="How many uses it has in all.")
    is_active: bool = strawberry.field(description="False: switched off by its owner.")
    starts_at: datetime = strawberry.field(description="From when it can be used.")
    ends_at: datetime = strawberry.field(description="Until when (not included) it can be used.")
    model: strawberry.Private[m.Voucher]

    @classmethod
    def of(cls, voucher: m.Voucher) -> Voucher:
        return cls(
            id=voucher.id,
            code=voucher.code,
            kind=m.VoucherKind(voucher.kind),
            percent=voucher.percent,
            quota=voucher.quota,
            is_active=voucher.is_active,
            starts_at=voucher.starts_at,
            ends_at=voucher.ends_at,
            model=voucher,
        )

    @strawberry.field(description="FIXED: the amount off; null for PERCENT.")
    def amount(self) -> Money | None:
        return Money(amount=self.model.amount) if self.kind == m.VoucherKind.FIXED else None

    @strawberry.field(description="PERCENT: the most it takes off; null for FIXED.")
    def max_discount(self) -> Money | None:
        cap = self.model.max_discount
        return Money(amount=cap) if cap is not None else None

    @strawberry.field(description="The least the eligible goods must come to; Rp0: no minimum.")
    def min_spend(self) -> Money:
        return Money(amount=self.model.min_spend)

    @strawberry.field(
        description="Uses taken and not given back (a cancelled or fully refunded order gives "
        "its use back); for the shop's owner only, null for anyone else."
    )
    async def used(self, info: Info) -> int | None:
        shop = await info.context.loaders.shop.load(self.model.shop_id)
        viewer = info.context.viewer
        return self.model.used if viewer is not None and viewer.id == shop.owner_id else None

    @strawberry.field(
        description="The products it is limited to; empty: every product of the shop. Others "
        "see only the active ones."
    )
    async def products(
        self, info: Info
    ) -> list[Annotated[Product, strawberry.lazy("schema.catalog")]]:
        Product = later("schema.catalog", "Product")
        found = await info.context.loaders.voucher_products.load(self.model.id)
        shop = await info.context.loaders.shop.load(self.model.shop_id)
        viewer = info.context.viewer
        if viewer is None or viewer.id != shop.owner_id:
            found = [p for p in found if p.status == ProductStatus.ACTIVE]
        return [Product.of(p) for p in found]

    @strawberry.field(description="The shop it is for.")
    async def shop(self, info: Info) -> Shop:
        return Shop.of(await info.context.loaders.shop.load(self.model.shop_id))


CODE = "4-20 letters and digits; stored upper-case, unique within the shop (DUPLICATE)."
AMOUNT = "FIXED: the amount off, more than 0 (INVALID)."
PERCENT = "PERCENT: 1-100 (INVALID)."
MAX_DISCOUNT = "PERCENT: the most it takes off, more than 0 (INVALID)."
MIN_SPEND = "The least the eligible goods must come to, 0 or more."
ENDS_AT = "Until when (not included); after startsAt (INVALID)."
PRODUCT_IDS = "Products of the shop it is limited to (another's: INVALID); empty: all."


@strawberry.input(description="A new voucher of one's own shop.")
class CreateVoucherInput:
    shop_id: strawberry.ID = strawberry.field(description="The Shop's id.")
    code: str = strawberry.field(description=CODE)
    kind: VoucherKind = strawberry.field(description="FIXED or PERCENT.")
    starts_at: datetime = strawberry.field(description="From when it can be used.")
    ends_at: datetime = strawberry.field(description=ENDS_AT)
    quota: int = strawberry.field(description="How many uses in all, at least 1 (INVALID).")
    amount: Rupiah | None = strawberry.field(default=None, description=AMOUNT)
    percent: int | None = strawberry.field(default=None, description=PERCENT)
    max_discount: Rupiah | None = strawberry.field(default=None, description=MAX_DISCOUNT)
    min_spend: Rupiah = strawberry.field(default=0, description=MIN_SPEND)
    product_ids: list[strawberry.ID] = strawberry.field(
        default_factory=list, description=PRODUCT_IDS
    )


@strawberry.input(description="What to change of a voucher: the fields given, the others stay.")
class UpdateVoucherInput:
    is_active: bool | None = strawberry.field(
        default=None, description="False switches it off at once; true switches it back on."
    )
    amount: Rupiah | None = strawberry.field(default=None, description=AMOUNT)
    percent: int | None = strawberry.field(default=None, description=PERCENT)
    max_discount: Rupiah | None = strawberry.field(default=None, description=MAX_DISCOUNT)
    min_spend: Rupiah | None = strawberry.field(default=None, description=MIN_SPEND)
    starts_at: datetime | None = strawberry.field(default=None, description="From when.")
    ends_at: datetime | None = strawberry.field(default=None, description=ENDS_AT)
    quota: int | None = strawberry.field(
        default=None,
        description="How many uses in all, at least its current uses (INVALID); holds for the "
        "checkouts that follow.",
    )
    product_ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description=PRODUCT_IDS
    )


@strawberry.type(description="The answer to a change of a voucher.")
class VoucherPayload:
    voucher: Voucher | None = strawberry.field(
        default=None, description="The voucher as it is now; null when `errors` is not empty."
    )
    errors: list[UserError] = strawberry.field(default_factory=list, description=ERRORS)


def _fields(input: CreateVoucherInput | UpdateVoucherInput, **extra: object) -> VoucherFields:
    """What both inputs may give; `extra` what only one of them has."""
    ids = input.product_ids
    return vouchers.VoucherFields(
        amount=input.amount,
        percent=input.percent,
        max_discount=input.max_discount,
        min_spend=input.min_spend,
        starts_at=input.starts_at,
        ends_at=input.ends_at,
        quota=input.quota,
        product_ids=None if ids is None else [decode_id(i, "Product", "productIds") for i in ids],
        **extra,  # type: ignore[arg-type]
    )


def _done(voucher: m.Voucher) -> VoucherPayload:
    return VoucherPayload(voucher=Voucher.of(voucher))


@strawberry.type
class Mutation:
    @strawberry.mutation(
        description="The shop's owner creates a voucher. Errors: UNAUTHENTICATED, NOT_FOUND, "
        "PERMISSION_DENIED, REQUIRED, INVALID, DUPLICATE (code)."
    )
    async def create_voucher(
        self,
        info: Info,
        input: Annotated[CreateVoucherInput, strawberry.argument(description="The voucher.")],
    ) -> VoucherPayload:
        async def work() -> m.Voucher:
            given = _fields(input, code=input.code, kind=m.VoucherKind(input.kind))
            shop_id = decode_id(input.shop_id, "Shop", "shopId")
            return await vouchers.create_voucher(info.context.viewer, shop_id, given)

        return await payload_of(VoucherPayload, work, _done)

    @strawberry.mutation(
        description="The shop's owner changes a voucher; nothing changes on any error. Errors: "
        "UNAUTHENTICATED, NOT_FOUND, PERMISSION_DENIED, INVALID."
    )
    async def update_voucher(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="The Voucher's id.")],
        input: Annotated[UpdateVoucherInput, strawberry.argument(description="What to change.")],
    ) -> VoucherPayload:
        async def work() -> m.Voucher:
            given = _fields(input, is_active=input.is_active)
            voucher_id = decode_id(id, "Voucher", "id")
            return await vouchers.update_voucher(info.context.viewer, voucher_id, given)

        return await payload_of(VoucherPayload, work, _done)
