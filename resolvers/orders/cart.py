"""The buyer's cart: lines of products from any number of shops."""

from __future__ import annotations

from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from models.catalog import Product, ProductStatus
from models.orders import CartLine
from models.platform import User
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


def line_problem(line: CartLine) -> str | None:
    """Why the line cannot be bought as it stands (needs `line.product`), or None."""
    product: Product = line.product
    if product.status != ProductStatus.ACTIVE:
        return "Produk ini tidak dijual lagi."
    if product.stock == 0:
        return "Stok habis."
    if product.stock < line.quantity:
        return f"Stok tinggal {product.stock}."
    return None


def price_rose(line: CartLine) -> bool:
    """The product costs more now than the buyer saw (needs `line.product`)."""
    product: Product = line.product
    return product.price > line.unit_price


def _own_lines(viewer: User | None) -> Q | None:
    return None if viewer is None else Q(buyer_id=viewer.id)


visibility.register("CartLine", CartLine, _own_lines, "product")


async def cart_lines(buyer_id: int) -> list[CartLine]:
    return await CartLine.filter(buyer_id=buyer_id).select_related("product").order_by("id")


def _check_quantity(quantity: int, product: Product) -> None:
    if quantity > MAX_QUANTITY:
        raise UserError(ErrorCode.INVALID, f"Jumlah paling banyak {MAX_QUANTITY}.", "quantity")
    if quantity > product.stock:
        raise UserError(
            ErrorCode.OUT_OF_STOCK,
            f"Stok {product.name} tinggal {product.stock}.",
            "quantity",
        )


async def add_to_cart(viewer: User | None, product_id: int, quantity: int) -> list[CartLine]:
    buyer = require_user(viewer)
    if quantity <= 0:
        raise UserError(ErrorCode.INVALID, "Jumlah harus lebih dari 0.", "quantity")
    product = await Product.get_or_none(id=product_id, status=ProductStatus.ACTIVE).select_related(
        "shop"
    )
    if product is None:
        raise UserError(ErrorCode.NOT_FOUND, "Produk tidak ditemukan.", "productId")
    if product.shop.owner_id == buyer.id:
        raise UserError(
            ErrorCode.INVALID, "Anda tidak bisa membeli produk toko sendiri.", "productId"
        )
    async with in_transaction():
        # One change to a buyer's cart at a time: its limits hold however many adds race.
        await User.select_for_update().get(id=buyer.id)
        line = await CartLine.get_or_none(buyer_id=buyer.id, product_id=product_id)
        _check_quantity(quantity + (line.quantity if line else 0), product)
        if line is not None:  # adding again takes the price of the moment, as a new line does
            await CartLine.filter(id=line.id).update(
                quantity=line.quantity + quantity, unit_price=product.price
            )
        elif await CartLine.filter(buyer_id=buyer.id).count() >= MAX_LINES:
            raise UserError(
                ErrorCode.LIMIT_EXCEEDED,
                f"Keranjang paling banyak {MAX_LINES} produk.",
                "productId",
            )
        else:
            await CartLine.create(
                buyer_id=buyer.id,
                product_id=product_id,
                quantity=quantity,
                unit_price=product.price,
            )
    return await cart_lines(buyer.id)


async def update_cart_line(viewer: User | None, line_id: int, quantity: int) -> list[CartLine]:
    buyer = require_user(viewer)
    line = await CartLine.get_or_none(id=line_id, buyer_id=buyer.id).select_related("product")
    if line is None:
        raise UserError(ErrorCode.NOT_FOUND, "Baris keranjang tidak ditemukan.", "lineId")
    if quantity < 0:
        raise UserError(ErrorCode.INVALID, "Jumlah tidak boleh negatif.", "quantity")
    if quantity == 0:
        await line.delete()
    else:
        if quantity > line.quantity:  # fewer is always allowed, even beyond the stock
            _check_quantity(quantity, line.product)
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
        total = sum(line.product.price * line.quantity for line in lines)
        if expected_total is not None and expected_total != total:
            raise PriceChanged(total)
        for line in lines:
            if line.unit_price != line.product.price:
                await CartLine.filter(id=line.id).update(unit_price=line.product.price)
    return await cart_lines(buyer.id)
