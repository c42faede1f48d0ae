"""Live order events for a shop's owner, through whichever broker the server runs."""

from __future__ import annotations

import logging
from enum import StrEnum

from models.orders import Order
from resolvers.platform import Broker

logger = logging.getLogger("satupintu.orders")


class OrderEventType(StrEnum):
    CREATED = "CREATED"
    PAID = "PAID"
    STATUS_CHANGED = "STATUS_CHANGED"
    CANCELLED = "CANCELLED"
    COMPLAINT_CHANGED = "COMPLAINT_CHANGED"


def shop_channel(shop_id: int) -> str:
    return f"orders:shop:{shop_id}"


async def notify(events: Broker, order: Order, event_type: OrderEventType) -> None:
    """Publish after the change is committed; a broker outage must not undo a sale."""
    try:
        await events.publish(
            shop_channel(order.shop_id), {"type": event_type.value, "orderId": order.id}
        )
    except Exception:
        logger.exception("could not publish %s of order %s", event_type, order.id)
