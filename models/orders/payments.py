"""Payments of orders and the provider notifications that confirm them."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

from models.platform import Moment

if TYPE_CHECKING:
    from models.orders.order import Order


class PaymentMethod(StrEnum):
    COD = "COD"
    BANK_TRANSFER = "BANK_TRANSFER"
    QRIS = "QRIS"
    COOPERATIVE_BALANCE = "COOPERATIVE_BALANCE"


class PaymentStatus(StrEnum):
    PENDING = "PENDING"
    PAID = "PAID"
    EXPIRED = "EXPIRED"
    CANCELLED = "CANCELLED"
    REFUNDED = "REFUNDED"


class Payment(Model):
    id = fields.BigIntField(primary_key=True)
    order: fields.OneToOneRelation[Order] = fields.OneToOneField(
        "satupintu.Order", related_name="payment", on_delete=fields.CASCADE
    )
    order_id: int
    method = fields.CharEnumField(PaymentMethod, max_length=20)
    status = fields.CharEnumField(PaymentStatus, max_length=10, default=PaymentStatus.PENDING)
    amount = fields.BigIntField()
    # What went back to the payer so far (complaints; a cancellation refunds all at once).
    refunded_amount = fields.BigIntField(default=0, db_default=0)
    # Our reference at the provider: what its notifications name.
    reference = fields.CharField(max_length=40, unique=True)
    instructions = fields.TextField(null=True)
    qris_payload = fields.TextField(null=True)
    expires_at = Moment(null=True, db_index=True)
    paid_at = Moment(null=True)
    created_at = Moment(auto_now_add=True)

    class Meta:
        table = "payment"


class PaymentNotification(Model):
    # A provider notification already acted on: a duplicate or replay finds its id here.
    id = fields.BigIntField(primary_key=True)
    notification_id = fields.CharField(max_length=100, unique=True)
    payment: fields.ForeignKeyRelation[Payment] = fields.ForeignKeyField(
        "satupintu.Payment", related_name="notifications", on_delete=fields.CASCADE
    )
    payment_id: int
    received_at = Moment(auto_now_add=True)

    class Meta:
        table = "payment_notification"
