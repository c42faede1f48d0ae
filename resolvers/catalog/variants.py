"""Options and variants of a product: what its owner sets, and what buyers see."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from tortoise.exceptions import IntegrityError
from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from models.catalog import Image, Product, ProductOption, ProductStatus, ProductVariant
from models.platform import User
from resolvers.catalog.product import MAX_PRICE, MAX_STOCK, MAX_WEIGHT, owned_product, whole
from resolvers.catalog.variant_rules import (
    MAX_VARIANTS,
    Option,
    checked_options,
    option_problem,
    variant_name,
    variant_values,
)
from resolvers.catalog.variant_stock import lock_product, refresh_product
from resolvers.platform import ErrorCode, UserError, Validator, visibility
from resolvers.shops import owned_shop

MAX_SKU = 64


@dataclass
class VariantFields:
    sku: str | None = None
    price: int | None = None
    stock: int | None = None
    weight_grams: int | None = None
    image_id: int | None = None
    is_active: bool | None = None
    options: list[tuple[str, str]] | None = field(default=None)


def _active_or_own(viewer: User | None) -> Q:
    where = Q(is_active=True, product__status=ProductStatus.ACTIVE)
    if viewer is not None:
        where |= Q(product__shop__owner_id=viewer.id)
    return where


visibility.register("ProductVariant", ProductVariant, _active_or_own)


async def options_of(product_id: int) -> list[Option]:
    rows = await ProductOption.filter(product_id=product_id).order_by("position")
    return [Option(row.name, list(row.values)) for row in rows]


async def set_product_options(viewer: User | None, product_id: int, given: list[Option]) -> Product:
    await owned_product(viewer, product_id, "productId")
    check = Validator()
    options = checked_options(check, given)
    check.check()
    async with in_transaction():
        product = await lock_product(product_id)
        old = await options_of(product_id)
        used = await ProductVariant.filter(product_id=product_id, is_default=False).values_list(
            "option_values", flat=True
        )
        problem = option_problem(old, options, list(used))  # type: ignore[arg-type]
        if problem:
            raise UserError(ErrorCode.INVALID_STATE, problem, "options")
        await ProductOption.filter(product_id=product_id).delete()
        await ProductOption.bulk_create(
            [
                ProductOption(product_id=product_id, position=i, name=o.name, values=o.values)
                for i, o in enumerate(options)
            ]
        )
        # With options the product is sold as the variants created for them only.
        await ProductVariant.filter(product_id=product_id, is_default=True).update(
            is_active=not options
        )
        await refresh_product(product)
    return product


async def _variant_values(
    check: Validator, product: Product, fields: VariantFields, creating: bool
) -> dict[str, object]:
    values: dict[str, object] = {}
    if fields.sku is not None or creating:
        values["sku"] = check.text("sku", fields.sku, "SKU", MAX_SKU, required=True)
    if fields.price is not None or creating:
        if fields.price is None:
            check.add("price", ErrorCode.REQUIRED, "Harga wajib diisi.")
        elif fields.price <= 0:
            check.add("price", ErrorCode.INVALID, "Harga harus lebih dari 0.")
        else:
            whole(check, "price", fields.price, MAX_PRICE, "Harga")
            values["price"] = fields.price
    for name, value, maximum, label, column in (
        ("stock", fields.stock, MAX_STOCK, "Stok", "stock"),
        ("weightGrams", fields.weight_grams, MAX_WEIGHT, "Berat", "weight_grams"),
    ):
        if value is not None:
            whole(check, name, value, maximum, label)
            values[column] = value
    if fields.image_id is not None:
        if not await Image.exists(id=fields.image_id, product_id=product.id):
            check.add("imageId", ErrorCode.INVALID, "Foto harus salah satu foto produk ini.")
        values["image_id"] = fields.image_id
    if fields.is_active is not None:
        values["is_active"] = fields.is_active
    return values


async def _check_sku(product: Product, sku: object, variant_id: int | None) -> None:
    taken = ProductVariant.filter(shop_id=product.shop_id, sku=sku)
    if variant_id is not None:
        taken = taken.exclude(id=variant_id)
    if await taken.exists():
        raise UserError(ErrorCode.DUPLICATE, "SKU ini sudah dipakai di toko Anda.", "sku")


async def _check_values(product: Product, chosen: dict[str, str], variant_id: int | None) -> None:
    siblings = ProductVariant.filter(product_id=product.id, is_default=False)
    if variant_id is not None:
        siblings = siblings.exclude(id=variant_id)
    for taken in await siblings.values_list("option_values", flat=True):
        if taken == chosen:  # type: ignore[comparison-overlap]
            raise UserError(
                ErrorCode.DUPLICATE, "Varian dengan pilihan yang sama sudah ada.", "options"
            )


async def create_product_variant(
    viewer: User | None, product_id: int, fields: VariantFields
) -> tuple[ProductVariant, Product]:
    await owned_product(viewer, product_id, "productId")
    try:
        async with in_transaction():
            product = await lock_product(product_id)
            options = await options_of(product_id)
            check = Validator()
            values = await _variant_values(check, product, fields, creating=True)
            if not options:
                check.add("productId", ErrorCode.INVALID, "Atur pilihan produk dulu.")
            chosen = variant_values(check, options, fields.options or [])
            check.check()
            count = await ProductVariant.filter(product_id=product_id, is_default=False).count()
            if count >= MAX_VARIANTS:
                raise UserError(
                    ErrorCode.LIMIT_EXCEEDED,
                    f"Paling banyak {MAX_VARIANTS} varian per produk.",
                    "productId",
                )
            await _check_sku(product, values["sku"], None)
            await _check_values(product, chosen, None)
            variant = ProductVariant(
                product_id=product_id,
                shop_id=product.shop_id,
                name=variant_name(options, chosen),
                option_values=chosen,
            )
            variant.update_from_dict(values)
            await variant.save()
            await refresh_product(product)
    except IntegrityError:  # the same SKU, committed by a concurrent request
        raise UserError(ErrorCode.DUPLICATE, "SKU ini sudah dipakai di toko Anda.", "sku") from None
    return variant, product


async def _owned_variant(viewer: User | None, variant_id: int) -> ProductVariant:
    """The variant, if the viewer owns its shop: PERMISSION_DENIED to others who see it,
    NOT_FOUND to those who do not."""
    found = await visibility.by_ids("ProductVariant", viewer, [variant_id])
    if found[0] is None:
        raise UserError(ErrorCode.NOT_FOUND, "Varian tidak ditemukan.", "id")
    variant = await ProductVariant.get(id=variant_id)
    await owned_shop(viewer, variant.shop_id, "id")
    return variant


async def update_product_variant(
    viewer: User | None, variant_id: int, fields: VariantFields
) -> tuple[ProductVariant, Product]:
    found = await _owned_variant(viewer, variant_id)
    try:
        async with in_transaction():
            product = await lock_product(found.product_id)
            variant = await ProductVariant.get(id=variant_id)
            check = Validator()
            values = await _variant_values(check, product, fields, creating=False)
            if variant.is_default and (fields.options is not None or fields.is_active is not None):
                check.add(
                    "options" if fields.options is not None else "isActive",
                    ErrorCode.INVALID,
                    "Produk tanpa pilihan dijual sebagai satu varian; atur pilihannya dulu.",
                )
            elif fields.options is not None:
                options = await options_of(product.id)
                chosen = variant_values(check, options, fields.options)
                values["option_values"] = chosen
                values["name"] = variant_name(options, chosen)
            check.check()
            if "sku" in values:
                await _check_sku(product, values["sku"], variant.id)
            if "option_values" in values:
                await _check_values(product, values["option_values"], variant.id)  # type: ignore[arg-type]
            variant.update_from_dict(values)
            await variant.save()
            await refresh_product(product)
    except IntegrityError:
        raise UserError(ErrorCode.DUPLICATE, "SKU ini sudah dipakai di toko Anda.", "sku") from None
    return variant, product


async def variants_of(product_ids: list[int]) -> list[list[ProductVariant]]:
    """Each product's variants, oldest first, the default one only while it is sold."""
    rows = await ProductVariant.filter(product_id__in=product_ids).order_by("id")
    found: dict[int, list[ProductVariant]] = defaultdict(list)
    for row in rows:
        if not (row.is_default and not row.is_active):
            found[row.product_id].append(row)
    return [found.get(i, []) for i in product_ids]


async def options_by_products(product_ids: list[int]) -> list[list[ProductOption]]:
    rows = await ProductOption.filter(product_id__in=product_ids).order_by("position")
    found: dict[int, list[ProductOption]] = defaultdict(list)
    for row in rows:
        found[row.product_id].append(row)
    return [found.get(i, []) for i in product_ids]
