"""A product's options and variants, and the mutations that set them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry import relay
from strawberry.types import Info

from models import catalog as m
from resolvers.catalog import Option, variants
from schema.platform import ERRORS, Money, Rupiah, UserError, Visible, decode_id, payload_of, then

if TYPE_CHECKING:
    from schema.catalog.images import Image
    from schema.catalog.product import Product


@strawberry.type(description="One of a product's options (e.g. Ukuran) and its values.")
class ProductOption:
    name: str = strawberry.field(description="The option's name, e.g. Ukuran or Warna.")
    values: list[str] = strawberry.field(description="Its values in the seller's order.")

    @classmethod
    def of(cls, option: m.ProductOption) -> ProductOption:
        return cls(name=option.name, values=list(option.values))


@strawberry.type(description="A variant's value of one of its product's options.")
class VariantOptionValue:
    name: str = strawberry.field(description="The option's name, e.g. Ukuran.")
    value: str = strawberry.field(description="The variant's value of it, e.g. M.")


@strawberry.type(
    description="What is sold of a product: one value of each of its options, with its own "
    "SKU, price, stock and weight. A product without options is sold as one default variant "
    "(no SKU, no options). Active variants of an ACTIVE product are public; the shop's owner "
    "also sees inactive ones."
)
class ProductVariant(Visible, relay.Node):
    id: relay.NodeID[int]
    sku: str | None = strawberry.field(
        description="Unique within the shop; null for a product's default variant."
    )
    name: str = strawberry.field(
        description='Its values in the options\' order, e.g. "M / Merah"; empty for a '
        "default variant."
    )
    stock: int = strawberry.field(description="Units left to sell; never below zero.")
    weight_grams: int = strawberry.field(description="Shipping weight of one unit, in grams.")
    is_active: bool = strawberry.field(description="Sold now; an inactive one is not.")
    model: strawberry.Private[m.ProductVariant]

    @classmethod
    def of(cls, variant: m.ProductVariant) -> ProductVariant:
        return cls(
            id=variant.id,
            sku=variant.sku,
            name=variant.name,
            stock=variant.stock,
            weight_grams=variant.weight_grams,
            is_active=variant.is_active,
            model=variant,
        )

    @strawberry.field(description="The price of one unit now.")
    def price(self) -> Money:
        return Money(amount=self.model.price)

    @strawberry.field(description="Whether `stock` is above zero.")
    def in_stock(self) -> bool:
        return self.model.stock > 0

    @strawberry.field(description="Its value of each of the product's options, in their order.")
    async def options(self, info: Info) -> list[VariantOptionValue]:
        values = self.model.option_values
        if not values:
            return []
        order = await info.context.loaders.product_options.load(self.model.product_id)
        return [
            VariantOptionValue(name=o.name, value=values[o.name]) for o in order if o.name in values
        ]

    @strawberry.field(description="Its photo, one of the product's; null without one.")
    async def image(
        self, info: Info
    ) -> Annotated[Image, strawberry.lazy("schema.catalog.images")] | None:
        from schema.catalog.images import Image

        if self.model.image_id is None:
            return None
        found = await info.context.loaders.image.load(self.model.image_id)
        return Image.of(found) if found else None

    @strawberry.field(description="The product it is a variant of.")
    def product(self, info: Info) -> Annotated[Product, strawberry.lazy("schema.catalog.product")]:
        from schema.catalog.product import Product

        return then(info.context.loaders.product.load(self.model.product_id), Product.of)


@strawberry.type(description="The lowest and highest price of a product's active variants.")
class PriceRange:
    min: Money = strawberry.field(description='The lowest: the card\'s "mulai" price.')
    max: Money = strawberry.field(description="The highest.")


@strawberry.input(description="One option of a product and its values.")
class ProductOptionInput:
    name: str = strawberry.field(description="Required, at most 40 characters, distinct.")
    values: list[str] = strawberry.field(
        description="1 to 20 distinct values (more: LIMIT_EXCEEDED), each at most 40 characters."
    )


@strawberry.input(description="A variant's value of one option.")
class VariantOptionInput:
    name: str = strawberry.field(description="The option's name (case is ignored).")
    value: str = strawberry.field(description="One of the option's values (case is ignored).")


SKU = "At most 64 characters, unique within the shop (DUPLICATE)."
PRICE = "Whole rupiah, more than 0."
STOCK = "Units to sell, 0 to 1,000,000; setting it replaces the number."
WEIGHT = "Shipping weight in grams, 0 to 1,000,000."
IMAGE = "One of the product's images (else INVALID)."
OPTIONS = "One value of each of the product's options, nothing else (else INVALID)."


@strawberry.input(description="A new variant of a product with options.")
class CreateProductVariantInput:
    product_id: strawberry.ID = strawberry.field(description="The Product's id; its owner only.")
    sku: str = strawberry.field(description="Required. " + SKU)
    price: Rupiah = strawberry.field(description=PRICE)
    options: list[VariantOptionInput] = strawberry.field(description=OPTIONS)
    stock: int = strawberry.field(default=0, description=STOCK)
    weight_grams: int = strawberry.field(default=0, description=WEIGHT)
    image_id: strawberry.ID | None = strawberry.field(default=None, description=IMAGE)
    is_active: bool = strawberry.field(default=True, description="False: not sold yet.")


@strawberry.input(description="What to change of a variant: the fields given, the others stay.")
class UpdateProductVariantInput:
    sku: str | None = strawberry.field(default=None, description=SKU)
    price: Rupiah | None = strawberry.field(default=None, description=PRICE)
    stock: int | None = strawberry.field(default=None, description=STOCK)
    weight_grams: int | None = strawberry.field(default=None, description=WEIGHT)
    image_id: strawberry.ID | None = strawberry.field(default=None, description=IMAGE)
    is_active: bool | None = strawberry.field(
        default=None, description="False stops selling it (it stays on past orders)."
    )
    options: list[VariantOptionInput] | None = strawberry.field(default=None, description=OPTIONS)


@strawberry.type(description="The answer to setting a product's options.")
class ProductOptionsPayload:
    product: Annotated[Product, strawberry.lazy("schema.catalog.product")] | None = (
        strawberry.field(
            default=None, description="The product as it is now; null when `errors` is not empty."
        )
    )
    errors: list[UserError] = strawberry.field(default_factory=list, description=ERRORS)


@strawberry.type(description="The answer to a change of a variant.")
class ProductVariantPayload:
    variant: ProductVariant | None = strawberry.field(
        default=None, description="The variant as it is now; null when `errors` is not empty."
    )
    product: Annotated[Product, strawberry.lazy("schema.catalog.product")] | None = (
        strawberry.field(
            default=None,
            description="Its product with its figures (price, stock) as they are now.",
        )
    )
    errors: list[UserError] = strawberry.field(default_factory=list, description=ERRORS)


def _image_id(given: strawberry.ID | None) -> int | None:
    return None if given is None else decode_id(given, "Image", "imageId")


def _values(given: list[VariantOptionInput] | None) -> list[tuple[str, str]] | None:
    return None if given is None else [(o.name, o.value) for o in given]


def _variant_payload(done: tuple[m.ProductVariant, m.Product]) -> ProductVariantPayload:
    from schema.catalog.product import Product

    return ProductVariantPayload(variant=ProductVariant.of(done[0]), product=Product.of(done[1]))


def _fields(input: CreateProductVariantInput | UpdateProductVariantInput) -> variants.VariantFields:
    return variants.VariantFields(
        sku=input.sku,
        price=input.price,
        stock=input.stock,
        weight_grams=input.weight_grams,
        image_id=None if input.image_id is None else decode_id(input.image_id, "Image", "imageId"),
        is_active=input.is_active,
        options=None if input.options is None else [(o.name, o.value) for o in input.options],
    )


@strawberry.type
class Mutation:
    @strawberry.mutation(
        description="Sets a product's options (at most 3, each with 1-20 distinct values); its "
        "shop's owner only. A product that gets its first options stops being sold as its "
        "default variant. Errors: UNAUTHENTICATED, NOT_FOUND, PERMISSION_DENIED (productId), "
        "LIMIT_EXCEEDED, INVALID (empty or repeated names or values), INVALID_STATE (removing "
        "an option or value a variant uses, adding an option under existing variants)."
    )
    async def set_product_options(
        self,
        info: Info,
        product_id: Annotated[strawberry.ID, strawberry.argument(description="The Product's id.")],
        options: Annotated[
            list[ProductOptionInput],
            strawberry.argument(description="Every option, in order; [] removes them all."),
        ],
    ) -> ProductOptionsPayload:
        from schema.catalog.product import Product

        return await payload_of(
            ProductOptionsPayload,
            lambda: variants.set_product_options(
                info.context.viewer,
                decode_id(product_id, "Product", "productId"),
                [Option(o.name, list(o.values)) for o in options],
            ),
            lambda product: ProductOptionsPayload(product=Product.of(product)),
        )

    @strawberry.mutation(
        description="Adds a variant to a product with options; its shop's owner only. Errors: "
        "UNAUTHENTICATED, NOT_FOUND, PERMISSION_DENIED (productId), REQUIRED, INVALID, "
        "DUPLICATE (sku, the same values), LIMIT_EXCEEDED (100 variants)."
    )
    async def create_product_variant(
        self,
        info: Info,
        input: Annotated[
            CreateProductVariantInput, strawberry.argument(description="The variant.")
        ],
    ) -> ProductVariantPayload:
        return await payload_of(
            ProductVariantPayload,
            lambda: variants.create_product_variant(
                info.context.viewer,
                decode_id(input.product_id, "Product", "productId"),
                _fields(input),
            ),
            _variant_payload,
        )

    @strawberry.mutation(
        description="Changes a variant; its shop's owner only (others: PERMISSION_DENIED for an "
        "active variant, NOT_FOUND for an inactive one). A default variant takes no options and "
        "no isActive. Errors: UNAUTHENTICATED, NOT_FOUND, PERMISSION_DENIED, INVALID, DUPLICATE."
    )
    async def update_product_variant(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="The ProductVariant's id.")],
        input: Annotated[
            UpdateProductVariantInput, strawberry.argument(description="What to change.")
        ],
    ) -> ProductVariantPayload:
        return await payload_of(
            ProductVariantPayload,
            lambda: variants.update_product_variant(
                info.context.viewer, decode_id(id, "ProductVariant"), _fields(input)
            ),
            _variant_payload,
        )
