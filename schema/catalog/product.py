"""Categories and products."""

from __future__ import annotations

import asyncio
from enum import Enum
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry import relay
from strawberry.types import Info

from models import catalog as m
from resolvers import catalog
from resolvers.platform import regions
from schema.platform import Money, Rupiah, UserError, Visible, decode_id, payload_of, selected, then
from schema.shops import Shop

if TYPE_CHECKING:
    from schema.catalog.images import Image, ImageRendition


@strawberry.enum
class ProductStatus(Enum):
    DRAFT = "DRAFT"
    ACTIVE = "ACTIVE"
    ARCHIVED = "ARCHIVED"


@strawberry.type
class Category:
    slug: str
    name: str
    model: strawberry.Private[m.Category]

    @classmethod
    def of(cls, category: m.Category) -> Category:
        return cls(slug=category.slug, name=category.name, model=category)

    @strawberry.field
    async def parent(self, info: Info) -> Category | None:
        if self.model.parent_id is None:
            return None
        found = await info.context.loaders.category.load(self.model.parent_id)
        return Category.of(found) if found else None

    @strawberry.field
    def children(self, info: Info) -> list[Category]:
        tree = info.context.extra.get("category_children", {})
        return [Category.of(c) for c in tree.get(self.model.id, [])]

    @strawberry.field(description="Active products here, subcategories included.")
    async def product_count(self, info: Info) -> int:
        return await info.context.loaders.category_product_count.load(self.model.id)


@strawberry.type
class Product(Visible, relay.Node):
    id: relay.NodeID[int]
    slug: str
    name: str
    description: str
    stock: int
    weight_grams: int
    is_halal: bool
    status: ProductStatus
    model: strawberry.Private[m.Product]

    @classmethod
    def of(cls, product: m.Product) -> Product:
        return cls(
            id=product.id,
            slug=product.slug,
            name=product.name,
            description=product.description,
            stock=product.stock,
            weight_grams=product.weight_grams,
            is_halal=product.is_halal,
            status=ProductStatus(product.status),
            model=product,
        )

    @strawberry.field
    def price(self) -> Money:
        return Money(amount=self.model.price)

    @strawberry.field
    def in_stock(self) -> bool:
        return self.model.stock > 0

    @strawberry.field
    async def images(
        self, info: Info
    ) -> list[Annotated[Image, strawberry.lazy("schema.catalog.images")]]:
        from schema.catalog.images import Image

        return [Image.of(i) for i in await info.context.loaders.product_images.load(self.model.id)]

    @strawberry.field(description="The first photo's smallest rendition at least `width` wide.")
    def thumbnail(
        self, info: Info, width: int = 320
    ) -> Annotated[ImageRendition, strawberry.lazy("schema.catalog.images")] | None:
        from schema.catalog.images import Image

        return then(
            info.context.loaders.product_images.load(self.model.id),
            lambda found: Image.of(found[0]).thumbnail(info, width) if found else None,
        )

    @strawberry.field
    def shop(self, info: Info) -> Shop:
        return then(info.context.loaders.shop.load(self.model.shop_id), Shop.of)

    @strawberry.field
    def category(self, info: Info) -> Category:
        return then(info.context.loaders.category.load(self.model.category_id), Category.of)


@strawberry.input
class CreateProductInput:
    shop_id: strawberry.ID
    name: str
    price: Rupiah
    category_slug: str
    description: str = ""
    stock: int = 0
    weight_grams: int = 0
    is_halal: bool = False
    status: ProductStatus = ProductStatus.DRAFT


@strawberry.input
class UpdateProductInput:
    name: str | None = None
    description: str | None = None
    price: Rupiah | None = None
    stock: int | None = None
    weight_grams: int | None = None
    category_slug: str | None = None
    is_halal: bool | None = None
    status: ProductStatus | None = None


@strawberry.type
class ProductPayload:
    product: Product | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


def _fields(data: CreateProductInput | UpdateProductInput) -> catalog.ProductFields:
    return catalog.ProductFields(
        name=data.name,
        description=data.description,
        price=data.price,
        stock=data.stock,
        weight_grams=data.weight_grams,
        category_slug=data.category_slug,
        is_halal=data.is_halal,
        status=data.status.value if data.status else None,
    )


@strawberry.type
class Query:
    @strawberry.field(description="The category tree: top-level categories with their children.")
    async def categories(self, info: Info) -> list[Category]:
        every = list((await catalog.category_tree()).by_id.values())  # in position order
        children: dict[int, list[m.Category]] = {}
        for category in every:
            if category.parent_id is not None:
                children.setdefault(category.parent_id, []).append(category)
        info.context.extra["category_children"] = children
        return [Category.of(c) for c in every if c.parent_id is None]

    @strawberry.field
    async def product(self, info: Info, slug: str) -> Product | None:
        found = await catalog.product_by_slug(info.context.viewer, slug)
        return Product.of(found) if found else None


@strawberry.type
class Mutation:
    @strawberry.mutation
    async def create_product(self, info: Info, input: CreateProductInput) -> ProductPayload:
        return await payload_of(
            ProductPayload,
            lambda: catalog.create_product(
                info.context.viewer, decode_id(input.shop_id, "Shop", "shopId"), _fields(input)
            ),
            lambda product: ProductPayload(product=Product.of(product)),
        )

    @strawberry.mutation
    async def update_product(
        self, info: Info, id: strawberry.ID, input: UpdateProductInput
    ) -> ProductPayload:
        return await payload_of(
            ProductPayload,
            lambda: catalog.update_product(
                info.context.viewer, decode_id(id, "Product"), _fields(input)
            ),
            lambda product: ProductPayload(product=Product.of(product)),
        )


async def prefetch_cards(info: Info, products: list[m.Product]) -> None:
    """Load at once what the product cards of a page show, so that their fields answer
    without waiting (see `schema.platform.eventually`); the same batched statements as otherwise.
    Nothing is loaded when the page's `edges` are not asked for."""
    if "edges" not in selected(info):
        return
    loaders = info.context.loaders
    await asyncio.gather(
        loaders.shop.load_many(sorted({p.shop_id for p in products})),
        loaders.category.load_many(sorted({p.category_id for p in products})),
        loaders.product_images.load_many([p.id for p in products]),
        regions.directory(),
    )
