"""PENDING payments asked about again at the provider: a notification that was lost, or
refused while the provider could not be asked, still confirms its payment once the
provider's status says it is paid; and an order is never cancelled for want of a payment
the provider may have taken."""

from __future__ import annotations

import logging
from datetime import timedelta

from models.orders import Payment, PaymentStatus
from resolvers.orders.payments import Outcome, confirm_payment
from resolvers.platform import now
from resolvers.providers import PaymentUnavailable, Services, next_batch

logger = logging.getLogger("satupintu.payments")
# A payment younger than this is still being paid: its notification is on the way.
RECHECK_AFTER = timedelta(minutes=1)


async def paid_at_provider(payment: Payment, services: Services) -> bool:
    """Whether the provider says the payment is paid, confirmed here (once) if so."""
    notification = await services.payments.status(payment.reference)
    if notification is None:
        return False
    outcome = await confirm_payment(notification, services.events)
    if outcome not in (Outcome.CONFIRMED, Outcome.DUPLICATE):
        logger.warning("re-checked payment %s: %s", payment.reference, outcome)
    return True


async def may_be_paid(order_id: int, services: Services) -> bool:
    """Before an unpaid order is cancelled: True when the provider says it is paid (and it
    is confirmed now) or cannot say (asked again next time)."""
    payment = await Payment.get(order_id=order_id)
    if payment.status != PaymentStatus.PENDING or payment.expires_at is None:
        return False
    try:
        return await paid_at_provider(payment, services)
    except PaymentUnavailable as error:
        logger.warning("order %s not cancelled: %s", order_id, error)
        return True


async def recheck_pending_payments(
    services: Services, older_than: timedelta = RECHECK_AFTER
) -> int:
    """Ask the provider about the next batch (`next_batch`) of PENDING QRIS or transfer
    payments opened more than `older_than` ago; how many it said were paid."""
    pending = await next_batch(
        Payment.filter(
            status=PaymentStatus.PENDING,
            expires_at__isnull=False,
            created_at__lte=now() - older_than,
        ),
        services,
        "payments",
    )
    paid = 0
    for payment in pending:
        try:
            paid += await paid_at_provider(payment, services)
        except PaymentUnavailable as error:
            logger.warning("re-checking payment %s: %s", payment.reference, error)
    return paid


async def stop_at_provider(reference: str, services: Services) -> None:
    """After an unpaid order's cancellation: its virtual account or QR code closed at the
    provider, when it answers (the payment's own expiry closes it otherwise)."""
    try:
        await services.payments.expire(reference)
    except PaymentUnavailable as error:
        logger.warning("payment %s not expired at the provider: %s", reference, error)
