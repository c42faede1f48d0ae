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
    Connection,
    Kelurahan,
    UserError,
    Visible,
    connection,
    decode_id,
    encode_id,
    later,
    payload_of,
)

if TYPE_CHECKING:
    from schema.catalog import Image, Product
    from schema.cooperatives import Cooperative
    from schema.orders import Complaint, ComplaintStatus, Order, OrderStatus


@strawberry.enum(description="Business size class per PP 7/2021.")
class SizeClass(Enum):
    MIKRO = "MIKRO"
    KECIL = "KECIL"
    MENENGAH = "MENENGAH"


@strawberry.type(description="The badge given or taken; `actorId` is null for the system.")
class ShopVerificationChange:
    verified: bool
    at: datetime
    actor_id: strawberry.ID | None
    reason: str

    @classmethod
    def of(cls, change: m.ShopVerificationChange) -> ShopVerificationChange:
        return cls(
            verified=change.verified,
            at=change.created_at,
            actor_id=strawberry.ID(encode_id("User", change.actor_id)) if change.actor_id else None,
            reason=change.reason,
        )


@strawberry.type
class Shop(Visible, relay.Node):
    id: relay.NodeID[int]
    slug: str
    name: str
    description: str
    is_verified: bool
    size_class: SizeClass
    whatsapp: str
    address: str
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

    @strawberry.field
    def kelurahan(self) -> Kelurahan:
        return Kelurahan.referenced(self.model.kelurahan_id)

    @strawberry.field(description="Active products; the owner also sees drafts and archived ones.")
    async def products(
        self, info: Info, first: int | None = 24, after: str | None = None
    ) -> Connection[Annotated[Product, strawberry.lazy("schema.catalog")]]:
        Product = later("schema.catalog", "Product")
        page = await catalog.shop_products_page(
            info.context.viewer, self.model, first=first, after=after
        )
        await later("schema.catalog", "prefetch_cards")(info, page.items)
        return connection(page, Product.of)

    @strawberry.field(description="Incoming orders, newest first; visible to the owner only.")
    async def orders(
        self,
        info: Info,
        status: Annotated[OrderStatus, strawberry.lazy("schema.orders")] | None = None,
        first: int | None = 20,
        after: str | None = None,
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
        first: Annotated[int | None, strawberry.argument(description="Page size.")] = 20,
        after: Annotated[
            str | None, strawberry.argument(description="The cursor to start after.")
        ] = None,
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

    @strawberry.field
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


@strawberry.input
class CreateShopInput:
    name: str
    size_class: SizeClass
    kelurahan_code: str
    whatsapp: str
    description: str = ""
    address: str = ""
    nib: str | None = None


@strawberry.input
class UpdateShopInput:
    name: str | None = None
    description: str | None = None
    size_class: SizeClass | None = None
    kelurahan_code: str | None = None
    address: str | None = None
    whatsapp: str | None = None
    nib: str | None = None


@strawberry.input
class ShopFilter:
    kecamatan: str | None = None
    kelurahan: str | None = None
    verified: bool | None = None


@strawberry.type
class ShopPayload:
    shop: Shop | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


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
    @strawberry.field
    async def shop(self, info: Info, slug: str) -> Shop | None:
        found = await shops.shop_by_slug(slug)
        if found is None:
            return None
        info.context.loaders.shop.prime(found.id, found)  # its products ask for it again
        return Shop.of(found)

    @strawberry.field(description="The shops directory, newest first; `query` matches names.")
    async def shops(
        self,
        query: str | None = None,
        filter: ShopFilter | None = None,
        first: int | None = 20,
        after: str | None = None,
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
    @strawberry.mutation
    async def create_shop(self, info: Info, input: CreateShopInput) -> ShopPayload:
        return await payload_of(
            ShopPayload,
            lambda: shops.create_shop(info.context.viewer, _fields(input)),
            lambda shop: ShopPayload(shop=Shop.of(shop)),
        )

    @strawberry.mutation
    async def update_shop(
        self, info: Info, id: strawberry.ID, input: UpdateShopInput
    ) -> ShopPayload:
        return await payload_of(
            ShopPayload,
            lambda: shops.update_shop(info.context.viewer, decode_id(id, "Shop"), _fields(input)),
            lambda shop: ShopPayload(shop=Shop.of(shop)),
        )

    @strawberry.mutation(
        description="CITY_ADMIN: mark a shop with a checked 13-digit NIB verified."
    )
    async def verify_shop(self, info: Info, id: strawberry.ID) -> ShopPayload:
        return await payload_of(
            ShopPayload,
            lambda: shops.verify_shop(info.context.viewer, decode_id(id, "Shop")),
            lambda shop: ShopPayload(shop=Shop.of(shop)),
        )
