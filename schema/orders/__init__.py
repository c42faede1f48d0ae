"""GraphQL types of the cart, orders, complaints and payments."""

from schema.orders import cart, complaint, order
from schema.orders.complaint import Complaint, ComplaintStatus
from schema.orders.order import Order, OrderLine, OrderStatus

__all__ = [
    "Complaint",
    "ComplaintStatus",
    "Order",
    "OrderLine",
    "OrderStatus",
    "cart",
    "complaint",
    "order",
]
