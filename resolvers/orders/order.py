"""Orders after checkout: what buyers and shop owners see, and how orders move."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tortoise.expressions import Q, Subquery
from tortoise.queryset import QuerySetSingle
from tortoise.transactions import in_transaction

from models.orders import (
    Complaint,
    ComplaintStatus,
    ComplaintStep,
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
from resolvers.catalog import give_back
from resolvers.cooperatives import Journal
from resolvers.orders import sales
from resolvers.orders.complaint_rules import OPEN
from resolvers.orders.events import OrderEventType, notify
from resolvers.orders.payment_recheck import may_be_paid, stop_at_provider
from resolvers.orders.refunds import refund
from resolvers.orders.rules import Actor
from resolvers.orders.status import transition
from resolvers.orders.voucher_pricing import give_use_back
from resolvers.platform import (
    JAKARTA,
    ErrorCode,
    Forbidden,
    NotFound,
    Page,
    Unauthenticated,
    UserError,
    is_marketplace_admin,
    keyset_page,
    now,
    require_user,
    row_per,
    rows_by_ids,
    rows_grouped_by,
    visibility,
)
from resolvers.providers import Services

MAX_TRACKING = 64
MAX_REASON = 255
EXPIRED_REASON = "Batas waktu pembayaran habis."
RECEIVED_REASON = "Pesanan diterima"
AUTO_COMPLETED_REASON = "Selesai otomatis"


async def my_orders_page(viewer: User | None, *, first: int | None, after: str | None) -> Page:
    if viewer is None:
        raise Unauthenticated()
    return await keyset_page(Order.filter(buyer_id=viewer.id), first=first, after=after)


def require_shop_owner(viewer: User | None, shop: Shop, forbidden: str) -> User:
    """The viewer, when they own `shop`; else Unauthenticated, or Forbidden saying `forbidden`."""
    if viewer is None:
        raise Unauthenticated()
    if viewer.id != shop.owner_id:
        raise Forbidden(forbidden)
    return viewer


async def shop_orders_page(
    viewer: User | None,
    shop: Shop,
    status: OrderStatus | None,
    *,
    first: int | None,
    after: str | None,
) -> Page:
    require_shop_owner(viewer, shop, "Hanya pemilik toko yang boleh melihat pesanannya.")
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


def _buyer_seller_or_admin(viewer: User | None, via: str = "") -> Q | None:
    """An order (and each of its lines, `via` "order__") is seen by its buyer and its shop's
    owner, and by a marketplace admin once it has a complaint."""
    if viewer is None:
        return None
    where = Q(**{f"{via}buyer_id": viewer.id}) | Q(**{f"{via}shop__owner_id": viewer.id})
    if is_marketplace_admin(viewer):
        complained = Subquery(Complaint.all().values("order_id"))
        where |= Q(order_id__in=complained) if via else Q(id__in=complained)
    return where


visibility.register("Order", Order, _buyer_seller_or_admin)
visibility.register(
    "OrderLine", OrderLine, lambda viewer: _buyer_seller_or_admin(viewer, "order__")
)


def _visible_order(viewer: User, order_id: int) -> QuerySetSingle[Order | None]:
    """The order if the viewer may see it: to anyone else it is missing (NOT_FOUND), so that
    ids cannot be probed."""
    return visibility.visible("Order", viewer, Order.filter(id=order_id)).first()


async def orders_by_ids(ids: list[int]) -> list[Order | None]:
    return await rows_by_ids(Order, ids)


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
    changes: dict[str, Any] = {}
    if target == OrderStatus.SHIPPED:
        tracking = (tracking_number or "").strip()
        if not tracking:
            raise UserError(ErrorCode.REQUIRED, "Nomor resi wajib diisi.", "trackingNumber")
        if len(tracking) > MAX_TRACKING:
            raise UserError(ErrorCode.INVALID, "Nomor resi terlalu panjang.", "trackingNumber")
        changes["tracking_number"] = tracking
    if target == OrderStatus.DELIVERED:
        changes["delivered_at"] = now()
        changes["auto_complete_at"] = await _completes_at(
            order.id, changes["delivered_at"], services
        )
    if target == OrderStatus.COMPLETED and order.status == OrderStatus.DELIVERED:
        due = order.auto_complete_at
        if due is None or due > now():
            when = f" mulai {due.astimezone(JAKARTA):%d-%m-%Y %H.%M} WIB" if due else ""
            raise UserError(
                ErrorCode.INVALID_STATE,
                f"Pesanan ini baru bisa diselesaikan penjual{when}, bila tidak ada komplain.",
                "status",
            )
    closed = False
    async with in_transaction():
        if target == OrderStatus.COMPLETED:
            closed = await finish(order, Actor.SELLER, seller.id, fee_bps=services.platform_fee_bps)
        else:
            await transition(order, target, Actor.SELLER, seller.id, **changes)
        # Cash on delivery is paid when the goods arrive.
        cash_paid = target == OrderStatus.DELIVERED and await Payment.filter(
            order_id=order.id, method=PaymentMethod.COD, status=PaymentStatus.PENDING
        ).update(status=PaymentStatus.PAID, paid_at=now())
    await notify(services.events, order, OrderEventType.STATUS_CHANGED)
    if cash_paid:
        await notify(services.events, order, OrderEventType.PAID)
    if closed:
        await notify(services.events, order, OrderEventType.COMPLAINT_CHANGED)
    return order


async def _completes_at(order_id: int, delivered: datetime, services: Services) -> datetime:
    """When an order delivered then completes by itself: ORDER_AUTOCOMPLETE_DAYS on, or later
    when its complaint was rejected (COMPLAINT_RESPONSE_DAYS after, to escalate)."""
    due = delivered + services.order_autocomplete
    rejected = (
        await ComplaintStep.filter(complaint__order_id=order_id, status=ComplaintStatus.REJECTED)
        .order_by("-id")
        .first()
    )
    if rejected is not None:
        due = max(due, rejected.created_at + services.complaint_response)
    return due


async def finish(
    order: Order,
    actor: Actor,
    actor_id: int | None,
    reason: str = "",
    *,
    fee_bps: int,
    **changes: object,
) -> bool:
    """Inside the caller's transaction: the order becomes COMPLETED unless a complaint is
    open (INVALID_STATE); a REJECTED complaint is CLOSED by it (then True).

    The order's row moves first, so that a complaint opened at the same moment is either
    seen here (and refuses) or finds the order completed (and is refused)."""
    await transition(order, OrderStatus.COMPLETED, actor, actor_id, reason, **changes)
    await sales.order_completed(order, fee_bps)
    complaint = await Complaint.get_or_none(order_id=order.id)
    if complaint is None:
        return False
    if complaint.status in OPEN:
        raise UserError(
            ErrorCode.INVALID_STATE,
            "Pesanan yang sedang dikomplain belum bisa diselesaikan.",
            "status",
        )
    if complaint.status != ComplaintStatus.REJECTED:
        return False
    closed = await Complaint.filter(id=complaint.id, status=ComplaintStatus.REJECTED).update(
        status=ComplaintStatus.CLOSED
    )
    if closed:
        await ComplaintStep.create(
            complaint_id=complaint.id,
            status=ComplaintStatus.CLOSED,
            actor_id=actor_id,
            reason="Pesanan selesai",
            created_at=now(),
        )
    return bool(closed)


async def confirm_receipt(viewer: User | None, order_id: int, services: Services) -> Order:
    """The buyer says a DELIVERED order arrived: it is COMPLETED."""
    buyer = require_user(viewer)
    order = await _visible_order(buyer, order_id)
    if order is None:
        raise UserError(ErrorCode.NOT_FOUND, "Pesanan tidak ditemukan.", "id")
    if order.buyer_id != buyer.id:
        raise UserError(
            ErrorCode.PERMISSION_DENIED,
            "Hanya pembeli yang boleh mengonfirmasi pesanan diterima.",
            "id",
        )
    async with in_transaction():
        closed = await finish(
            order, Actor.BUYER, buyer.id, RECEIVED_REASON, fee_bps=services.platform_fee_bps
        )
    await notify(services.events, order, OrderEventType.STATUS_CHANGED)
    if closed:
        await notify(services.events, order, OrderEventType.COMPLAINT_CHANGED)
    return order


async def complete_due_orders(services: Services, at: datetime | None = None) -> int:
    """Complete every DELIVERED order whose autoCompleteAt has passed by `at` (now by
    default) with no complaint open; how many. The periodic sweep, and a test clock, call it."""
    moment = at or now()
    open_complaints = Complaint.filter(status__in=list(OPEN)).values("order_id")
    due = await Order.filter(
        status=OrderStatus.DELIVERED,
        auto_complete_at__lte=moment,
        id__not_in=Subquery(open_complaints),
    ).order_by("id")
    completed = 0
    for order in due:
        try:
            async with in_transaction():
                closed = await finish(
                    order,
                    Actor.SYSTEM,
                    None,
                    AUTO_COMPLETED_REASON,
                    fee_bps=services.platform_fee_bps,
                )
        except UserError:
            continue  # completed, or complained about, meanwhile
        completed += 1
        await notify(services.events, order, OrderEventType.STATUS_CHANGED)
        if closed:
            await notify(services.events, order, OrderEventType.COMPLAINT_CHANGED)
    return completed


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
        if await may_be_paid(order.id, services):
            continue  # confirmed now, or asked again next time
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
        await return_stock(order.id)
        await give_use_back(order.id)
        payment = await Payment.get(order_id=order.id)
        if payment.status == PaymentStatus.PAID and payment.amount:
            await refund(journal, payment, payment.amount, actor_id, services, "id")
        else:
            expired = actor == Actor.SYSTEM
            payment.status = PaymentStatus.EXPIRED if expired else PaymentStatus.CANCELLED
            await payment.save(update_fields=["status"])
    await journal.publish(services.events)
    await notify(services.events, order, OrderEventType.CANCELLED)
    if payment.status != PaymentStatus.REFUNDED and payment.expires_at is not None:
        await stop_at_provider(payment.reference, services)


async def return_stock(order_id: int) -> None:
    """Inside the caller's transaction, after the move that lets it happen once: the order's
    quantities back to their variants' stock."""
    lines = await OrderLine.filter(order_id=order_id)
    await give_back([(line.product_id, line.variant_id or 0, line.quantity) for line in lines])
