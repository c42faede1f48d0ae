"""Cart, checkout, shipping, orders and their state machine, complaints, order events,
payments, shop vouchers, and what orders write in the platform's books and the shops'
balances."""

from resolvers.orders import (
    cart,
    checkout,
    complaints,
    nota,
    platform_books,
    pricing,
    sales,
    seller_balance,
    shipping_methods,
    voucher_pricing,
    vouchers,
)
from resolvers.orders.events import OrderEventType, shop_channel
from resolvers.orders.order import (
    cancel_order,
    complete_due_orders,
    confirm_receipt,
    expire_orders,
    lines_of_orders,
    my_orders_page,
    orders_by_ids,
    owned_shop_for_events,
    payments_of_orders,
    shop_orders_page,
    status_changes_of_orders,
    update_order_status,
)
from resolvers.orders.payment_recheck import recheck_pending_payments
from resolvers.orders.payments import Outcome, confirm_payment
from resolvers.orders.rules import order_number
from resolvers.orders.shipping import Option as ShippingOption

__all__ = [
    "OrderEventType",
    "Outcome",
    "ShippingOption",
    "cancel_order",
    "cart",
    "checkout",
    "complaints",
    "complete_due_orders",
    "confirm_payment",
    "confirm_receipt",
    "expire_orders",
    "lines_of_orders",
    "my_orders_page",
    "nota",
    "order_number",
    "orders_by_ids",
    "owned_shop_for_events",
    "payments_of_orders",
    "platform_books",
    "pricing",
    "recheck_pending_payments",
    "sales",
    "seller_balance",
    "shipping_methods",
    "shop_channel",
    "shop_orders_page",
    "status_changes_of_orders",
    "update_order_status",
    "voucher_pricing",
    "vouchers",
]
