"""Orders paid before the platform's books existed (migration 0033) written into them, once:
`satupintu backfill-platform-books`.

Each paid order gets, in one transaction and dated the day the backfill runs, what is
missing of what the orders write today: its payment (Kas dan Bank, or Piutang Koperasi for
the cooperative whose books took it from SUKARELA and whose Utang kepada Platform already
holds it), its refunds (a savings purchase's mirroring the cooperative's REFUND lines), and,
once COMPLETED, the shop's balance (no platform fee: there was none). An order paid before
the upgrade and refunded or completed after it keeps what was written since; running the
backfill again writes nothing."""

from __future__ import annotations

import logging

from tortoise.functions import Sum
from tortoise.transactions import in_transaction

from models.orders import Order, OrderStatus, Payment, PaymentMethod
from models.payouts import PlatformEntry, PlatformEntryKind, PlatformLine
from resolvers.cooperatives import Journal, clearing
from resolvers.orders import platform_books as ledger
from resolvers.orders import sales
from resolvers.orders.platform_books import DANA_TITIPAN, PIUTANG_KOPERASI, UTANG_KOPERASI, Entry
from resolvers.orders.seller_balance import PAID

logger = logging.getLogger("satupintu.payouts")


async def _platform_refunds(order_id: int, side: str) -> dict[str, int]:
    """`side` ("debit" or "credit") of the order's ORDER_REFUND lines, summed per account."""
    return {
        row["account"]: int(row["total"] or 0)
        for row in await PlatformLine.filter(
            entry__order_id=order_id, entry__kind=PlatformEntryKind.ORDER_REFUND
        )
        .group_by("account")
        .annotate(total=Sum(side))
        .values("account", "total")
    }


async def _booked(order_id: int, kind: PlatformEntryKind) -> bool:
    return await PlatformEntry.exists(order_id=order_id, kind=kind)


async def _book_savings_purchase(order: Order) -> bool:
    """Its payment and refunds, mirroring the cooperative's books; False when none took it."""
    purchase = await clearing.purchase_of(order.id)
    if purchase is None:
        logger.warning("order %s: paid from savings, but no cooperative took it", order.id)
        return False
    if not await _booked(order.id, PlatformEntryKind.ORDER_PAID):
        await sales.order_paid_from_savings(order, purchase.cooperative_id)
    ours = await _platform_refunds(order.id, "credit")
    utang = purchase.utang - ours.get(PIUTANG_KOPERASI, 0)
    piutang = purchase.piutang - ours.get(UTANG_KOPERASI, 0)
    if utang + piutang > 0:
        await ledger.post(
            PlatformEntryKind.ORDER_REFUND,
            "Pengembalian dana pesanan",
            [
                Entry(DANA_TITIPAN, debit=utang + piutang),
                Entry(PIUTANG_KOPERASI, credit=utang, cooperative_id=purchase.cooperative_id),
                Entry(UTANG_KOPERASI, credit=piutang, cooperative_id=purchase.cooperative_id),
            ],
            order_id=order.id,
        )
    return True


async def _book(payment: Payment, order: Order) -> bool:
    """Inside the caller's transaction: what is missing of the order's movements; whether
    anything was."""
    if not payment.amount:  # nothing was paid: nothing to write
        return False
    before = await PlatformEntry.filter(order_id=order.id).count()
    if payment.method == PaymentMethod.COOPERATIVE_BALANCE:
        if not await _book_savings_purchase(order):
            return False
    else:
        if not await _booked(order.id, PlatformEntryKind.ORDER_PAID):
            await sales.order_paid(payment)
        refunded = await _platform_refunds(order.id, "debit")
        missing = payment.refunded_amount - refunded.get(DANA_TITIPAN, 0)
        if missing > 0:
            await sales.order_refunded(Journal(), payment, missing, None)
    if order.status == OrderStatus.COMPLETED and not await _booked(
        order.id, PlatformEntryKind.ORDER_COMPLETED
    ):
        await sales.order_completed(order, fee_bps=0)
    return await PlatformEntry.filter(order_id=order.id).count() > before


async def backfill_platform_books() -> int:
    """Write what is missing of every paid order; how many orders had something missing."""
    written = 0
    payments = (
        await Payment.filter(status__in=list(PAID))
        .exclude(method=PaymentMethod.COD)
        .order_by("id")
        .values_list("id", flat=True)
    )
    for payment_id in payments:
        async with in_transaction():
            # The payment's row locked (PostgreSQL): a racing run waits, then finds it booked.
            payment = await Payment.select_for_update().get(id=payment_id)
            order = await Order.get(id=payment.order_id)
            written += await _book(payment, order)
    return written
