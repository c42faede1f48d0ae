"""What paying a bill posts, by the bill's kind: the credit side of its journal entry.

Every bill is paid by one journal entry: a debit on where the money comes from (the member's
Simpanan Sukarela, or Kas dan Bank for QRIS, bank transfer and cash at the teller) and the
credits its kind's settler returns, which add up to the bill's amount. A settler also records,
in the caller's transaction, whatever else the payment settles.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date

from models.books import EntryKind
from models.cooperatives import Bill, BillKind, SavingsKind
from resolvers.books import SAVINGS_ACCOUNTS, Line


@dataclass(frozen=True)
class Settlement:
    kind: EntryKind
    description: str
    credits: list[Line]


Settler = Callable[[Bill, date], Awaitable[Settlement]]


def _into_savings(account: SavingsKind) -> Settler:
    async def settle(bill: Bill, on: date) -> Settlement:
        assert bill.membership_id is not None  # a cooperative's bill names its member
        line = Line(SAVINGS_ACCOUNTS[account], credit=bill.amount, membership_id=bill.membership_id)
        return Settlement(EntryKind.BILL_PAYMENT, bill.description, [line])

    return settle


SETTLERS: dict[BillKind, Settler] = {
    BillKind.SIMPANAN_POKOK: _into_savings(SavingsKind.POKOK),
    BillKind.SIMPANAN_WAJIB: _into_savings(SavingsKind.WAJIB),
}


async def settlement_of(bill: Bill, on: date) -> Settlement:
    """What paying `bill` on `on` (a Jakarta date) credits; inside the payment's transaction."""
    found = await SETTLERS[BillKind(bill.kind)](bill, on)
    if sum(line.credit for line in found.credits) != bill.amount:
        raise ValueError(f"bill {bill.id}: the settlement does not add up to its amount")
    return found
