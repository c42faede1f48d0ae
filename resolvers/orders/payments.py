"""Payment providers and the notifications that confirm payments."""

from __future__ import annotations

import logging
from enum import StrEnum

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from models.orders import (
    Order,
    OrderStatus,
    Payment,
    PaymentNotification,
    PaymentStatus,
)
from resolvers.orders import sales
from resolvers.orders.events import OrderEventType, notify
from resolvers.orders.rules import Actor
from resolvers.orders.status import transition
from resolvers.platform import Broker, UserError, now, row_where
from resolvers.providers import Notification

logger = logging.getLogger("satupintu.payments")


class Outcome(StrEnum):
    CONFIRMED = "CONFIRMED"
    DUPLICATE = "DUPLICATE"
    UNKNOWN = "UNKNOWN"
    AMOUNT_MISMATCH = "AMOUNT_MISMATCH"
    NOT_PENDING = "NOT_PENDING"


class _Refused(Exception):
    def __init__(self, outcome: Outcome) -> None:
        self.outcome = outcome


async def confirm_payment(notification: Notification, events: Broker) -> Outcome:
    """Mark the payment paid and its order PROCESSING, once; anything else changes nothing."""
    try:
        async with in_transaction():
            order = await _confirm(notification)
    except _Refused as refused:
        return refused.outcome
    except IntegrityError:
        return Outcome.DUPLICATE  # its id is taken: this notification was acted on already
    await notify(events, order, OrderEventType.PAID)
    return Outcome.CONFIRMED


async def _confirm(notification: Notification) -> Order:
    payment = await row_where(Payment, "reference", notification.reference)
    if payment is None:
        raise _Refused(Outcome.UNKNOWN)
    # First, so that a concurrent duplicate waits on the unique key and then fails on it.
    await PaymentNotification.create(notification_id=notification.id, payment_id=payment.id)
    if notification.amount != payment.amount:
        raise _Refused(Outcome.AMOUNT_MISMATCH)
    paid = await Payment.filter(id=payment.id, status=PaymentStatus.PENDING).update(
        status=PaymentStatus.PAID, paid_at=now()
    )
    if not paid:
        raise _Refused(Outcome.NOT_PENDING)
    await sales.order_paid(payment)
    order = await Order.get(id=payment.order_id)
    try:
        await transition(order, OrderStatus.PROCESSING, Actor.SYSTEM, None, "Pembayaran diterima")
    except UserError:
        raise _Refused(Outcome.NOT_PENDING) from None
    return order
