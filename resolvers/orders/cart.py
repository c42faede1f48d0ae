"""The buyer's cart: lines of product variants from any number of shops."""

from __future__ import annotations

from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from models.catalog import Product, ProductStatus, ProductVariant
from models.orders import CartLine
from models.platform import User
from models.shops import Shop
from resolvers.platform import ErrorCode, UserError, format_rupiah, require_user, visibility

MAX_QUANTITY = 999
MAX_LINES = 50


class PriceChanged(UserError):
    """What the buyer was shown is not what the cart costs now: `total` is what it costs."""

    def __init__(self, total: int) -> None:
        super().__init__(
            ErrorCode.PRICE_CHANGED,
            f"Harga di keranjang berubah; totalnya sekarang {format_rupiah(total)}. "
            "Periksa dan setujui harga baru sebelum membayar.",
            "expectedTotal",
        )
        self.total = total


def variant_of(line: CartLine) -> ProductVariant:
    """The line's variant, read with it (every line has one since migration 0028)."""
    variant = line.variant
    if variant is None:
        raise LookupError(f"cart line {line.id} has no variant")
    return variant


def line_problem(line: CartLine) -> str | None:
    """Why the line cannot be bought as it stands (needs `line.product` and `line.variant`),
    or None."""
    product: Product = line.product
    variant = variant_of(line)
    if product.status != ProductStatus.ACTIVE or not variant.is_active:
        return "Produk ini tidak dijual lagi."
    if variant.stock == 0:
        return "Stok habis."
    if variant.stock < line.quantity:
        return f"Stok tinggal {variant.stock}."
    return None


def price_of(line: CartLine) -> int:
    """What one unit of the line costs now (needs `line.variant`)."""
    return variant_of(line).price


def price_rose(line: CartLine) -> bool:
    """The variant costs more now than the buyer saw (needs `line.variant`)."""
    return price_of(line) > line.unit_price


def _own_lines(viewer: User | None) -> Q | None:
    return None if viewer is None else Q(buyer_id=viewer.id)


visibility.register("CartLine", CartLine, _own_lines, "product", "variant")


async def cart_lines(buyer_id: int) -> list[CartLine]:
    found = CartLine.filter(buyer_id=buyer_id).select_related("product", "variant")
    return await found.order_by("id")


def _check_quantity(quantity: int, product: Product, variant: ProductVariant) -> None:
    if quantity > MAX_QUANTITY:
        raise UserError(ErrorCode.INVALID, f"Jumlah paling banyak {MAX_QUANTITY}.", "quantity")
    if quantity > variant.stock:
        label = f"{product.name} ({variant.name})" if variant.name else product.name
        raise UserError(
            ErrorCode.OUT_OF_STOCK, f"Stok {label} tinggal {variant.stock}.", "quantity"
        )


def _check_positive(quantity: int) -> None:
    if quantity <= 0:
        raise UserError(ErrorCode.INVALID, "Jumlah harus lebih dari 0.", "quantity")


async def add_to_cart(viewer: User | None, product_id: int, quantity: int) -> list[CartLine]:
    """By product: its one active variant (the default one of a product without options)."""
    buyer = require_user(viewer)
    _check_positive(quantity)
    product = await Product.get_or_none(id=product_id, status=ProductStatus.ACTIVE)
    if product is None:
        raise UserError(ErrorCode.NOT_FOUND, "Produk tidak ditemukan.", "productId")
    sold = await ProductVariant.filter(product_id=product_id, is_active=True).limit(2)
    if len(sold) != 1:
        raise UserError(ErrorCode.INVALID, "Pilih varian produk ini dulu.", "productId")
    return await _add(buyer, product, sold[0], quantity, "productId")


async def add_variant_to_cart(
    viewer: User | None, variant_id: int, quantity: int
) -> list[CartLine]:
    buyer = require_user(viewer)
    _check_positive(quantity)
    found = await visibility.by_ids("ProductVariant", buyer, [variant_id])
    variant = found[0]
    if not isinstance(variant, ProductVariant):
        raise UserError(ErrorCode.NOT_FOUND, "Varian tidak ditemukan.", "variantId")
    product = await Product.get(id=variant.product_id)
    if not variant.is_active or product.status != ProductStatus.ACTIVE:
        raise UserError(ErrorCode.INVALID, "Varian ini tidak dijual.", "variantId")
    return await _add(buyer, product, variant, quantity, "variantId")


async def _add(
    buyer: User, product: Product, variant: ProductVariant, quantity: int, field: str
) -> list[CartLine]:
    if await Shop.exists(id=product.shop_id, owner_id=buyer.id):
        raise UserError(ErrorCode.INVALID, "Anda tidak bisa membeli produk toko sendiri.", field)
    async with in_transaction():
        # One change to a buyer's cart at a time: its limits hold however many adds race.
        await User.select_for_update().get(id=buyer.id)
        line = await CartLine.get_or_none(buyer_id=buyer.id, variant_id=variant.id)
        _check_quantity(quantity + (line.quantity if line else 0), product, variant)
        if line is not None:  # adding again takes the price of the moment, as a new line does
            await CartLine.filter(id=line.id).update(
                quantity=line.quantity + quantity, unit_price=variant.price
            )
        elif await CartLine.filter(buyer_id=buyer.id).count() >= MAX_LINES:
            raise UserError(
                ErrorCode.LIMIT_EXCEEDED, f"Keranjang paling banyak {MAX_LINES} produk.", field
            )
        else:
            await CartLine.create(
                buyer_id=buyer.id,
                product_id=product.id,
                variant_id=variant.id,
                quantity=quantity,
                unit_price=variant.price,
            )
    return await cart_lines(buyer.id)


async def update_cart_line(viewer: User | None, line_id: int, quantity: int) -> list[CartLine]:
    buyer = require_user(viewer)
    line = await CartLine.get_or_none(id=line_id, buyer_id=buyer.id).select_related(
        "product", "variant"
    )
    if line is None:
        raise UserError(ErrorCode.NOT_FOUND, "Baris keranjang tidak ditemukan.", "lineId")
    if quantity < 0:
        raise UserError(ErrorCode.INVALID, "Jumlah tidak boleh negatif.", "quantity")
    if quantity == 0:
        await line.delete()
    else:
        if quantity > line.quantity:  # fewer is always allowed, even beyond the stock
            _check_quantity(quantity, line.product, variant_of(line))
        await CartLine.filter(id=line.id).update(quantity=quantity)
    return await cart_lines(buyer.id)


async def confirm_cart_prices(viewer: User | None, expected_total: int | None) -> list[CartLine]:
    """The buyer accepts the cart's prices as they are now: each line remembers its product's
    current price. With `expected_total`, only if that is still the cart's total (a price
    that changed again since the buyer looked is not accepted unseen)."""
    buyer = require_user(viewer)
    async with in_transaction():
        await User.select_for_update().get(id=buyer.id)
        lines = await cart_lines(buyer.id)
        total = sum(price_of(line) * line.quantity for line in lines)
        if expected_total is not None and expected_total != total:
            raise PriceChanged(total)
        for line in lines:
            if line.unit_price != price_of(line):
                await CartLine.filter(id=line.id).update(unit_price=price_of(line))
    return await cart_lines(buyer.id)
