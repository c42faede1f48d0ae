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
from schema.platform import (
    ERRORS,
    After,
    Connection,
    First,
    Money,
    Rupiah,
    UserError,
    Visible,
    connection,
    decode_id,
    described_enum,
    payload_of,
    selected,
    then,
)
from schema.shops import Shop

if TYPE_CHECKING:
    from schema.catalog.images import Image, ImageRendition
    from schema.catalog.reviews import Rating, Review
    from schema.catalog.variants import PriceRange, ProductOption, ProductVariant

Width = Annotated[
    int,
    strawberry.argument(
        description="The width wanted, in pixels: renditions are 160, 320, 640 and 1280 wide "
        "(those narrower than the original) and the original's own width."
    ),
]


class ProductStatus(Enum):
    DRAFT = "DRAFT"
    ACTIVE = "ACTIVE"
    ARCHIVED = "ARCHIVED"


described_enum(
    ProductStatus,
    "Whether a product is for sale; only ACTIVE ones are public.",
    {
        "DRAFT": "Being prepared: seen by the shop's owner only (a new product's default).",
        "ACTIVE": "For sale: public, searchable, can be put in a cart.",
        "ARCHIVED": "No longer sold: seen by the shop's owner only.",
    },
)


@strawberry.type(description="A product category; the tree is fixed (it changes with releases).")
class Category:
    slug: str = strawberry.field(
        description="Stable; for `ProductFilter.category` and `categorySlug`."
    )
    name: str = strawberry.field(description="Its name, in Bahasa Indonesia.")
    model: strawberry.Private[m.Category]

    @classmethod
    def of(cls, category: m.Category) -> Category:
        return cls(slug=category.slug, name=category.name, model=category)

    @strawberry.field(description="The category it is under; null at the top.")
    async def parent(self, info: Info) -> Category | None:
        if self.model.parent_id is None:
            return None
        found = await info.context.loaders.category.load(self.model.parent_id)
        return Category.of(found) if found else None

    @strawberry.field(description="Its subcategories, in order.")
    async def children(self) -> list[Category]:
        every = (await catalog.category_tree()).by_id.values()  # in position order
        return [Category.of(c) for c in every if c.parent_id == self.model.id]

    @strawberry.field(description="Active products here, subcategories included.")
    async def product_count(self, info: Info) -> int:
        return await info.context.loaders.category_product_count.load(self.model.id)


@strawberry.type(
    description="A shop's product. Everyone sees it while ACTIVE; drafts and archived ones "
    "only the shop's owner (to anyone else they are null, like a missing one)."
)
class Product(Visible, relay.Node):
    id: relay.NodeID[int]
    slug: str = strawberry.field(
        description="Unique, from the name and the shop's; for `product(slug:)` and URLs."
    )
    name: str = strawberry.field(description="At most 120 characters.")
    description: str = strawberry.field(description="Plain text, possibly empty.")
    stock: int = strawberry.field(
        description="Units left to sell (of all its active variants); never below zero."
    )
    weight_grams: int = strawberry.field(description="Shipping weight in grams; 0 if unknown.")
    is_halal: bool = strawberry.field(description="The shop declares it halal.")
    status: ProductStatus = strawberry.field(description="Whether it is for sale.")
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

    @strawberry.field(
        description="The price of one unit now; with options, the lowest of its active "
        'variants ("mulai").'
    )
    def price(self) -> Money:
        return Money(amount=self.model.price)

    @strawberry.field(description="Whether `stock` is above zero: some variant has stock.")
    def in_stock(self) -> bool:
        return self.model.stock > 0

    @strawberry.field(description="Its photos (at most 10), in the order they were added.")
    async def images(
        self, info: Info
    ) -> list[Annotated[Image, strawberry.lazy("schema.catalog.images")]]:
        from schema.catalog.images import Image

        return [Image.of(i) for i in await info.context.loaders.product_images.load(self.model.id)]

    @strawberry.field(
        description="The first photo's smallest rendition at least `width` wide (or its "
        "widest); null without photos."
    )
    def thumbnail(
        self, info: Info, width: Width = 320
    ) -> Annotated[ImageRendition, strawberry.lazy("schema.catalog.images")] | None:
        from schema.catalog.images import Image

        return then(
            info.context.loaders.product_images.load(self.model.id),
            lambda found: Image.of(found[0]).thumbnail(info, width) if found else None,
        )

    @strawberry.field(description="Its options (at most 3) in order; [] without options.")
    async def options(
        self, info: Info
    ) -> list[Annotated[ProductOption, strawberry.lazy("schema.catalog.variants")]]:
        from schema.catalog.variants import ProductOption

        found = await info.context.loaders.product_options.load(self.model.id)
        return [ProductOption.of(o) for o in found]

    @strawberry.field(
        description="What is sold of it, oldest first: its one default variant without "
        "options, else the variants made for its options. Others see the active ones; the "
        "shop's owner sees the inactive ones too."
    )
    async def variants(
        self, info: Info
    ) -> list[Annotated[ProductVariant, strawberry.lazy("schema.catalog.variants")]]:
        from schema.catalog.variants import ProductVariant

        found = await info.context.loaders.product_variants.load(self.model.id)
        if any(not v.is_active for v in found):
            viewer = info.context.viewer
            shop = await info.context.loaders.shop.load(self.model.shop_id)
            if viewer is None or shop is None or shop.owner_id != viewer.id:
                found = [v for v in found if v.is_active]
        return [ProductVariant.of(v) for v in found]

    @strawberry.field(
        description="The lowest and highest price of its active variants; null while none "
        "is active."
    )
    async def price_range(
        self, info: Info
    ) -> Annotated[PriceRange, strawberry.lazy("schema.catalog.variants")] | None:
        from schema.catalog.variants import PriceRange

        found = await info.context.loaders.product_variants.load(self.model.id)
        prices = [v.price for v in found if v.is_active]
        if not prices:
            return None
        return PriceRange(min=Money(amount=min(prices)), max=Money(amount=max(prices)))

    @strawberry.field(description="The shop that sells it.")
    def shop(self, info: Info) -> Shop:
        return then(info.context.loaders.shop.load(self.model.shop_id), Shop.of)

    @strawberry.field(description="Its category.")
    def category(self, info: Info) -> Category:
        return then(info.context.loaders.category.load(self.model.category_id), Category.of)

    @strawberry.field(description="The stars of its visible reviews.")
    def rating(self, info: Info) -> Annotated[Rating, strawberry.lazy("schema.catalog.reviews")]:
        from schema.catalog.reviews import Rating

        return then(info.context.loaders.product_rating.load(self.model.id), Rating.of)

    @strawberry.field(description="Its visible reviews, newest first.")
    async def reviews(
        self, first: First = 10, after: After = None
    ) -> Connection[Annotated[Review, strawberry.lazy("schema.catalog.reviews")]]:
        from schema.catalog.reviews import Review

        page = await catalog.reviews.product_reviews_page(self.model.id, first, after)
        return connection(page, Review.of)


NAME = "Required, at most 120 characters."
DESCRIPTION = "Plain text, at most 10,000 characters."
PRICE = "Whole rupiah, 0 to 1,000,000,000,000."
STOCK = "Units to sell, 0 to 1,000,000."
WEIGHT = "Shipping weight in grams, 0 to 1,000,000."
CATEGORY = "The slug of a category (see `categories`)."
HALAL = "Whether the shop declares it halal."


@strawberry.input(description="A new product.")
class CreateProductInput:
    shop_id: strawberry.ID = strawberry.field(description="The Shop's id; its owner only.")
    name: str = strawberry.field(description=NAME)
    price: Rupiah = strawberry.field(description=PRICE)
    category_slug: str = strawberry.field(description=CATEGORY)
    description: str = strawberry.field(default="", description=DESCRIPTION)
    stock: int = strawberry.field(default=0, description=STOCK)
    weight_grams: int = strawberry.field(default=0, description=WEIGHT)
    is_halal: bool = strawberry.field(default=False, description=HALAL)
    status: ProductStatus = strawberry.field(
        default=ProductStatus.DRAFT, description="ACTIVE to put it on sale at once."
    )


@strawberry.input(description="What to change: the fields given, the others stay.")
class UpdateProductInput:
    name: str | None = strawberry.field(default=None, description=NAME)
    description: str | None = strawberry.field(default=None, description=DESCRIPTION)
    price: Rupiah | None = strawberry.field(
        default=None,
        description=PRICE + " Carts see the new price; a rise must be confirmed before checkout.",
    )
    stock: int | None = strawberry.field(default=None, description=STOCK)
    weight_grams: int | None = strawberry.field(default=None, description=WEIGHT)
    category_slug: str | None = strawberry.field(default=None, description=CATEGORY)
    is_halal: bool | None = strawberry.field(default=None, description=HALAL)
    status: ProductStatus | None = strawberry.field(
        default=None, description="ACTIVE puts it on sale, DRAFT or ARCHIVED takes it off."
    )


@strawberry.type(description="The answer to a change of a product.")
class ProductPayload:
    product: Product | None = strawberry.field(
        default=None, description="The product as it is now; null when `errors` is not empty."
    )
    errors: list[UserError] = strawberry.field(default_factory=list, description=ERRORS)


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
    async def categories(self) -> list[Category]:
        every = (await catalog.category_tree()).by_id.values()  # in position order
        return [Category.of(c) for c in every if c.parent_id is None]

    @strawberry.field(
        description="A product by its slug; null when there is none or the caller may not "
        "see it (a draft or archived product of someone else's shop)."
    )
    async def product(
        self,
        info: Info,
        slug: Annotated[str, strawberry.argument(description="The product's `slug`.")],
    ) -> Product | None:
        found = await catalog.product_by_slug(info.context.viewer, slug)
        return Product.of(found) if found else None


@strawberry.type
class Mutation:
    @strawberry.mutation(
        description="Adds a product to a shop; its owner only. Errors: UNAUTHENTICATED, "
        "NOT_FOUND, PERMISSION_DENIED (shopId), REQUIRED, INVALID (name, price, stock, "
        "weightGrams, categorySlug)."
    )
    async def create_product(
        self,
        info: Info,
        input: Annotated[CreateProductInput, strawberry.argument(description="The product.")],
    ) -> ProductPayload:
        return await payload_of(
            ProductPayload,
            lambda: catalog.create_product(
                info.context.viewer, decode_id(input.shop_id, "Shop", "shopId"), _fields(input)
            ),
            lambda product: ProductPayload(product=Product.of(product)),
        )

    @strawberry.mutation(
        description="Changes a product; its shop's owner only. Errors: UNAUTHENTICATED, "
        "NOT_FOUND, PERMISSION_DENIED, REQUIRED, INVALID."
    )
    async def update_product(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="The Product's id.")],
        input: Annotated[UpdateProductInput, strawberry.argument(description="What to change.")],
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
