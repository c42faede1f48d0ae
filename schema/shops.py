"""UMKM shops: the public page, the owner's changes, the Dinas's verification."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry import relay
from strawberry.types import Info

from models import shops as m
from resolvers import catalog, orders, shops
from schema.platform import (
    ERRORS,
    After,
    Connection,
    First,
    Kelurahan,
    UserError,
    Visible,
    connection,
    decode_id,
    described_enum,
    encode_id,
    later,
    payload_of,
    then,
)

if TYPE_CHECKING:
    from schema.catalog import Image, Product, Rating, Review
    from schema.cooperatives import Cooperative
    from schema.orders import Complaint, ComplaintStatus, Order, OrderStatus, Voucher
    from schema.orders.shipping import ShippingMethod
    from schema.payouts import (
        Payout,
        PayoutDestination,
        PayoutStatus,
        SellerBalance,
        SellerMovement,
        SellerStatementFile,
    )


class SizeClass(Enum):
    MIKRO = "MIKRO"
    KECIL = "KECIL"
    MENENGAH = "MENENGAH"


described_enum(
    SizeClass,
    "Business size class per PP 7/2021 (by capital or yearly sales).",
    {
        "MIKRO": "Usaha mikro: capital up to Rp1 billion, or sales up to Rp2 billion a year.",
        "KECIL": "Usaha kecil: capital over Rp1 up to Rp5 billion, or sales over Rp2 up to "
        "Rp15 billion a year.",
        "MENENGAH": "Usaha menengah: capital over Rp5 up to Rp10 billion, or sales over Rp15 "
        "up to Rp50 billion a year.",
    },
)


@strawberry.type(description="The badge given or taken; `actorId` is null for the system.")
class ShopVerificationChange:
    verified: bool = strawberry.field(description="Whether the shop was verified after it.")
    at: datetime = strawberry.field(description="When.")
    actor_id: strawberry.ID | None = strawberry.field(
        description="The User who did it: the CITY_ADMIN who verified, the owner whose change "
        "took the badge; null for the system."
    )
    reason: str = strawberry.field(description="Why, in Bahasa Indonesia.")

    @classmethod
    def of(cls, change: m.ShopVerificationChange) -> ShopVerificationChange:
        return cls(
            verified=change.verified,
            at=change.created_at,
            actor_id=strawberry.ID(encode_id("User", change.actor_id)) if change.actor_id else None,
            reason=change.reason,
        )


@strawberry.type(
    description="A UMKM shop of the marketplace; public. Only its owner may change it, its "
    "products, images and orders."
)
class Shop(Visible, relay.Node):
    id: relay.NodeID[int]
    slug: str = strawberry.field(description="Unique, from the name; for `shop(slug:)` and URLs.")
    name: str = strawberry.field(description="At most 120 characters.")
    description: str = strawberry.field(description="Plain text, possibly empty.")
    is_verified: bool = strawberry.field(
        description="The Dinas checked its 13-digit NIB (verifyShop); the badge shows in search."
    )
    size_class: SizeClass = strawberry.field(description="Its business size class.")
    whatsapp: str = strawberry.field(description="An Indonesian mobile number, as E.164 (+62...).")
    address: str = strawberry.field(description="Its street address, possibly empty.")
    model: strawberry.Private[m.Shop]

    @classmethod
    def of(cls, shop: m.Shop) -> Shop:
        return cls(
            id=shop.id,
            slug=shop.slug,
            name=shop.name,
            description=shop.description,
            is_verified=shop.is_verified,
            size_class=SizeClass(shop.size_class),
            whatsapp=shop.whatsapp,
            address=shop.address,
            model=shop,
        )

    @strawberry.field(description="Where it is.")
    def kelurahan(self) -> Kelurahan:
        return Kelurahan.referenced(self.model.kelurahan_id)

    @strawberry.field(
        description="How it ships, PICKUP first: the active methods; its owner sees every "
        "method. A new shop has none."
    )
    async def shipping_methods(
        self, info: Info
    ) -> list[Annotated[ShippingMethod, strawberry.lazy("schema.orders.shipping")]]:
        ShippingMethod = later("schema.orders.shipping", "ShippingMethod")
        methods = await info.context.loaders.shipping_methods.load(self.model.id)
        shown = orders.shipping_methods.shown_methods(info.context.viewer, self.model, methods)
        return [ShippingMethod.of(method) for method in shown]

    @strawberry.field(
        description="Its products, newest first: ACTIVE ones; the owner also sees drafts and "
        "archived ones."
    )
    async def products(
        self, info: Info, first: First = 24, after: After = None
    ) -> Connection[Annotated[Product, strawberry.lazy("schema.catalog")]]:
        Product = later("schema.catalog", "Product")
        page = await catalog.shop_products_page(
            info.context.viewer, self.model, first=first, after=after
        )
        await later("schema.catalog", "prefetch_cards")(info, page.items)
        return connection(page, Product.of)

    @strawberry.field(
        description="Incoming orders, newest first; for the owner only (anyone else gets a "
        "FORBIDDEN error, or UNAUTHENTICATED when not signed in)."
    )
    async def orders(
        self,
        info: Info,
        status: Annotated[
            Annotated[OrderStatus, strawberry.lazy("schema.orders")] | None,
            strawberry.argument(description="Only orders in this status."),
        ] = None,
        first: First = 20,
        after: After = None,
    ) -> Connection[Annotated[Order, strawberry.lazy("schema.orders")]] | None:
        Order = later("schema.orders", "Order")
        page = await orders.shop_orders_page(
            info.context.viewer, self.model, status, first=first, after=after
        )
        return connection(page, Order.of)

    @strawberry.field(
        description="Buyers' complaints about the shop's orders, newest first; visible to the "
        "owner only."
    )
    async def complaints(
        self,
        info: Info,
        status: Annotated[
            Annotated[ComplaintStatus, strawberry.lazy("schema.orders")] | None,
            strawberry.argument(description="Only complaints of this status."),
        ] = None,
        first: First = 20,
        after: After = None,
    ) -> Connection[Annotated[Complaint, strawberry.lazy("schema.orders")]] | None:
        Complaint = later("schema.orders", "Complaint")
        page = await orders.complaints.shop_complaints_page(
            info.context.viewer,
            self.model,
            status.name if status else None,
            first=first,
            after=after,
        )
        return connection(page, Complaint.of)

    @strawberry.field(
        description="Its vouchers, newest first: anyone sees those switched on and within their "
        "window (with `used` null); the owner sees every one with its uses."
    )
    async def vouchers(
        self, info: Info, first: First = 20, after: After = None
    ) -> Connection[Annotated[Voucher, strawberry.lazy("schema.orders")]]:
        Voucher = later("schema.orders", "Voucher")
        page = await orders.vouchers.shop_vouchers_page(
            info.context.viewer, self.model, first=first, after=after
        )
        return connection(page, Voucher.of)

    @strawberry.field(
        description="Its money on the marketplace (saldo penjual); the owner only, null for "
        "anyone else."
    )
    async def balance(
        self, info: Info
    ) -> Annotated[SellerBalance, strawberry.lazy("schema.payouts")] | None:
        return await later("schema.payouts.shop_fields", "shop_balance")(info, self.model)

    @strawberry.field(
        description="Every movement of its available balance, newest first; the owner only, "
        "null for anyone else."
    )
    async def balance_statement(
        self,
        info: Info,
        period: Annotated[
            str | None, strawberry.argument(description="One Jakarta month, YYYY-MM.")
        ] = None,
        first: First = 50,
        after: After = None,
    ) -> Connection[Annotated[SellerMovement, strawberry.lazy("schema.payouts")]] | None:
        found = later("schema.payouts.shop_fields", "shop_statement")
        return await found(info, self.model, period, first, after)

    @strawberry.field(
        description="One Jakarta month's statement as signed files (CSV, xlsx, PDF); the "
        "owner only, null for anyone else."
    )
    async def statement_file(
        self,
        info: Info,
        period: Annotated[
            str, strawberry.argument(description="YYYY-MM, up to the running month.")
        ],
    ) -> Annotated[SellerStatementFile, strawberry.lazy("schema.payouts")] | None:
        found = later("schema.payouts.shop_fields", "shop_statement_file")
        return await found(info, self.model, period)

    @strawberry.field(
        description="Where its payouts may go, oldest first; the owner only, null for anyone else."
    )
    async def payout_destinations(
        self, info: Info
    ) -> list[Annotated[PayoutDestination, strawberry.lazy("schema.payouts")]] | None:
        return await later("schema.payouts.shop_fields", "shop_destinations")(info, self.model)

    @strawberry.field(description="Its payouts, newest first; the owner only, null otherwise.")
    async def payouts(
        self,
        info: Info,
        status: Annotated[
            Annotated[PayoutStatus, strawberry.lazy("schema.payouts")] | None,
            strawberry.argument(description="Only payouts in this status."),
        ] = None,
        first: First = 20,
        after: After = None,
    ) -> Connection[Annotated[Payout, strawberry.lazy("schema.payouts")]] | None:
        found = later("schema.payouts.shop_fields", "shop_payouts")
        return await found(info, self.model, status, first, after)

    @strawberry.field(description="Its logo (uploadShopLogo); null when it has none.")
    async def logo(self, info: Info) -> Annotated[Image, strawberry.lazy("schema.catalog")] | None:
        Image = later("schema.catalog", "Image")
        if self.model.logo_id is None:
            return None
        found = await info.context.loaders.image.load(self.model.logo_id)
        return Image.of(found) if found else None

    @strawberry.field(description="The cooperative that runs this shop, if any.")
    async def cooperative(
        self, info: Info
    ) -> Annotated[Cooperative, strawberry.lazy("schema.cooperatives")] | None:
        Cooperative = later("schema.cooperatives", "Cooperative")
        if self.model.cooperative_id is None:
            return None
        found = await info.context.loaders.cooperative.load(self.model.cooperative_id)
        return Cooperative.of(found) if found else None

    @strawberry.field(
        description="When the badge was given and taken, oldest first; for the owner and the "
        "Dinas only (null for others). A verified shop that changes its name or NIB loses it."
    )
    async def verification_history(self, info: Info) -> list[ShopVerificationChange] | None:
        found = await shops.verification_history(info.context.viewer, self.model)
        return None if found is None else [ShopVerificationChange.of(c) for c in found]

    @strawberry.field(description="Number of active products.")
    async def product_count(self, info: Info) -> int:
        return await info.context.loaders.shop_product_count.load(self.model.id)

    @strawberry.field(description="The stars of the visible reviews of all its products.")
    def rating(self, info: Info) -> Annotated[Rating, strawberry.lazy("schema.catalog")]:
        Rating = later("schema.catalog", "Rating")
        return then(info.context.loaders.shop_rating.load(self.model.id), Rating.of)

    @strawberry.field(
        description="The visible reviews of its products, newest first, for anyone. The "
        "seller's inbox is replied: false."
    )
    async def reviews(
        self,
        replied: Annotated[
            bool | None,
            strawberry.argument(
                description="false: those without the shop's reply; true: those answered; "
                "null: both."
            ),
        ] = None,
        first: First = 20,
        after: After = None,
    ) -> Connection[Annotated[Review, strawberry.lazy("schema.catalog")]]:
        Review = later("schema.catalog", "Review")
        page = await catalog.reviews.shop_reviews_page(self.model.id, replied, first, after)
        return connection(page, Review.of)


NAME = "Required, at most 120 characters."
DESCRIPTION = "Plain text, at most 5000 characters."
KELURAHAN_CODE = "The Kemendagri code of a kelurahan of Kota Tangerang."
ADDRESS = "At most 255 characters."
WHATSAPP = "An Indonesian mobile number in any common form (0812..., +62812...)."
NIB = (
    "The 13-digit Nomor Induk Berusaha (optional at first, needed to be verified). A NIB "
    "belongs to the owner of the first shop naming it: another owner's is DUPLICATE."
)


@strawberry.input(description="A new shop.")
class CreateShopInput:
    name: str = strawberry.field(description=NAME)
    size_class: SizeClass = strawberry.field(description="Its business size class.")
    kelurahan_code: str = strawberry.field(description=KELURAHAN_CODE)
    whatsapp: str = strawberry.field(description=WHATSAPP)
    description: str = strawberry.field(default="", description=DESCRIPTION)
    address: str = strawberry.field(default="", description=ADDRESS)
    nib: str | None = strawberry.field(default=None, description=NIB)


@strawberry.input(
    description="What to change: the fields given, the others stay. A verified shop that "
    "changes its name or NIB loses its badge until the Dinas verifies it again."
)
class UpdateShopInput:
    name: str | None = strawberry.field(default=None, description=NAME)
    description: str | None = strawberry.field(default=None, description=DESCRIPTION)
    size_class: SizeClass | None = strawberry.field(
        default=None, description="Its business size class."
    )
    kelurahan_code: str | None = strawberry.field(default=None, description=KELURAHAN_CODE)
    address: str | None = strawberry.field(default=None, description=ADDRESS)
    whatsapp: str | None = strawberry.field(default=None, description=WHATSAPP)
    nib: str | None = strawberry.field(default=None, description=NIB)


@strawberry.input(description="Narrows the shops directory; the conditions given all hold.")
class ShopFilter:
    kecamatan: str | None = strawberry.field(
        default=None, description="A kecamatan's Kemendagri code (an unknown one finds none)."
    )
    kelurahan: str | None = strawberry.field(
        default=None, description="A kelurahan's Kemendagri code (an unknown one finds none)."
    )
    verified: bool | None = strawberry.field(
        default=None, description="Only verified (true) or unverified (false) shops."
    )


@strawberry.type(description="The answer to a change of a shop.")
class ShopPayload:
    shop: Shop | None = strawberry.field(
        default=None, description="The shop as it is now; null when `errors` is not empty."
    )
    errors: list[UserError] = strawberry.field(default_factory=list, description=ERRORS)


def _fields(data: CreateShopInput | UpdateShopInput) -> shops.ShopFields:
    return shops.ShopFields(
        name=data.name,
        description=data.description,
        size_class=data.size_class.value if data.size_class else None,
        kelurahan_code=data.kelurahan_code,
        address=data.address,
        whatsapp=data.whatsapp,
        nib=data.nib,
    )


@strawberry.type
class Query:
    @strawberry.field(description="A shop by its slug; null when there is none.")
    async def shop(
        self,
        info: Info,
        slug: Annotated[str, strawberry.argument(description="The shop's `slug`.")],
    ) -> Shop | None:
        found = await shops.shop_by_slug(slug)
        if found is None:
            return None
        info.context.loaders.shop.prime(found.id, found)  # its products ask for it again
        return Shop.of(found)

    @strawberry.field(description="The shops directory, newest first.")
    async def shops(
        self,
        query: Annotated[
            str | None,
            strawberry.argument(
                description="Free text matched against shop names and descriptions, with "
                "word forms and small typos as in product search; none lists every shop."
            ),
        ] = None,
        filter: Annotated[
            ShopFilter | None, strawberry.argument(description="Region and badge conditions.")
        ] = None,
        first: First = 20,
        after: After = None,
    ) -> Connection[Shop]:
        given = filter or ShopFilter()
        page = await shops.shops_page(
            query,
            shops.ShopFilter(given.kecamatan, given.kelurahan, given.verified),
            first=first,
            after=after,
        )
        return connection(page, Shop.of)


@strawberry.type
class Mutation:
    @strawberry.mutation(
        description="Opens a shop owned by the signed-in user. Errors: UNAUTHENTICATED, "
        "REQUIRED, INVALID (name, sizeClass, kelurahanCode, whatsapp, address, nib), "
        "DUPLICATE (nib)."
    )
    async def create_shop(
        self,
        info: Info,
        input: Annotated[CreateShopInput, strawberry.argument(description="The shop.")],
    ) -> ShopPayload:
        return await payload_of(
            ShopPayload,
            lambda: shops.create_shop(info.context.viewer, _fields(input)),
            lambda shop: ShopPayload(shop=Shop.of(shop)),
        )

    @strawberry.mutation(
        description="Changes a shop; its owner only. Errors: UNAUTHENTICATED, NOT_FOUND, "
        "PERMISSION_DENIED, REQUIRED, INVALID, DUPLICATE (nib)."
    )
    async def update_shop(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="The Shop's id.")],
        input: Annotated[UpdateShopInput, strawberry.argument(description="What to change.")],
    ) -> ShopPayload:
        return await payload_of(
            ShopPayload,
            lambda: shops.update_shop(info.context.viewer, decode_id(id, "Shop"), _fields(input)),
            lambda shop: ShopPayload(shop=Shop.of(shop)),
        )

    @strawberry.mutation(
        description="CITY_ADMIN: mark a shop with a checked 13-digit NIB verified; the badge "
        "shows in search. Errors: UNAUTHENTICATED, PERMISSION_DENIED, NOT_FOUND, "
        "INVALID_STATE (no valid NIB)."
    )
    async def verify_shop(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="The Shop's id.")],
    ) -> ShopPayload:
        return await payload_of(
            ShopPayload,
            lambda: shops.verify_shop(info.context.viewer, decode_id(id, "Shop")),
            lambda shop: ShopPayload(shop=Shop.of(shop)),
        )
