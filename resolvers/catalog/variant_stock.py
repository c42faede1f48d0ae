"""A variant's stock and the product row's figures that follow its variants.

Every writer of a variant's stock, price or activity locks its product's row first (in
ascending product id when there are several), then changes the variants, then
`refresh_product`: so the figures on the product (lowest active price, summed stock) are
exact in every transaction, and two writers never wait on each other in a circle."""

from __future__ import annotations

from collections import defaultdict

from tortoise import Tortoise
from tortoise.expressions import F

from models.catalog import Product, ProductOption, ProductStatus, ProductVariant
from resolvers.platform import ErrorCode, UserError


async def lock_product(product_id: int) -> Product:
    """The product's row, locked until the transaction ends (PostgreSQL; SQLite writes one
    transaction at a time)."""
    return await Product.select_for_update().get(id=product_id)


async def refresh_product(product: Product) -> None:
    """The product row's figures from its active variants, with the row locked: the lowest
    price (kept as it was while none is active), the summed stock and, for a product
    without options, its default variant's weight."""
    active = await ProductVariant.filter(product_id=product.id, is_active=True).values_list(
        "price", "stock", "weight_grams", "is_default"
    )
    product.stock = sum(row[1] for row in active)
    if active:
        product.price = min(row[0] for row in active)
    if len(active) == 1 and active[0][3]:
        product.weight_grams = active[0][2]
    await Product.filter(id=product.id).update(
        price=product.price, stock=product.stock, weight_grams=product.weight_grams
    )


async def create_default_variant(product: Product) -> None:
    """A new product is sold as one variant holding its price, stock and weight."""
    await ProductVariant.create(
        product_id=product.id,
        shop_id=product.shop_id,
        price=product.price,
        stock=product.stock,
        weight_grams=product.weight_grams,
        is_default=True,
    )


# Products written in bulk (the demo catalogue) get their default variants in one statement.
MISSING_DEFAULTS = """
INSERT INTO product_variant (product_id, shop_id, sku, name, option_values, price, stock,
    weight_grams, is_active, is_default, created_at)
SELECT p.id, p.shop_id, NULL, '', '{}', p.price, p.stock, p.weight_grams, TRUE, TRUE,
    p.created_at
FROM product p WHERE NOT EXISTS (SELECT 1 FROM product_variant v WHERE v.product_id = p.id)
"""


async def create_missing_default_variants() -> None:
    await Tortoise.get_connection("default").execute_script(MISSING_DEFAULTS)


async def has_options(product_id: int) -> bool:
    return await ProductOption.filter(product_id=product_id).exists()


async def update_default_variant(product: Product, values: dict[str, object]) -> None:
    """A product without options: what the product mutations change is its default variant
    (the product's figures follow it). Options given: INVALID for those fields."""
    moved = {k: values.pop(k) for k in ("price", "stock", "weight_grams") if k in values}
    if not moved:
        return
    if await has_options(product.id):
        field = {"price": "price", "stock": "stock", "weight_grams": "weightGrams"}[
            next(iter(moved))
        ]
        raise UserError(
            ErrorCode.INVALID,
            "Produk ini punya varian: ubah harga, stok dan berat di variannya.",
            field,
        )
    await ProductVariant.filter(product_id=product.id, is_default=True).update(**moved)
    await refresh_product(product)


async def take_stock(product_id: int, taken: list[tuple[int, int, int]]) -> int | None:
    """Inside the caller's transaction: (variant id, quantity, price as read) taken from the
    product's active variants, never below zero; None when done, else the first variant that
    could not be taken (too little stock, no longer sold, or priced otherwise now)."""
    product = await lock_product(product_id)
    if product.status != ProductStatus.ACTIVE:
        return min(taken)[0]
    for variant_id, quantity, price in sorted(taken):
        done = await ProductVariant.filter(
            id=variant_id, is_active=True, stock__gte=quantity, price=price
        ).update(stock=F("stock") - quantity)
        if not done:
            return variant_id
    await Product.filter(id=product_id).update(
        units_sold=F("units_sold") + sum(q for _, q, _ in taken)
    )
    await refresh_product(product)
    return None


async def give_back(given: list[tuple[int, int, int]]) -> None:
    """Inside the caller's transaction: (product id, variant id, quantity) back to the
    variants' stock, each product locked first, in ascending order."""
    by_product: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for product_id, variant_id, quantity in given:
        by_product[product_id].append((variant_id, quantity))
    for product_id in sorted(by_product):
        product = await lock_product(product_id)
        for variant_id, quantity in sorted(by_product[product_id]):
            await ProductVariant.filter(id=variant_id).update(stock=F("stock") + quantity)
        sold = sum(q for _, q in by_product[product_id])
        await Product.filter(id=product_id).update(units_sold=F("units_sold") - sold)
        product.units_sold -= sold
        await refresh_product(product)
