"""Cart, checkout, orders and their state machine, order events and payments."""

from resolvers.orders import cart, checkout
from resolvers.orders.events import OrderEventType, shop_channel
from resolvers.orders.order import (
    cancel_order,
    expire_orders,
    lines_of_orders,
    my_orders_page,
    owned_shop_for_events,
    payments_of_orders,
    shop_orders_page,
    status_changes_of_orders,
    update_order_status,
)
from resolvers.orders.payments import Outcome, confirm_payment
from resolvers.orders.rules import order_number

__all__ = [
    "OrderEventType",
    "Outcome",
    "cancel_order",
    "cart",
    "checkout",
    "confirm_payment",
    "expire_orders",
    "lines_of_orders",
    "my_orders_page",
    "order_number",
    "owned_shop_for_events",
    "payments_of_orders",
    "shop_channel",
    "shop_orders_page",
    "status_changes_of_orders",
    "update_order_status",
]
