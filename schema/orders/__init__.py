"""GraphQL types of the cart, orders and payments."""

from schema.orders import cart, order
from schema.orders.order import Order, OrderStatus

__all__ = ["Order", "OrderStatus", "cart", "order"]
