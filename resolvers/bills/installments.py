"""Loan installments through one-door payment: issuing a month's installment bills, and what
paying one settles (`resolvers.bills.settlement.SETTLERS` names it for LOAN_INSTALLMENT).

A LOAN_INSTALLMENT bill is for the principal and interest still owed on its installment when
it is issued. Paying it allocates its amount over the loan's installments payable then (those
past due and its own), oldest first, denda before interest before principal
(`resolvers.loans.repayment.allocate`); anything no installment can take (paid meanwhile at the
teller) goes back to the member's SUKARELA, so the credits always add up to the bill.

Denda comes first, so a late bill leaves its installment short: what the loan's billed, open
installments still owe beyond its other unpaid bills is billed again at once, due that day:
added to the loan's oldest unpaid installment bill if it has one, else on the next
installment's bill, issued now (the monthly issue then skips it); after the last installment,
on a bill of its own in the first month from now with none of the member's installment bills
(a bill is one per membership, kind and month).
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
    """The module doc's follow-up, inside the payment's transaction (the loan locked)."""
    others = await Bill.filter(installment__loan_id=loan.id).exclude(id=paying.id)
    billed = {b.installment_id for b in others} | {paying.installment_id}
    rows = await open_installments(loan.id)
    short = [r for r in rows if r.id in billed]
    rest = sum(_owed(r) for r in short) - sum(
        b.amount for b in others if b.status == BillStatus.UNPAID
    )
    if rest <= 0:
        return
    unpaid = sorted((b for b in others if b.status == BillStatus.UNPAID), key=lambda b: b.id)
    if unpaid:
        await Bill.filter(id=unpaid[0].id).update(amount=F("amount") + rest)
        return
    later = [r for r in rows if r.id not in billed and r.number > short[0].number]
    membership = loan.membership
    if later:  # the next installment billed now, with the rest
        row, period, amount, due = later[0], f"{later[0].due_date:%Y-%m}", _owed(later[0]), on
    else:  # the last installment's rest, in the first month from now free for a bill
        row, amount, due, month = short[0], 0, on, date(on.year, on.month, 1)
        while await Bill.exists(
            membership_id=membership.id, kind=BillKind.LOAN_INSTALLMENT, period=f"{month:%Y-%m}"
        ):
            month = add_months(month, 1)
        period = f"{month:%Y-%m}"
    await Bill.create(
        user_id=membership.user_id,
        membership_id=membership.id,
        kind=BillKind.LOAN_INSTALLMENT,
        period=period,
        description=f"Angsuran pinjaman ke-{row.number} dari {loan.tenor_months}"
        f" dan sisa angsuran sebelumnya",
        amount=amount + rest,
        due_date=due,
        installment_id=row.id,
    )


def _owed(row: LoanInstallment) -> int:
    return row.principal - row.principal_paid + row.interest - row.interest_paid


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
