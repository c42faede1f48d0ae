"""GraphQL types of the cart, orders, shipping, complaints and payments."""

from schema.orders import cart, complaint, order, shipping
from schema.orders.complaint import Complaint, ComplaintStatus
from schema.orders.order import Order, OrderStatus

__all__ = [
    "Complaint",
    "ComplaintStatus",
    "Order",
    "OrderStatus",
    "cart",
    "complaint",
    "order",
    "shipping",
]
