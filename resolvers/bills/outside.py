"""Outside bills after the debit: each sent to the biller, and settled by its answer.

PAID marks the bill paid with the biller's reference (and a PLN token with its kWh).
FAILED refunds it: one REFUND entry reversing its payment (back to the paying SUKARELA, in
the live feed, or out of Kas through the payment provider's refund). PENDING (a
timeout too, since the money may have moved) leaves it PENDING: `recheck_pending_bills`,
which every server runs every `BILL_RECHECK_INTERVAL` seconds, asks the biller again with the
same reference until it answers PAID or FAILED; a biller that calls back (`settle_callback`)
settles it sooner, the same way. Each settlement is a conditional update of a
PENDING bill, so two workers never settle one bill twice.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from tortoise.transactions import in_transaction

from models.bills import Bill, BillReceipt, BillStatus, PaymentSource
from models.cooperatives import EntryKind
from resolvers.bills.inquiry import inquiry_of
from resolvers.bills.settlement import debit_of, settlement_of
from resolvers.cooperatives import Journal, Line
from resolvers.platform import now, today
from resolvers.providers import Services, next_batch
from resolvers.providers.billers import BillerCallback, BillerPayment, BillerStatus

logger = logging.getLogger("satupintu.bills")
# A payment younger than this may still be on its way to the biller: not re-checked yet.
RECHECK_AFTER = timedelta(seconds=30)


def reference_of(bill: Bill) -> str:
    """Our reference for the bill's payment at the biller: the same on every re-check."""
    return f"SPB-{bill.receipt_id}-{bill.id}"


async def pay_outside_bills(receipt: BillReceipt, bills: list[Bill], services: Services) -> None:
    """After the debit's commit: each bill paid at the biller, and settled by its answer."""
    for bill in bills:
        bill = await Bill.get(id=bill.id)
        try:
            answer = await services.biller.pay(reference_of(bill), inquiry_of(bill))
            await settle(bill, receipt, answer, services)
        except Exception:
            # The money is taken and the bill PENDING: the re-check settles it later.
            logger.exception("paying %s at the biller failed; re-checked later", reference_of(bill))


async def settle(
    bill: Bill, receipt: BillReceipt, answer: BillerPayment, services: Services
) -> None:
    """Record the biller's answer about a PENDING bill."""
    if answer.status == BillerStatus.PAID:
        await record_paid(bill, answer)
    elif answer.status == BillerStatus.PENDING:
        await Bill.filter(id=bill.id, status=BillStatus.PENDING).update(
            biller_message=answer.message or ""
        )
    else:
        await _refund(bill, receipt, answer.message or "", services)


async def settle_callback(callback: BillerCallback, services: Services) -> bool:
    """The biller's signed call about a PENDING bill's payment, recorded as a re-check's
    answer is; False when no bill made from that inquiry is PENDING (a repeated call)."""
    bill = (
        await Bill.filter(inquiry_id=callback.inquiry_id, status=BillStatus.PENDING)
        .select_related("receipt")
        .first()
    )
    if bill is None or bill.receipt is None:
        return False
    await settle(bill, bill.receipt, callback.payment, services)
    return True


async def record_paid(bill: Bill, answer: BillerPayment) -> None:
    """A PENDING bill the biller paid: PAID, with its reference (and a PLN token)."""
    await Bill.filter(id=bill.id, status=BillStatus.PENDING).update(
        status=BillStatus.PAID,
        paid_at=now(),
        biller_reference=answer.biller_reference or "",
        token=answer.token or "",
        kwh=answer.kwh,
        biller_message="",
    )


async def _refund(bill: Bill, receipt: BillReceipt, message: str, services: Services) -> None:
    """The biller refused: the bill's payment reversed by its own entry, once."""
    assert bill.cooperative_id is not None  # set when the bill was taken
    journal = Journal()
    async with in_transaction():
        moved = await Bill.filter(id=bill.id, status=BillStatus.PENDING).update(
            status=BillStatus.REFUNDED, biller_message=message
        )
        if not moved:
            return
        paid = [debit_of(receipt, bill.amount + bill.admin_fee)]
        settlement = await settlement_of(bill, today())
        paid += settlement.credits
        await journal.post(
            bill.cooperative_id,
            EntryKind.REFUND,
            f"Pengembalian dana: {settlement.description}",
            [
                Line(x.code, debit=x.credit, credit=x.debit, membership_id=x.membership_id)
                for x in paid
            ],
            note=bill.description,
            actor_id=receipt.user_id,
            membership_id=receipt.membership_id,
        )
    await journal.publish(services.events)
    if receipt.source != PaymentSource.SUKARELA:
        assert receipt.reference is not None  # paid through the provider
        await services.payments.refund(receipt.reference, bill.amount + bill.admin_fee)


async def recheck_pending_bills(services: Services, older_than: timedelta = RECHECK_AFTER) -> int:
    """Ask the biller again about the next batch (`next_batch`) of PENDING bills paid before
    `older_than` ago; how many settled (PAID or REFUNDED)."""
    pending = await next_batch(
        Bill.filter(
            status=BillStatus.PENDING, receipt__paid_at__lte=now() - older_than
        ).select_related("receipt"),
        services,
        "bills",
    )
    settled = 0
    for bill in pending:
        assert bill.receipt is not None  # a PENDING bill was taken by a receipt
        try:
            answer = await services.biller.status(reference_of(bill), inquiry_of(bill))
            await settle(bill, bill.receipt, answer, services)
        except Exception:
            # One bill's trouble (no answer, a refund that cannot be posted) stops no other.
            logger.exception("re-checking %s failed; asked again later", reference_of(bill))
            continue
        settled += answer.status != BillerStatus.PENDING
    return settled
