"""What paying a bill posts, by the bill's kind: the credit side of its journal entry.

Every bill is paid by one journal entry: a debit on where the money comes from (the member's
Simpanan Sukarela, or Kas for QRIS, bank transfer and cash at the teller) and the
credits its kind's settler returns, which add up to the bill's total (its amount plus the
admin fee of an outside bill). A settler also records, in the caller's transaction, whatever
else the payment settles.

Outside bills (PLN, PDAM, BPJS) are paid from the cooperative's prepaid balance at the
biller: Cr Deposit PPOB for the amount, Cr Pendapatan Admin PPOB for the admin fee.
"""

from __future__ import annotations

from datetime import date

from models.bills import OUTSIDE_BILL_KINDS, Bill, BillKind, BillReceipt, PaymentSource
from models.cooperatives import EntryKind, SavingsKind
from resolvers.bills.installments import settle_installment
from resolvers.bills.settler import Settlement, Settler
from resolvers.cooperatives import (
    DEPOSIT_PPOB,
    KAS,
    PENDAPATAN_ADMIN_PPOB,
    SAVINGS_ACCOUNTS,
    SIMPANAN_SUKARELA,
    Line,
)


def _into_savings(account: SavingsKind) -> Settler:
    async def settle(bill: Bill, on: date) -> Settlement:
        assert bill.membership_id is not None  # a cooperative's bill names its member
        line = Line(SAVINGS_ACCOUNTS[account], credit=bill.amount, membership_id=bill.membership_id)
        return Settlement(EntryKind.BILL_PAYMENT, [line], bill)

    return settle


async def _to_biller(bill: Bill, on: date) -> Settlement:
    lines = [Line(DEPOSIT_PPOB, credit=bill.amount)]
    if bill.admin_fee:
        lines.append(Line(PENDAPATAN_ADMIN_PPOB, credit=bill.admin_fee))
    return Settlement(EntryKind.BILL_PAYMENT, lines, bill)


SETTLERS: dict[BillKind, Settler] = {
    BillKind.SIMPANAN_POKOK: _into_savings(SavingsKind.POKOK),
    BillKind.SIMPANAN_WAJIB: _into_savings(SavingsKind.WAJIB),
    BillKind.LOAN_INSTALLMENT: settle_installment,
    **dict.fromkeys(OUTSIDE_BILL_KINDS, _to_biller),
}


async def settlement_of(bill: Bill, on: date) -> Settlement:
    """What paying `bill` on `on` (a Jakarta date) credits; inside the payment's transaction."""
    found = await SETTLERS[BillKind(bill.kind)](bill, on)
    if sum(line.credit for line in found.credits) != bill.amount + bill.admin_fee:
        raise ValueError(f"bill {bill.id}: the settlement does not add up to its total")
    return found


def debit_of(receipt: BillReceipt, amount: int) -> Line:
    """Where a receipt's money comes from: the paying SUKARELA, or Kas."""
    if receipt.source == PaymentSource.SUKARELA:
        return Line(SIMPANAN_SUKARELA, debit=amount, membership_id=receipt.membership_id)
    return Line(KAS, debit=amount)
