"""Checkout: the cart becomes one order per shop, all or nothing, once per idempotency key."""

from __future__ import annotations

import secrets
from collections import defaultdict
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any, NoReturn

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from models.catalog import ProductStatus, ProductVariant
from models.cooperatives import Membership
from models.orders import (
    CartLine,
    Checkout,
    Order,
    OrderLine,
    OrderStatus,
    OrderStatusChange,
    Payment,
    PaymentMethod,
    PaymentStatus,
)
from models.platform import User
from models.shops import Shop
from resolvers.catalog import take_stock
from resolvers.cooperatives import InsufficientBalance, Journal, pay_purchase, paying_membership
from resolvers.orders import sales
from resolvers.orders.cart import PriceChanged, cart_lines, price_of, variant_of
from resolvers.orders.events import OrderEventType, notify
from resolvers.orders.pricing import ShopChoice, ShopPrice, checked_choices, price_cart
from resolvers.orders.voucher_pricing import take_use
from resolvers.platform import (
    ErrorCode,
    UserError,
    Validator,
    digest_of,
    key_text,
    normalise_phone,
    now,
    regions,
    require_user,
    reused_key,
)
from resolvers.providers import PaymentRequest, Services

# Methods that need no provider: the order is processed at once (COD is paid on delivery).
PAID_AT_CHECKOUT = frozenset([PaymentMethod.COD, PaymentMethod.COOPERATIVE_BALANCE])


@dataclass(frozen=True)
class CheckoutFields:
    idempotency_key: str
    payment_method: str
    recipient: str
    phone: str
    street: str
    kelurahan_code: str
    membership_id: int | None = None
    # The total the buyer was shown; None from a client that shows none (the lines' remembered
    # prices still hold: a price risen above them refuses the checkout).
    expected_total: int | None = None
    # Each shop's shipping choice (and voucher); a shop of the cart without one gets the default.
    shops: tuple[ShopChoice, ...] = ()


class OutOfStock(UserError):
    """A variant in the cart has too little stock left (or is no longer sold); `node` names
    it, and the schema names it in `field` by its global id: the product's for a product
    without options (as before variants), else the variant's."""

    def __init__(self, line: CartLine) -> None:
        variant = variant_of(line)
        label = f"{line.product.name} ({variant.name})" if variant.name else line.product.name
        super().__init__(ErrorCode.OUT_OF_STOCK, f"Stok {label} tidak mencukupi.")
        self.node = (
            ("Product", line.product_id) if variant.is_default else ("ProductVariant", variant.id)
        )


async def _checked(fields: CheckoutFields) -> CheckoutFields:
    check = Validator()
    key = key_text(check, fields.idempotency_key)
    recipient = check.text(
        "shippingAddress.recipient", fields.recipient, "Nama penerima", 120, required=True
    )
    street = check.text("shippingAddress.street", fields.street, "Alamat", 255, required=True)
    phone = normalise_phone(fields.phone)
    if phone is None:
        check.add(
            "shippingAddress.phone", ErrorCode.INVALID, "Nomor telepon Indonesia tidak valid."
        )
    if await regions.kelurahan(fields.kelurahan_code) is None:
        check.add(
            "shippingAddress.kelurahanCode",
            ErrorCode.INVALID,
            "Kelurahan tidak dikenal di Kota Tangerang.",
        )
    cooperative = fields.payment_method == PaymentMethod.COOPERATIVE_BALANCE
    if cooperative and fields.membership_id is None:
        check.add("membershipId", ErrorCode.REQUIRED, "Pilih keanggotaan koperasi yang membayar.")
    check.check()
    return CheckoutFields(
        key,
        fields.payment_method,
        recipient,
        phone or "",
        street,
        fields.kelurahan_code,
        fields.membership_id if cooperative else None,
        fields.expected_total,
        fields.shops,
    )


def _input_digest(fields: CheckoutFields) -> str:
    """What the request asked, the total it was shown and the shops' choices included (each
    left out when none was, so that an earlier kind of checkout digests as it did then)."""
    asked = asdict(fields)
    if fields.expected_total is None:
        del asked["expected_total"]
    if not fields.shops:
        del asked["shops"]
    return digest_of(asked)


def _cart_digest(lines: list[CartLine], prices: dict[int, int]) -> str:
    """What the cart's lines charge: product, quantity and unit price (by variant for a
    product with options; a default variant's line digests as its product's did)."""
    return digest_of(
        sorted((_line_key(line), line.quantity, prices[line.variant_id or 0]) for line in lines)
    )


def _line_key(line: CartLine) -> int | list[int]:
    variant = variant_of(line)
    return line.product_id if variant.is_default else [line.product_id, variant.id]


async def _prices(lines: list[CartLine]) -> dict[int, int]:
    return {line.variant_id or 0: price_of(line) for line in lines}


async def checkout(viewer: User | None, given: CheckoutFields, services: Services) -> list[Order]:
    buyer = require_user(viewer)
    fields = await _checked(given)
    payer = None
    if fields.membership_id is not None:
        payer = await paying_membership(buyer, fields.membership_id)
    input_digest = _input_digest(fields)
    journal = Journal()
    try:
        async with in_transaction():
            # Locks the lines (PostgreSQL), so that concurrent checkouts of one cart queue here.
            await CartLine.filter(buyer_id=buyer.id).select_for_update().values_list("id")
            lines = await cart_lines(buyer.id)
            previous = await Checkout.get_or_none(
                buyer_id=buyer.id, idempotency_key=fields.idempotency_key
            )
            if previous is not None:
                return await _repeated(previous, input_digest, lines, await _prices(lines))
            orders = await _place(buyer, fields, input_digest, lines, services)
            if payer is not None:
                await _pay_from_savings(journal, payer, orders, buyer)
    except IntegrityError:
        # The same key, committed by a concurrent request after our look-up.
        previous = await Checkout.get(buyer_id=buyer.id, idempotency_key=fields.idempotency_key)
        lines = await cart_lines(buyer.id)
        return await _repeated(previous, input_digest, lines, await _prices(lines))
    await journal.publish(services.events)
    for order in orders:
        await notify(services.events, order, OrderEventType.CREATED)
        if payer is not None:
            await notify(services.events, order, OrderEventType.PAID)
    return orders


async def _pay_from_savings(
    journal: Journal, payer: Membership, orders: list[Order], buyer: User
) -> None:
    """Each order is paid at once from the member's SUKARELA, in the orders' transaction."""
    try:
        for order in orders:
            if order.total:
                await pay_purchase(journal, payer, order.id, order.total, buyer.id)
                await sales.order_paid_from_savings(order, payer.cooperative_id)
    except InsufficientBalance:
        raise UserError(
            ErrorCode.INSUFFICIENT_BALANCE,
            "Simpanan sukarela tidak mencukupi untuk membayar belanja ini.",
            "membershipId",
        ) from None
    await Payment.filter(order_id__in=[o.id for o in orders]).update(
        status=PaymentStatus.PAID, paid_at=now()
    )


async def _repeated(
    previous: Checkout, input_digest: str, lines: list[CartLine], prices: dict[int, int]
) -> list[Order]:
    """The orders of an earlier checkout with the same key, if it was the same request.

    The cart it took is empty by now; a cart holding something else, or the same at other
    prices, is another request.
    """
    if previous.input_digest != input_digest or (
        lines and _cart_digest(lines, prices) != previous.cart_digest
    ):
        raise reused_key("checkout")
    return await Order.filter(checkout_id=previous.id).order_by("id")


async def _place(
    buyer: User,
    fields: CheckoutFields,
    input_digest: str,
    lines: list[CartLine],
    services: Services,
) -> list[Order]:
    if not lines:
        raise UserError(ErrorCode.INVALID, "Keranjang masih kosong.", "cart")
    by_shop: dict[int, list[CartLine]] = defaultdict(list)
    for line in lines:
        if (
            line.product.status != ProductStatus.ACTIVE
            or not variant_of(line).is_active
            or variant_of(line).stock < line.quantity
        ):
            raise OutOfStock(line)
        by_shop[line.product.shop_id].append(line)
    priced = await _priced(buyer.id, fields, lines, set(by_shop), services)
    # What the orders charge beyond the goods: the shipping fees less the discounts.
    beyond_goods = sum(price.shipping_fee - price.discount for price in priced.values())
    _check_prices(fields, lines, sum(price.total for price in priced.values()))
    method = PaymentMethod(fields.payment_method)
    # An order a voucher made free (Rp0) is paid as placed: there is nothing to ask for.
    due = {
        shop_id: None
        if method in PAID_AT_CHECKOUT or not price.total
        else now() + services.payment_ttl
        for shop_id, price in priced.items()
    }
    # Asked before any product row is locked: a provider's round trip must not hold them.
    payments = {
        shop_id: await _request_payment(method, price.total, price.shop, due[shop_id], services)
        for shop_id, price in priced.items()
    }

    checkout_row = await Checkout.create(
        buyer_id=buyer.id,
        idempotency_key=fields.idempotency_key,
        input_digest=input_digest,
        cart_digest=_cart_digest(lines, await _prices(lines)),
    )
    # Ascending product ids: two carts sharing products lock them in the same order, never
    # a deadlock.
    by_product: dict[int, list[CartLine]] = defaultdict(list)
    for line in lines:
        by_product[line.product_id].append(line)
    for product_id in sorted(by_product):
        taken = [
            (variant_of(line).id, line.quantity, price_of(line)) for line in by_product[product_id]
        ]
        refused = await take_stock(product_id, taken)  # at the prices read above
        if refused is not None:
            await _refuse_taking(
                next(x for x in lines if x.variant_id == refused), lines, beyond_goods
            )

    waiting, processing = OrderStatus.PENDING_PAYMENT, OrderStatus.PROCESSING
    orders = [
        await Order.create(
            checkout_id=checkout_row.id,
            buyer_id=buyer.id,
            shop_id=shop_id,
            status=waiting if due[shop_id] else processing,
            **_charged(priced[shop_id]),
            recipient=fields.recipient,
            phone=fields.phone,
            street=fields.street,
            kelurahan_id=fields.kelurahan_code,
        )
        for shop_id in sorted(by_shop)
    ]
    for order in orders:
        voucher = priced[order.shop_id].voucher
        if voucher is not None:
            await take_use(voucher, buyer.id, order.id, priced[order.shop_id].voucher_field)
    await OrderLine.bulk_create(
        [
            OrderLine(
                order_id=order.id,
                product_id=line.product_id,
                variant_id=line.variant_id,
                product_name=line.product.name,
                sku=variant_of(line).sku,
                variant_name=variant_of(line).name or None,
                unit_price=price_of(line),
                quantity=line.quantity,
            )
            for order in orders
            for line in by_shop[order.shop_id]
        ]
    )
    await OrderStatusChange.bulk_create(
        [OrderStatusChange(order_id=o.id, to_status=o.status, actor_id=buyer.id) for o in orders]
    )
    await Payment.bulk_create(
        [
            Payment(
                order_id=order.id,
                method=method,
                amount=order.total,
                expires_at=due[order.shop_id],
                **({"status": PaymentStatus.PAID, "paid_at": now()} if not order.total else {}),
                **payments[order.shop_id],
            )
            for order in orders
        ]
    )
    await CartLine.filter(id__in=[line.id for line in lines]).delete()
    return orders


async def _priced(
    buyer_id: int,
    fields: CheckoutFields,
    lines: list[CartLine],
    shop_ids: set[int],
    services: Services,
) -> dict[int, ShopPrice]:
    """Each shop's goods, shipping fee and discount, by shop id: every choice validated again
    and every fee computed again here, whatever the client was shown."""
    choices = list(fields.shops)
    problems = checked_choices(choices, shop_ids)
    if not problems:
        prices = await price_cart(buyer_id, lines, fields.kelurahan_code, choices, services)
        problems = [problem for price in prices for problem in price.problems]
    if problems:
        raise UserError.of(problems)
    return {price.shop.id: price for price in prices}


def _charged(price: ShopPrice) -> dict[str, Any]:
    """An order's money columns and its shipping snapshot."""
    chosen = price.shipping.chosen
    return {
        "total": price.total,
        "shipping_fee": price.shipping_fee,
        "shipping_kind": chosen.kind if chosen else None,
        "shipping_name": chosen.name if chosen else None,
        "shipping_service": chosen.service if chosen else None,
        "discount": price.discount,
        "voucher_code": price.voucher.voucher.code if price.voucher else None,
    }


def _check_prices(fields: CheckoutFields, lines: list[CartLine], total: int) -> None:
    """What the buyer saw is what is charged: no line's price rose above what its buyer took,
    and the total the buyer was shown (if the client sent it) is the total."""
    rose = any(price_of(line) > line.unit_price for line in lines)
    if rose or (fields.expected_total is not None and fields.expected_total != total):
        raise PriceChanged(total)


async def _refuse_taking(line: CartLine, lines: list[CartLine], beyond_goods: int) -> NoReturn:
    """A variant could not be taken: its price changed since it was read (the cart's total at
    the new prices, with the shipping fees less discounts), or it ran out or stopped being
    sold."""
    now_priced = await ProductVariant.get(id=line.variant_id)
    if now_priced.price != price_of(line):
        prices = dict(
            await ProductVariant.filter(id__in=[x.variant_id for x in lines]).values_list(
                "id", "price"
            )
        )
        goods = sum(prices[x.variant_id] * x.quantity for x in lines)
        raise PriceChanged(goods + beyond_goods)
    raise OutOfStock(line)


async def _request_payment(
    method: PaymentMethod,
    amount: int,
    shop: Shop,
    expires_at: datetime | None,
    services: Services,
) -> dict[str, str | None]:
    """The new payment's reference and what the provider tells the buyer to do."""
    reference = f"SPP{secrets.token_hex(8).upper()}"
    if expires_at is None:  # cash on delivery, savings or Rp0: nothing to ask the provider
        return {"reference": reference}
    details = await services.payments.open(
        PaymentRequest(reference, method, amount, shop.name, expires_at)
    )
    return {
        "reference": reference,
        "instructions": details.instructions,
        "qris_payload": details.qris_payload,
    }
