"""A bill's settlement: the credit side of the journal entry that pays it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date

from models.bills import Bill, BillKind
from models.cooperatives import EntryKind
from resolvers.cooperatives import Line

# What every follower of the cooperative's feed reads for paying a bill of each kind; the
# bill's own description (customer number and name, period) is the entry's note.
FEED_DESCRIPTIONS = {
    BillKind.SIMPANAN_POKOK: "Pembayaran simpanan pokok",
    BillKind.SIMPANAN_WAJIB: "Pembayaran simpanan wajib",
    BillKind.LOAN_INSTALLMENT: "Pembayaran angsuran pinjaman",
    BillKind.PLN_POSTPAID: "Pembayaran tagihan listrik",
    BillKind.PLN_TOKEN: "Pembelian token listrik",
    BillKind.PDAM: "Pembayaran tagihan air",
    BillKind.BPJS: "Pembayaran iuran BPJS Kesehatan",
}


@dataclass(frozen=True)
class Settlement:
    kind: EntryKind
    credits: list[Line]
    bill: Bill

    @property
    def description(self) -> str:
        return FEED_DESCRIPTIONS[BillKind(self.bill.kind)]


# What paying a bill on a Jakarta date credits, recorded in the caller's transaction.
Settler = Callable[[Bill, date], Awaitable[Settlement]]
