"""Receipts paid by QRIS or transfer that still await their payment, asked about again at
the payment provider: a notification lost, or refused while the provider could not be asked,
still takes the bills once the provider's status says the receipt is paid."""

from __future__ import annotations

import logging
from datetime import timedelta

from models.bills import BillReceipt, ReceiptStatus
from resolvers.bills.payment import confirm_bill_payment
from resolvers.orders import Outcome
from resolvers.platform import now
from resolvers.providers import PaymentUnavailable, Services, next_batch

logger = logging.getLogger("satupintu.payments")
# Younger receipts are still being paid; older expired ones were asked about for a day.
RECHECK_AFTER = timedelta(minutes=1)
ASKED_FOR = timedelta(days=1)


async def recheck_awaiting_receipts(
    services: Services, older_than: timedelta = RECHECK_AFTER
) -> int:
    """Ask the provider about the next batch (`next_batch`) of receipts awaiting their
    payment; how many it said were paid (their bills taken now, or the money returned when
    they no longer could be)."""
    moment = now()
    awaiting = await next_batch(
        BillReceipt.filter(
            status=ReceiptStatus.AWAITING_PAYMENT,
            reference__isnull=False,
            created_at__lte=moment - older_than,
            expires_at__gt=moment - ASKED_FOR,
        ),
        services,
        "receipts",
    )
    paid = 0
    for receipt in awaiting:
        assert receipt.reference is not None  # filtered above
        try:
            notification = await services.payments.status(receipt.reference)
        except PaymentUnavailable as error:
            logger.warning("re-checking receipt %s: %s", receipt.reference, error)
            continue
        if notification is None:
            continue
        outcome = await confirm_bill_payment(notification, services)
        if outcome not in (Outcome.CONFIRMED, Outcome.DUPLICATE):
            logger.warning("re-checked receipt %s: %s", receipt.reference, outcome)
        paid += 1
    return paid
