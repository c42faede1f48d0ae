"""Carts, checkouts, orders with their lines and status history, complaints, and payments."""

from models.orders import payments
from models.orders.complaint import (
    Complaint,
    ComplaintReason,
    ComplaintResponse,
    ComplaintStatus,
    ComplaintStep,
)
from models.orders.order import CartLine, Checkout, Order, OrderLine, OrderStatus, OrderStatusChange
from models.orders.payments import Payment, PaymentMethod, PaymentNotification, PaymentStatus
from models.orders.shipping import ShippingFee, ShippingKind, ShippingMethod

__all__ = [
    "CartLine",
    "Checkout",
    "Complaint",
    "ComplaintReason",
    "ComplaintResponse",
    "ComplaintStatus",
    "ComplaintStep",
    "Order",
    "OrderLine",
    "OrderStatus",
    "OrderStatusChange",
    "Payment",
    "PaymentMethod",
    "PaymentNotification",
    "PaymentStatus",
    "ShippingFee",
    "ShippingKind",
    "ShippingMethod",
    "payments",
]
