"""Carts, checkouts, orders with their lines and status history, complaints, payments and
shop vouchers."""

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
from models.orders.voucher import Voucher, VoucherKind, VoucherProduct, VoucherUse

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
    "Voucher",
    "VoucherKind",
    "VoucherProduct",
    "VoucherUse",
    "payments",
]
