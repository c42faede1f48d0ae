"""The demo's bills, on the first cooperative's balanced books: this month's simpanan wajib
for every member, unpaid, except Siti's, which she paid from SUKARELA on one receipt with her
PLN bill, inquired and paid at the sandbox biller from the cooperative's Rp2.000.000 Deposit
PPOB (topped up from Kas dan Bank); Budi has a PDAM bill inquired, unpaid. Every member has
the notification of their bill waiting (BILL_ISSUED)."""

from __future__ import annotations

from models.bills import Bill, BillKind, BillReceipt, BillReceiptLine, PaymentSource, ReceiptStatus
from models.cooperatives import Membership, SavingsKind
from models.platform import User
from resolvers.bills import (
    bill_of,
    inquiry_of,
    issue_wajib_bills,
    post_top_up,
    record_paid,
    reference_of,
    take_bills,
    tell_issued,
)
from resolvers.cooperatives import Journal, post_deposit
from resolvers.platform import now, today
from resolvers.providers.billers import SandboxBiller

# Sandbox customer numbers that are paid at once (see resolvers/billers/sandbox.py).
SITI_PLN = "532110004512"
BUDI_PDAM = "3671010221"
DEMO_DEPOSIT = 2_000_000


async def demo_bills(cooperative_id: int, teller_id: int) -> None:
    """Inside the seed's transaction."""
    period = f"{today():%Y-%m}"
    await issue_wajib_bills(cooperative_id, period)
    await tell_issued(cooperative_id, period)
    biller = SandboxBiller()
    siti = await Membership.get(cooperative_id=cooperative_id, user__email="siti@satupintu.id")
    budi = await User.get(email="budi@satupintu.id")
    await bill_of(budi.id, await biller.inquire(BillKind.PDAM, BUDI_PDAM))
    pln = await bill_of(siti.user_id, await biller.inquire(BillKind.PLN_POSTPAID, SITI_PLN))
    wajib = await Bill.get(membership_id=siti.id, kind=BillKind.SIMPANAN_WAJIB, period=pln.period)
    bills = [await Bill.get(id=wajib.id).select_related("membership"), pln]
    total = sum(bill.amount + bill.admin_fee for bill in bills)
    journal = Journal()
    await post_deposit(journal, siti, SavingsKind.SUKARELA, total, actor_id=teller_id)
    # The cooperative's deposit at the biller, which pays its members' outside bills.
    await post_top_up(journal, cooperative_id, DEMO_DEPOSIT, teller_id)
    receipt = await BillReceipt.create(
        user_id=siti.user_id,
        source=PaymentSource.SUKARELA,
        membership_id=siti.id,
        idempotency_key="demo-bayar-tagihan",
        input_digest="-",
        total=total,
        status=ReceiptStatus.PAID,
        paid_at=now(),
    )
    await BillReceiptLine.bulk_create(
        [BillReceiptLine(receipt_id=receipt.id, bill_id=bill.id) for bill in bills]
    )
    await take_bills(journal, receipt, bills, siti)
    pln = await Bill.get(id=pln.id)
    await record_paid(pln, await biller.pay(reference_of(pln), inquiry_of(pln)))
