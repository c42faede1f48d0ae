"""Moving an order to another status, recorded with who did it and when."""

from __future__ import annotations

from typing import Any

from models.orders import Order, OrderStatus, OrderStatusChange
from models.shops import Shop
from resolvers.orders.rules import Actor, can_move
from resolvers.platform import ErrorCode, NotificationKind, UserError, notify, now

STATUS_NAMES = {
    OrderStatus.PENDING_PAYMENT: "menunggu pembayaran",
    OrderStatus.PROCESSING: "diproses",
    OrderStatus.SHIPPED: "dikirim",
    OrderStatus.DELIVERED: "diterima",
    OrderStatus.COMPLETED: "selesai",
    OrderStatus.CANCELLED: "dibatalkan",
}


def refuse_move(current: OrderStatus, target: OrderStatus) -> UserError:
    return UserError(
        ErrorCode.INVALID_STATE,
        f"Pesanan yang {STATUS_NAMES[current]} tidak bisa diubah menjadi {STATUS_NAMES[target]}.",
        "status",
    )


async def transition(
    order: Order,
    target: OrderStatus,
    actor: Actor,
    actor_id: int | None,
    reason: str = "",
    **changes: Any,
) -> None:
    """Move `order` (inside the caller's transaction) if it is still in the status it was read in.

    The update is conditional on that status, so of two concurrent moves only one happens.
    """
    current = OrderStatus(order.status)
    if not can_move(current, target, actor):
        raise refuse_move(current, target)
    moved = await Order.filter(id=order.id, status=current).update(
        status=target, updated_at=now(), **changes
    )
    if not moved:
        raise UserError(
            ErrorCode.INVALID_STATE, "Status pesanan baru saja berubah; muat ulang.", "status"
        )
    await OrderStatusChange.create(
        order_id=order.id, from_status=current, to_status=target, actor_id=actor_id, reason=reason
    )
    order.update_from_dict({"status": target, **changes})
    await notify(
        NotificationKind.ORDER_STATUS_CHANGED,
        ("Order", order.id),
        [order.buyer_id, *await order_sellers(order)],
        f"Pesanan #{order.id} {STATUS_NAMES[target]}",
        f"Pesanan #{order.id} kini {STATUS_NAMES[target]}" + (f": {reason}." if reason else "."),
        step=target.value,
    )


async def order_sellers(order: Order) -> list[int]:
    """Who hears of an order on the shop's side: its owner."""
    return [(await Shop.get(id=order.shop_id)).owner_id]
