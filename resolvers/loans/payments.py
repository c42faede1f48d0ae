"""Loan repayments: cash at the teller, an installment bill, an early payoff; one entry each.

Where money goes is `resolvers.loans.repayment`'s rule (the oldest installment first; within
each, denda, then interest, then principal). This applies it to the installments' rows under
the loan's row lock (taken by a conditional UPDATE first, so two payments of one loan queue)
and gives the entry's credits: Pendapatan Denda, Pendapatan Jasa Pinjaman, Piutang Pinjaman.
An installment is paid (`paid_at`) once its principal and interest are, whatever its size (a
Rp0 one, which schedules no longer make, is closed by any payment); the loan is PAID_OFF once
every installment is. A payoff that owes nothing closes the loan without an entry. Entries
name the borrower's membership (SHU's jasa anggota).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from tortoise.expressions import F
from tortoise.transactions import in_transaction

from models.bills import Bill, BillStatus
from models.cooperatives import Cooperative, EntryKind, SavingsKind
from models.loans import Loan, LoanInstallment, LoanStatus
from models.platform import User
from resolvers.cooperatives import (
    KAS,
    MAX_AMOUNT,
    PENDAPATAN_DENDA,
    PENDAPATAN_JASA,
    PENDAPATAN_LAIN,
    PIUTANG_PINJAMAN,
    SAVINGS_ACCOUNTS,
    Journal,
    Line,
    can_view_savings,
    coop_viewer,
    require_pengurus,
)
from resolvers.loans.repayment import (
    Allocation,
    DendaPolicy,
    OpenInstallment,
    Payoff,
    allocate,
    payoff,
)
from resolvers.platform import (
    Broker,
    ErrorCode,
    Once,
    UserError,
    exactly_once,
    format_rupiah,
    now,
    remember,
    require_user,
    today,
)


@dataclass(frozen=True)
class Paid:
    """What one payment paid, in total."""

    denda: int = 0
    interest: int = 0
    principal: int = 0

    def credits(self, loan: Loan) -> list[Line]:
        """What the payment credits; a written-off loan's principal left Piutang Pinjaman
        then, so what is collected on it is Pendapatan Lain-lain."""
        parts = (
            (PENDAPATAN_DENDA, self.denda),
            (PENDAPATAN_JASA, self.interest),
            (PENDAPATAN_LAIN if loan.written_off_at else PIUTANG_PINJAMAN, self.principal),
        )
        return [Line(code, credit=amount) for code, amount in parts if amount]


def denda_policy(cooperative: Cooperative, loan: Loan | None = None) -> DendaPolicy:
    """The cooperative's denda rule for `loan`: none accrues once it is written off."""
    written_off = loan is not None and loan.written_off_at is not None
    return DendaPolicy(
        0 if written_off else cooperative.denda_bps_per_day,
        cooperative.denda_grace_days,
        cooperative.denda_cap_bps,
    )


def still_open(row: LoanInstallment) -> OpenInstallment:
    """What is still owed on the installment."""
    return OpenInstallment(
        row.number,
        row.due_date,
        row.principal - row.principal_paid,
        row.interest - row.interest_paid,
        row.denda_paid,
        row.principal + row.interest,
    )


def owes_nothing(row: LoanInstallment) -> bool:
    return row.principal_paid >= row.principal and row.interest_paid >= row.interest


async def lock_active_loan(loan_id: int, field: str = "id") -> Loan:
    """The ACTIVE loan under its row lock, with its membership and cooperative; inside a
    transaction."""
    locked = await Loan.filter(id=loan_id, status=LoanStatus.ACTIVE).update(
        outstanding=F("outstanding")
    )
    if not locked:
        raise UserError(ErrorCode.INVALID_STATE, "Pinjaman ini tidak sedang berjalan.", field)
    return await Loan.get(id=loan_id).select_related("membership__cooperative")


async def open_installments(loan_id: int) -> list[LoanInstallment]:
    return await LoanInstallment.filter(loan_id=loan_id, paid_at__isnull=True).order_by("number")


def payable_now(rows: list[LoanInstallment], on: date) -> list[LoanInstallment]:
    """The open installments due by `on`, and the next one (the running month's)."""
    due = [r for r in rows if r.due_date <= on]
    later = [r for r in rows if r.due_date > on and not owes_nothing(r)]
    return due + later[:1]


async def apply_allocations(
    loan: Loan, rows: list[LoanInstallment], allocations: list[Allocation], at: datetime
) -> Paid:
    """Record the allocations on the installments and the loan; what they paid in total."""
    by_number = {row.number: row for row in rows}
    for allocation in allocations:
        row = by_number[allocation.number]
        row.denda_paid += allocation.denda
        row.interest_paid += allocation.interest
        row.principal_paid += allocation.principal
    changed = [by_number[a.number] for a in allocations]
    for row in rows:  # whatever its size: one that owes nothing got no allocation
        if row.paid_at is None and owes_nothing(row):
            row.paid_at = at
            if row not in changed:
                changed.append(row)
    if changed:
        await LoanInstallment.bulk_update(
            changed, fields=["denda_paid", "interest_paid", "principal_paid", "paid_at"]
        )
    paid = Paid(
        sum(a.denda for a in allocations),
        sum(a.interest for a in allocations),
        sum(a.principal for a in allocations),
    )
    await Loan.filter(id=loan.id).update(outstanding=F("outstanding") - paid.principal)
    # A Rp0 installment (left by a schedule from before they were refused) is never billed
    # and never allocated anything: it must not keep the loan open or its days past due.
    await LoanInstallment.filter(
        loan_id=loan.id, paid_at__isnull=True, principal=0, interest=0
    ).update(paid_at=at)
    if not await LoanInstallment.exists(loan_id=loan.id, paid_at__isnull=True):
        await Loan.filter(id=loan.id).update(status=LoanStatus.PAID_OFF, paid_off_at=at)
    return paid


async def loan_of(result: dict[str, int]) -> Loan:
    """The loan a remembered movement was on, as it stands now."""
    return await Loan.get(id=result["loan"])


async def close_bills(installment_ids: list[int], at: datetime) -> None:
    """Unpaid bills of installments paid another way are paid: nobody pays them twice."""
    if installment_ids:
        await Bill.filter(installment_id__in=installment_ids, status=BillStatus.UNPAID).update(
            status=BillStatus.PAID, paid_at=at
        )


async def _teller_loan(user: User, loan_id: int) -> Loan:
    """A loan of a cooperative the user is a pengurus of, not their own (inside the lock)."""
    loan = await lock_active_loan(loan_id)
    require_pengurus(await coop_viewer(user), loan.membership.cooperative_id)
    if loan.applicant_id == user.id:
        raise UserError(
            ErrorCode.PERMISSION_DENIED,
            "Pembayaran pinjaman Anda sendiri dicatat oleh pengurus lain.",
            "id",
        )
    return loan


async def _visible_loan(user: User, loan_id: int) -> None:
    """Anyone who may not see the loan is told it does not exist."""
    loan = await Loan.get_or_none(id=loan_id).select_related("membership")
    if loan is None or not can_view_savings(await coop_viewer(user), loan.membership):
        raise UserError(ErrorCode.NOT_FOUND, "Pinjaman tidak ditemukan.", "id")


async def repay_loan(
    viewer: User | None, loan_id: int, amount: int, events: Broker, key: str | None = None
) -> Loan:
    """A pengurus as teller takes cash for the installments due (Kas / the credits); at most
    what is payable now, the installments due and the running one: more is an early payoff.
    Once per idempotency key."""
    user = require_user(viewer)

    async def move(once: Once) -> Loan:
        await _visible_loan(user, loan_id)
        if not 0 < amount <= MAX_AMOUNT:
            raise UserError(ErrorCode.INVALID, "Jumlah harus lebih dari nol.", "amount")
        journal = Journal()
        at, on = now(), today()
        async with in_transaction():
            loan = await _teller_loan(user, loan_id)
            rows = payable_now(await open_installments(loan.id), on)
            repayment = allocate(
                amount,
                [still_open(r) for r in rows],
                on,
                denda_policy(loan.membership.cooperative, loan),
            )
            if repayment.unapplied:
                most = format_rupiah(amount - repayment.unapplied)
                raise UserError(
                    ErrorCode.INVALID,
                    f"Jumlah melebihi angsuran yang harus dibayar ({most}); "
                    "untuk melunasi seluruhnya gunakan pelunasan.",
                    "amount",
                )
            paid = await apply_allocations(loan, rows, repayment.allocations, at)
            await close_bills([r.id for r in rows if r.paid_at is not None], at)
            await journal.post(
                loan.membership.cooperative_id,
                EntryKind.LOAN_REPAYMENT,
                "Angsuran pinjaman (tunai)",
                [Line(KAS, debit=amount), *paid.credits(loan)],
                actor_id=user.id,
                membership_id=loan.membership_id,
            )
            await remember(once, {"loan": loan_id})
        await journal.publish(events)
        return await Loan.get(id=loan_id)

    return await exactly_once(user, key, ("repayLoan", loan_id, amount), move, loan_of)


async def payoff_quote(loan: Loan, cooperative: Cooperative, on: date) -> Payoff:
    """What pays the ACTIVE loan off on `on` (resolvers.loans.repayment.payoff)."""
    assert loan.disbursed_at is not None  # an ACTIVE loan was disbursed
    rows = await open_installments(loan.id)
    return payoff(
        [still_open(r) for r in rows], loan.disbursed_at, on, denda_policy(cooperative, loan)
    )


async def pay_off_loan(
    viewer: User | None, loan_id: int, from_savings: bool, events: Broker, key: str | None = None
) -> Loan:
    """Early payoff (pelunasan) today: the principal still owed, the interest up to today and
    the denda. From the member's SUKARELA (the member or a pengurus), or cash at the teller (a
    pengurus, not of their own loan). Every open installment is paid; the loan PAID_OFF.
    Once per idempotency key."""
    user = require_user(viewer)

    async def move(once: Once) -> Loan:
        await _visible_loan(user, loan_id)
        journal = Journal()
        at, on = now(), today()
        async with in_transaction():
            if from_savings:
                loan = await lock_active_loan(loan_id)
            else:
                loan = await _teller_loan(user, loan_id)
            policy = denda_policy(loan.membership.cooperative, loan)
            assert loan.disbursed_at is not None
            rows = await open_installments(loan.id)
            parts = [payoff([still_open(r)], loan.disbursed_at, on, policy) for r in rows]
            for row, part in zip(rows, parts, strict=True):
                row.principal_paid = row.principal
                row.interest_paid += part.interest
                row.denda_paid += part.denda
                row.paid_at = at
            await LoanInstallment.bulk_update(
                rows, fields=["denda_paid", "interest_paid", "principal_paid", "paid_at"]
            )
            await Loan.filter(id=loan.id).update(
                status=LoanStatus.PAID_OFF, outstanding=0, paid_off_at=at
            )
            await close_bills([r.id for r in rows], at)
            paid = Paid(
                sum(p.denda for p in parts),
                sum(p.interest for p in parts),
                sum(p.principal for p in parts),
            )
            total = paid.denda + paid.interest + paid.principal
            if total:  # nothing moves when only Rp0 installments were left
                source = (
                    Line(
                        SAVINGS_ACCOUNTS[SavingsKind.SUKARELA],
                        debit=total,
                        membership_id=loan.membership_id,
                    )
                    if from_savings
                    else Line(KAS, debit=total)
                )
                await journal.post(
                    loan.membership.cooperative_id,
                    EntryKind.LOAN_REPAYMENT,
                    "Pelunasan pinjaman"
                    + (" dari simpanan sukarela" if from_savings else " (tunai)"),
                    [source, *paid.credits(loan)],
                    actor_id=user.id,
                    membership_id=loan.membership_id,
                )
            await remember(once, {"loan": loan_id})
        await journal.publish(events)
        return await Loan.get(id=loan_id)

    asked = ("payOffLoan", loan_id, from_savings)
    return await exactly_once(user, key, asked, move, loan_of)
