"""Categories and products: what owners list and what the public sees."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from tortoise.exceptions import IntegrityError
from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from models.catalog import Category, Product, ProductStatus
from models.platform import User
from models.shops import Shop
from resolvers.catalog.variant_stock import (
    create_default_variant,
    lock_product,
    update_default_variant,
)
from resolvers.platform import (
    ErrorCode,
    Page,
    UserError,
    Validator,
    keyset_page,
    row_where,
    rows_by_ids,
    unique_slug,
    visibility,
)
from resolvers.search.index import index_products
from resolvers.shops import owned_shop

MAX_NAME = 120
MAX_DESCRIPTION = 10_000
MAX_PRICE = 10**12  # Rp1 triliun: beyond any UMKM product, well inside 2^53
MAX_STOCK = 1_000_000
MAX_WEIGHT = 1_000_000


@dataclass
class ProductFields:
    name: str | None = None
    description: str | None = None
    price: int | None = None
    stock: int | None = None
    weight_grams: int | None = None
    category_slug: str | None = None
    is_halal: bool | None = None
    status: str | None = None


def whole(check: Validator, field: str, value: int, maximum: int, label: str) -> None:
    if value < 0:
        check.add(field, ErrorCode.INVALID, f"{label} tidak boleh negatif.")
    elif value > maximum:
        check.add(field, ErrorCode.INVALID, f"{label} terlalu besar.")


async def _checked(fields: ProductFields, *, creating: bool) -> dict[str, Any]:
    check = Validator()
    values: dict[str, Any] = {}
    if fields.name is not None or creating:
        values["name"] = check.text("name", fields.name, "Nama produk", MAX_NAME, required=True)
    if fields.description is not None:
        values["description"] = check.text(
            "description", fields.description, "Deskripsi", MAX_DESCRIPTION, required=False
        )
    if fields.price is not None or creating:
        if fields.price is None:
            check.add("price", ErrorCode.REQUIRED, "Harga wajib diisi.")
        else:
            whole(check, "price", fields.price, MAX_PRICE, "Harga")
            values["price"] = fields.price
    for field, value, maximum, label, column in (
        ("stock", fields.stock, MAX_STOCK, "Stok", "stock"),
        ("weightGrams", fields.weight_grams, MAX_WEIGHT, "Berat", "weight_grams"),
    ):
        if value is not None:
            whole(check, field, value, maximum, label)
            values[column] = value
    if fields.category_slug is not None or creating:
        category = await row_where(Category, "slug", fields.category_slug or "")
        if category is None:
            check.add("categorySlug", ErrorCode.INVALID, "Kategori tidak dikenal.")
        else:
            values["category_id"] = category.id
    if fields.is_halal is not None:
        values["is_halal"] = fields.is_halal
    if fields.status is not None:
        if fields.status not in ProductStatus.__members__:
            check.add("status", ErrorCode.INVALID, "Status harus DRAFT, ACTIVE atau ARCHIVED.")
        else:
            values["status"] = ProductStatus(fields.status)
    check.check()
    return values


async def create_product(viewer: User | None, shop_id: int, fields: ProductFields) -> Product:
    shop = await owned_shop(viewer, shop_id, "shopId")
    values = await _checked(fields, creating=True)
    for _ in range(3):
        try:
            slug = await unique_slug(Product, f"{values['name']} {shop.name}")
            async with in_transaction():
                product = await Product.create(shop=shop, slug=slug, **values)
                await create_default_variant(product)
                await index_products([product.id])
            return product
        except IntegrityError:
            continue
    raise UserError(ErrorCode.DUPLICATE, "Nama produk sedang dipakai; coba lagi.", "name")


async def owned_product(viewer: User | None, product_id: int, field: str = "id") -> Product:
    """The product, if the viewer owns its shop; another shop's draft is NOT_FOUND to them."""
    product = await visibility.visible("Product", viewer, Product.filter(id=product_id)).first()
    if product is None:
        raise UserError(ErrorCode.NOT_FOUND, "Produk tidak ditemukan.", field)
    await owned_shop(viewer, product.shop_id, field)
    return product


async def update_product(viewer: User | None, product_id: int, fields: ProductFields) -> Product:
    await owned_product(viewer, product_id)
    values = await _checked(fields, creating=False)
    async with in_transaction():
        product = await lock_product(product_id)
        await update_default_variant(product, values)
        if values:
            product.update_from_dict(values)
            await product.save(update_fields=[*values, "updated_at"])
        await index_products([product.id])
    return product


def active_or_own(viewer: User | None, via: str = "") -> Q:
    """Active products for everyone, and the owner's drafts and archived ones for the owner;
    `via` reaches the product from a related row (an image's `product__`)."""
    where = Q(**{f"{via}status": ProductStatus.ACTIVE})
    if viewer is not None:
        where |= Q(**{f"{via}shop__owner_id": viewer.id})
    return where


visibility.register("Product", Product, active_or_own)


async def product_by_slug(viewer: User | None, slug: str) -> Product | None:
    product = await row_where(Product, "slug", slug)
    if product is None:
        return None
    return cast(Product | None, (await visibility.by_ids("Product", viewer, [product.id]))[0])


async def shop_products_page(
    viewer: User | None, shop: Shop, *, first: int | None, after: str | None
) -> Page[Product]:
    query = visibility.visible("Product", viewer, Product.filter(shop_id=shop.id))
    return await keyset_page(query, first=first, after=after)


async def products_by_ids(ids: list[int]) -> list[Product | None]:
    return await rows_by_ids(Product, ids)
