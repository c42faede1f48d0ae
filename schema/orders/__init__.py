"""GraphQL types of the cart, orders, shipping, complaints and payments."""

from schema.orders import cart, complaint, nota, order, shipping, voucher
from schema.orders.complaint import Complaint, ComplaintStatus
from schema.orders.order import Order, OrderLine, OrderStatus
from schema.orders.voucher import Voucher

__all__ = [
    "Complaint",
    "ComplaintStatus",
    "Order",
    "OrderLine",
    "OrderStatus",
    "Voucher",
    "cart",
    "complaint",
    "nota",
    "order",
    "shipping",
    "voucher",
]
