"""Payments of orders."""

from __future__ import annotations

from datetime import datetime

import strawberry

from models.orders import payments as m
from schema.platform import Money, described_enum

PaymentMethod = described_enum(
    m.PaymentMethod,
    "How an order is paid.",
    {
        "COD": "Cash on delivery: the order is PROCESSING at once, its payment PAID when the "
        "seller marks it DELIVERED.",
        "BANK_TRANSFER": "To a virtual account (`payment.instructions`) before "
        "`payment.expiresAt`; the order waits in PENDING_PAYMENT, and is cancelled if unpaid.",
        "QRIS": "By a dynamic QRIS code (`payment.qrisPayload`) before `payment.expiresAt`; "
        "the order waits in PENDING_PAYMENT, and is cancelled if unpaid.",
        "COOPERATIVE_BALANCE": "At once from the buyer's simpanan sukarela in the cooperative "
        "of `membershipId` (INSUFFICIENT_BALANCE if it does not cover the total).",
    },
    name="PaymentMethod",
)
PaymentStatus = described_enum(
    m.PaymentStatus,
    "Where an order's payment is.",
    {
        "PENDING": "Not paid yet (a transfer or QRIS awaited, or cash on delivery).",
        "PAID": "Paid: confirmed by the provider, taken from savings, or cash received.",
        "EXPIRED": "Not paid in time: the order was cancelled.",
        "CANCELLED": "The order was cancelled before it was paid.",
        "REFUNDED": "All of it went back to the buyer, the way it came (to the same savings "
        "account for COOPERATIVE_BALANCE): the order was cancelled after payment, or its "
        "complaint refunded in full.",
    },
    name="PaymentStatus",
)


@strawberry.type(description="An order's payment.")
class Payment:
    method: PaymentMethod = strawberry.field(description="How it is paid.")
    status: PaymentStatus = strawberry.field(description="Where it is.")
    instructions: str | None = strawberry.field(
        description="BANK_TRANSFER: what to pay where, the virtual account number and the "
        "amount; null otherwise."
    )
    qris_payload: str | None = strawberry.field(
        description="QRIS: a dynamic EMVCo QRIS string with the amount, to show as a QR code; "
        "null otherwise."
    )
    expires_at: datetime | None = strawberry.field(
        description="BANK_TRANSFER and QRIS: unpaid by then, the order is cancelled and its "
        "stock returned; null for the others."
    )
    paid_at: datetime | None = strawberry.field(description="When it was paid; null until then.")
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
