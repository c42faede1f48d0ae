"""Orders after checkout: what buyers and shop owners see, and how orders move."""

from __future__ import annotations

from datetime import datetime

from tortoise.expressions import F, Q
from tortoise.queryset import QuerySetSingle
from tortoise.transactions import in_transaction

from models.catalog import Product
from models.orders import (
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
from resolvers.cooperatives import Journal, refund_purchase
from resolvers.orders.events import OrderEventType, notify
from resolvers.orders.rules import Actor
from resolvers.orders.status import transition
from resolvers.platform import (
    ErrorCode,
    Forbidden,
    NotFound,
    Page,
    Unauthenticated,
    UserError,
    keyset_page,
    now,
    require_user,
    row_per,
    rows_grouped_by,
    visibility,
)
from resolvers.providers import Services

MAX_TRACKING = 64
MAX_REASON = 255
EXPIRED_REASON = "Batas waktu pembayaran habis."


async def my_orders_page(viewer: User | None, *, first: int | None, after: str | None) -> Page:
    if viewer is None:
        raise Unauthenticated()
    return await keyset_page(Order.filter(buyer_id=viewer.id), first=first, after=after)


async def shop_orders_page(
    viewer: User | None,
    shop: Shop,
    status: OrderStatus | None,
    *,
    first: int | None,
    after: str | None,
) -> Page:
    if viewer is None:
        raise Unauthenticated()
    if viewer.id != shop.owner_id:
        raise Forbidden("Hanya pemilik toko yang boleh melihat pesanannya.")
    query = Order.filter(shop_id=shop.id)
    if status is not None:
        query = query.filter(status=status)
    return await keyset_page(query, first=first, after=after)


async def owned_shop_for_events(viewer: User | None, shop_id: int) -> Shop:
    """The shop whose order events the viewer may follow: only its owner may."""
    if viewer is None:
        raise Unauthenticated()
    shop = await Shop.get_or_none(id=shop_id)
    if shop is None:
        raise NotFound("Toko tidak ditemukan.")
    if shop.owner_id != viewer.id:
        raise Forbidden("Hanya pemilik toko yang boleh mengikuti pesanannya.")
    return shop


def _buyer_or_seller(viewer: User | None) -> Q | None:
    """An order is seen by its buyer and by its shop's owner only."""
    if viewer is None:
        return None
    return Q(buyer_id=viewer.id) | Q(shop__owner_id=viewer.id)


visibility.register("Order", Order, _buyer_or_seller)


def _visible_order(viewer: User, order_id: int) -> QuerySetSingle[Order | None]:
    """The order if the viewer may see it: to anyone else it is missing (NOT_FOUND), so that
    ids cannot be probed."""
    return visibility.visible("Order", viewer, Order.filter(id=order_id)).first()


async def lines_of_orders(order_ids: list[int]) -> list[list[OrderLine]]:
    return await rows_grouped_by(OrderLine.all().order_by("id"), "order_id", order_ids)


async def status_changes_of_orders(order_ids: list[int]) -> list[list[OrderStatusChange]]:
    return await rows_grouped_by(OrderStatusChange.all().order_by("id"), "order_id", order_ids)


async def payments_of_orders(order_ids: list[int]) -> list[Payment | None]:
    return await row_per(Payment.all(), "order_id", order_ids)


async def update_order_status(
    viewer: User | None,
    order_id: int,
    target: OrderStatus,
    tracking_number: str | None,
    services: Services,
) -> Order:
    """The shop owner moves an order along: PROCESSING -> SHIPPED -> DELIVERED -> COMPLETED."""
    seller = require_user(viewer)
    order = await _visible_order(seller, order_id).select_related("shop")
    if order is None:
        raise UserError(ErrorCode.NOT_FOUND, "Pesanan tidak ditemukan.", "id")
    if order.shop.owner_id != seller.id:
        raise UserError(
            ErrorCode.PERMISSION_DENIED, "Hanya pemilik toko yang boleh mengubah pesanan.", "id"
        )
    changes = {}
    if target == OrderStatus.SHIPPED:
        tracking = (tracking_number or "").strip()
        if not tracking:
            raise UserError(ErrorCode.REQUIRED, "Nomor resi wajib diisi.", "trackingNumber")
        if len(tracking) > MAX_TRACKING:
            raise UserError(ErrorCode.INVALID, "Nomor resi terlalu panjang.", "trackingNumber")
        changes["tracking_number"] = tracking
    async with in_transaction():
        await transition(order, target, Actor.SELLER, seller.id, **changes)
        # Cash on delivery is paid when the goods arrive.
        cash_paid = target == OrderStatus.DELIVERED and await Payment.filter(
            order_id=order.id, method=PaymentMethod.COD, status=PaymentStatus.PENDING
        ).update(status=PaymentStatus.PAID, paid_at=now())
    await notify(services.events, order, OrderEventType.STATUS_CHANGED)
    if cash_paid:
        await notify(services.events, order, OrderEventType.PAID)
    return order


async def cancel_order(
    viewer: User | None, order_id: int, reason: str | None, services: Services
) -> Order:
    """The buyer cancels before shipping: stock goes back, a paid amount is refunded."""
    buyer = require_user(viewer)
    order = await _visible_order(buyer, order_id)
    if order is None:
        raise UserError(ErrorCode.NOT_FOUND, "Pesanan tidak ditemukan.", "id")
    if order.buyer_id != buyer.id:
        raise UserError(
            ErrorCode.PERMISSION_DENIED, "Hanya pembeli yang boleh membatalkan pesanan ini.", "id"
        )
    text = (reason or "").strip()[:MAX_REASON]
    await _cancel(order, Actor.BUYER, buyer.id, text, services)
    return order


async def expire_orders(services: Services, at: datetime | None = None) -> int:
    """Cancel every order whose payment time ran out, returning its stock; how many."""
    due = await Order.filter(
        status=OrderStatus.PENDING_PAYMENT, payment__expires_at__lte=at or now()
    ).order_by("id")
    expired = 0
    for order in due:
        try:
            await _cancel(order, Actor.SYSTEM, None, EXPIRED_REASON, services)
        except UserError:
            continue  # paid or cancelled meanwhile
        expired += 1
    return expired


async def _cancel(
    order: Order, actor: Actor, actor_id: int | None, reason: str, services: Services
) -> None:
    journal = Journal()
    async with in_transaction():
        await transition(
            order, OrderStatus.CANCELLED, actor, actor_id, reason, cancel_reason=reason
        )
        # The conditional move above lets only one cancellation through: stock returns once.
        for line in await OrderLine.filter(order_id=order.id):
            await Product.filter(id=line.product_id).update(
                stock=F("stock") + line.quantity, units_sold=F("units_sold") - line.quantity
            )
        payment = await Payment.get(order_id=order.id)
        if payment.status == PaymentStatus.PAID:
            if payment.method == PaymentMethod.COOPERATIVE_BALANCE:
                await refund_purchase(journal, order.id, actor_id)
            else:
                await services.payments.refund(payment.reference, payment.amount)
            payment.status = PaymentStatus.REFUNDED
        elif actor == Actor.SYSTEM:
            payment.status = PaymentStatus.EXPIRED
        else:
            payment.status = PaymentStatus.CANCELLED
        await payment.save(update_fields=["status"])
    await journal.publish(services.events)
    await notify(services.events, order, OrderEventType.CANCELLED)
