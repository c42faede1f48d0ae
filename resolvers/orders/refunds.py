"""Money back to a buyer, the way it came: a cancellation gives back all of it, a complaint
part or all of it."""

from __future__ import annotations

from tortoise.expressions import F

from models.orders import Payment, PaymentMethod, PaymentStatus
from resolvers.cooperatives import Journal
from resolvers.orders import sales
from resolvers.orders.voucher_pricing import give_use_back
from resolvers.platform import ErrorCode, UserError, format_rupiah
from resolvers.providers import Services


def refundable(payment: Payment) -> int:
    """What may still go back: what was paid less what was refunded (nothing until paid)."""
    if payment.status not in (PaymentStatus.PAID, PaymentStatus.REFUNDED):
        return 0
    return payment.amount - payment.refunded_amount


def check_refund(payment: Payment, amount: int, field: str = "refundAmount") -> int:
    """`amount`, if it is one that may go back now; INVALID otherwise."""
    left = refundable(payment)
    if left <= 0:
        raise UserError(
            ErrorCode.INVALID, "Pesanan ini tidak punya pembayaran yang bisa dikembalikan.", field
        )
    if not 1 <= amount <= left:
        raise UserError(
            ErrorCode.INVALID,
            f"Jumlah pengembalian harus antara Rp1 dan {format_rupiah(left)}.",
            field,
        )
    return amount


async def refund(
    journal: Journal,
    payment: Payment,
    amount: int,
    actor_id: int | None,
    services: Services,
    field: str = "refundAmount",
) -> Payment:
    """Inside the caller's transaction: `amount` of the paid order back to the payer, once.

    The payment row moves first, conditional on what was refunded when it was read, so that
    of two refunds racing on one order the second finds it changed and refunds nothing.
    COOPERATIVE_BALANCE goes back to the SUKARELA that paid (a REFUND entry in the same
    transaction), QRIS and BANK_TRANSFER through the provider, both through the platform's
    books; COD is recorded for the seller to hand back. A full refund gives the order's
    voucher use back."""
    check_refund(payment, amount, field)
    refunded = payment.refunded_amount + amount
    status = PaymentStatus.REFUNDED if refunded == payment.amount else PaymentStatus(payment.status)
    moved = await Payment.filter(
        id=payment.id, status=payment.status, refunded_amount=payment.refunded_amount
    ).update(refunded_amount=F("refunded_amount") + amount, status=status)
    if not moved:
        raise UserError(
            ErrorCode.INVALID_STATE, "Pembayaran pesanan baru saja berubah; muat ulang.", field
        )
    await sales.order_refunded(journal, payment, amount, actor_id)
    if payment.method in (PaymentMethod.QRIS, PaymentMethod.BANK_TRANSFER):
        await services.payments.refund(payment.reference, amount)
    if status == PaymentStatus.REFUNDED:  # all of it went back: so does its voucher's use
        await give_use_back(payment.order_id)
    payment.refunded_amount, payment.status = refunded, status
    return payment
