"""Payments of orders."""

from __future__ import annotations

from datetime import datetime

import strawberry

from models.orders import payments as m
from schema.platform import Money

PaymentMethod = strawberry.enum(
    m.PaymentMethod,
    name="PaymentMethod",
    description="COOPERATIVE_BALANCE pays from the buyer's simpanan sukarela.",
)
PaymentStatus = strawberry.enum(m.PaymentStatus, name="PaymentStatus")


@strawberry.type
class Payment:
    method: PaymentMethod
    status: PaymentStatus
    instructions: str | None = strawberry.field(
        description="What to pay where: the virtual account number and the amount."
    )
    qris_payload: str | None = strawberry.field(
        description="A dynamic EMVCo QRIS string with the amount, to show as a QR code."
    )
    expires_at: datetime | None
    paid_at: datetime | None
    amount: Money = strawberry.field(description="What the buyer pays: the order's total.")
    refunded_amount: Money = strawberry.field(
        description="What went back to the buyer so far; all of `amount` once REFUNDED."
    )

    @classmethod
    def of(cls, payment: m.Payment) -> Payment:
        return cls(
            amount=Money(amount=payment.amount),
            refunded_amount=Money(amount=payment.refunded_amount),
            method=m.PaymentMethod(payment.method),
            status=m.PaymentStatus(payment.status),
            instructions=payment.instructions,
            qris_payload=payment.qris_payload,
            expires_at=payment.expires_at,
            paid_at=payment.paid_at,
        )
