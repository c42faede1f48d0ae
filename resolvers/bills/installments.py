"""Loan installments through one-door payment: issuing a month's installment bills, and what
paying one settles (`resolvers.bills.settlement.SETTLERS` names it for LOAN_INSTALLMENT).

A LOAN_INSTALLMENT bill is for the principal and interest still owed on its installment when
it is issued. Paying it allocates its amount over the loan's installments payable then (those
past due and its own), oldest first, denda before interest before principal
(`resolvers.loans.repayment.allocate`); anything no installment can take (paid meanwhile at the
teller) goes back to the member's SUKARELA, so the credits always add up to the bill.

Denda comes first, so a late bill leaves its installment short: what the loan's billed, open
installments still owe beyond its other unpaid bills is billed again at once, as one
LOAN_ARREARS bill (sisa angsuran) due that day, settled the same way. It is one per
(membership, month): a second shortfall in the month adds to it while it is unpaid, else
takes the next free month.
"""

from __future__ import annotations

from datetime import date

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F, Q
from tortoise.transactions import in_transaction

from models.bills import Bill, BillKind, BillStatus
from models.cooperatives import EntryKind, SavingsKind
from models.loans import Loan, LoanInstallment, LoanStatus
from resolvers.bills.settler import Settlement
from resolvers.cooperatives import SAVINGS_ACCOUNTS, Line
from resolvers.loans import (
    add_months,
    allocate,
    apply_allocations,
    denda_policy,
    lock_active_loan,
    open_installments,
    still_open,
)
from resolvers.platform import now


async def settle_installment(bill: Bill, on: date) -> Settlement:
    """Inside the payment's transaction: the bill's amount over the loan's payable
    installments, recorded on them and the loan; the entry's credits."""
    assert bill.installment_id is not None
    assert bill.membership_id is not None
    billed = await LoanInstallment.get(id=bill.installment_id)
    loan = await lock_active_loan(billed.loan_id, "billIds")
    rows = [r for r in await open_installments(loan.id) if r.due_date < on or r.id == billed.id]
    repayment = allocate(
        bill.amount,
        [still_open(r) for r in rows],
        on,
        denda_policy(loan.membership.cooperative, loan),
    )
    paid = await apply_allocations(loan, rows, repayment.allocations, now())
    await _bill_the_rest(loan, bill, on)
    credits = paid.credits(loan)
    if repayment.unapplied:
        credits.append(
            Line(
                SAVINGS_ACCOUNTS[SavingsKind.SUKARELA],
                credit=repayment.unapplied,
                membership_id=bill.membership_id,
            )
        )
    return Settlement(EntryKind.LOAN_REPAYMENT, credits, bill)


async def _bill_the_rest(loan: Loan, paying: Bill, on: date) -> None:
    """The module doc's follow-up bill, inside the payment's transaction (the loan locked)."""
    others = await Bill.filter(installment__loan_id=loan.id).exclude(id=paying.id)
    billed = {b.installment_id for b in others} | {paying.installment_id}
    rows = [r for r in await open_installments(loan.id) if r.id in billed]
    owed = sum(r.principal - r.principal_paid + r.interest - r.interest_paid for r in rows)
    rest = owed - sum(b.amount for b in others if b.status == BillStatus.UNPAID)
    if rest <= 0:
        return
    membership = loan.membership
    month = date(on.year, on.month, 1)
    while True:
        period = f"{month:%Y-%m}"
        added = await Bill.filter(
            membership_id=membership.id,
            kind=BillKind.LOAN_ARREARS,
            period=period,
            status=BillStatus.UNPAID,
        ).update(amount=F("amount") + rest)
        if added:
            return
        if not await Bill.exists(
            membership_id=membership.id, kind=BillKind.LOAN_ARREARS, period=period
        ):
            break
        month = add_months(month, 1)
    await Bill.create(
        user_id=membership.user_id,
        membership_id=membership.id,
        kind=BillKind.LOAN_ARREARS,
        period=period,
        description=f"Sisa angsuran pinjaman ke-{rows[0].number} dari {loan.tenor_months}",
        amount=rest,
        due_date=on,
        installment_id=rows[0].id,
    )


async def issue_installment_bills(cooperative_id: int, period: str) -> int:
    """One LOAN_INSTALLMENT bill per ACTIVE loan of the cooperative with an installment due
    in `period` (YYYY-MM), for what is still owed on it (none when that is Rp0); how many it
    issued. Idempotent: a bill issued before, or concurrently (the unique membership, kind and
    period), is kept."""
    start = date.fromisoformat(f"{period}-01")
    due = (
        await LoanInstallment.filter(
            Q(principal__gt=0) | Q(interest__gt=0),  # never a Rp0 bill (older schedules had such)
            loan__membership__cooperative_id=cooperative_id,
            loan__status=LoanStatus.ACTIVE,
            due_date__gte=start,
            due_date__lt=add_months(start, 1),
            paid_at__isnull=True,
        )
        .exclude(bills__id__isnull=False)
        .select_related("loan__membership")
        .order_by("id")
    )
    issued = 0
    for row in due:
        amount = row.principal - row.principal_paid + row.interest - row.interest_paid
        if amount <= 0:
            continue
        membership = row.loan.membership
        try:
            async with in_transaction():  # a savepoint inside the caller's transaction
                await Bill.create(
                    user_id=membership.user_id,
                    membership_id=membership.id,
                    kind=BillKind.LOAN_INSTALLMENT,
                    period=period,
                    description=f"Angsuran pinjaman ke-{row.number} dari {row.loan.tenor_months}",
                    amount=amount,
                    due_date=row.due_date,
                    installment_id=row.id,
                )
        except IntegrityError:
            continue  # issued meanwhile
        issued += 1
    return issued
