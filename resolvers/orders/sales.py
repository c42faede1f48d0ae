"""What the marketplace's orders write in the platform's books, each inside the transaction
of the change it records: a payment received (Dana Titipan Pembeli), a refund, and an order
COMPLETED (the shop's balance, less the platform fee). COD orders are the seller's own cash
sale: they never reach the books or the balance."""

from __future__ import annotations

from models.orders import Order, Payment, PaymentMethod
from models.payouts import PlatformEntryKind, SellerMovementKind
from resolvers.cooperatives import Journal, clearing
from resolvers.orders import platform_books as ledger
from resolvers.orders.platform_books import (
    DANA_TITIPAN,
    KAS_BANK,
    PENDAPATAN_KOMISI,
    PIUTANG_KOPERASI,
    SALDO_PENJUAL,
    UTANG_KOPERASI,
    Entry,
)
from resolvers.orders.rules import order_number
from resolvers.orders.seller_balance import PAID, fee_of, move


async def order_paid(payment: Payment) -> None:
    """A QRIS or bank transfer payment confirmed: the money is at the platform's bank."""
    await ledger.post(
        PlatformEntryKind.ORDER_PAID,
        "Pembayaran pesanan diterima",
        [Entry(KAS_BANK, debit=payment.amount), Entry(DANA_TITIPAN, credit=payment.amount)],
        order_id=payment.order_id,
    )


async def order_paid_from_savings(order: Order, cooperative_id: int) -> None:
    """Paid from a member's SUKARELA: the cooperative owes the platform (its Utang kepada
    Platform, written by `pay_purchase` in the same transaction)."""
    await ledger.post(
        PlatformEntryKind.ORDER_PAID,
        "Pembayaran pesanan dari simpanan sukarela",
        [
            Entry(PIUTANG_KOPERASI, debit=order.total, cooperative_id=cooperative_id),
            Entry(DANA_TITIPAN, credit=order.total),
        ],
        order_id=order.id,
    )


async def order_refunded(
    journal: Journal, payment: Payment, amount: int, actor_id: int | None
) -> None:
    """`amount` of a paid order back to its payer, the way it came, in both books."""
    if payment.method == PaymentMethod.COD:
        return
    if payment.method != PaymentMethod.COOPERATIVE_BALANCE:
        lines = [Entry(DANA_TITIPAN, debit=amount), Entry(KAS_BANK, credit=amount)]
    else:
        split = await clearing.refund_purchase(journal, payment.order_id, actor_id, amount)
        lines = [
            Entry(DANA_TITIPAN, debit=amount),
            Entry(PIUTANG_KOPERASI, credit=split.utang, cooperative_id=split.cooperative_id),
            Entry(UTANG_KOPERASI, credit=split.piutang, cooperative_id=split.cooperative_id),
        ]
    await ledger.post(
        PlatformEntryKind.ORDER_REFUND,
        "Pengembalian dana pesanan",
        lines,
        order_id=payment.order_id,
    )


async def order_completed(order: Order, fee_bps: int) -> None:
    """The order's money, less refunds, leaves Dana Titipan Pembeli for the shop's balance,
    less the platform fee; a fully refunded, unpaid or COD order writes nothing."""
    payment = await Payment.get_or_none(order_id=order.id)
    if payment is None or payment.method == PaymentMethod.COD or payment.status not in PAID:
        return
    net = payment.amount - payment.refunded_amount
    if net <= 0:
        return
    fee = fee_of(net, fee_bps)
    number = order_number(order.created_at, order.id)
    await ledger.post(
        PlatformEntryKind.ORDER_COMPLETED,
        "Pesanan selesai: dana diteruskan ke saldo penjual",
        [
            Entry(DANA_TITIPAN, debit=net),
            Entry(SALDO_PENJUAL, credit=net - fee),
            Entry(PENDAPATAN_KOMISI, credit=fee),
        ],
        order_id=order.id,
    )
    await move(
        order.shop_id, net, SellerMovementKind.SALE, f"Penjualan {number}", order_id=order.id
    )
    if fee:
        await move(
            order.shop_id,
            -fee,
            SellerMovementKind.PLATFORM_FEE,
            f"Biaya platform {number}",
            order_id=order.id,
        )
