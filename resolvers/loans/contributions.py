"""A group member's voluntary payment toward the group's arrears (tanggung renteng).

The payment goes to the group members' installments past due, oldest due first (across the
members' loans), each paid as its installment bill would be from SUKARELA: within each loan,
denda, then interest, then principal (`resolvers.loans.repayment.allocate`), its unpaid bills
closed. The loans are locked (a conditional UPDATE each, by id) before the arrears are read,
so racing contributions queue and none pays more than is owed; the payer's SUKARELA moves by
a conditional update, so none overdraws it.

The books: the payer's entry debits their Simpanan Sukarela with the whole amount and
credits what it paid of their own installments as a repayment does, and the rest to Piutang
Antar Anggota; each other member whose installments it paid gets an entry of their own
(their repayment, for SHU's jasa anggota) debiting Piutang Antar Anggota and crediting as a
repayment does. The cooperative is neither debtor nor creditor of these debts, so the
account's debits (per debtor) and credits (per creditor) net to nothing; its sub-ledger per
debtor and creditor is `GroupDebt`, one row per member paid for.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from tortoise.expressions import F
from tortoise.transactions import in_transaction

from models.cooperatives import EntryKind, JournalLine, Membership, MembershipStatus
from models.loans import GroupDebt, Loan, LoanGroup, LoanStatus
from models.platform import User
from resolvers.cooperatives import (
    MAX_AMOUNT,
    PIUTANG_ANTAR_ANGGOTA,
    SIMPANAN_SUKARELA,
    Journal,
    Line,
    MemberLine,
    coop_viewer,
)
from resolvers.loans.groups import Owed, group_members, past_due
from resolvers.loans.payments import Paid, apply_allocations, close_bills, denda_policy, still_open
from resolvers.loans.repayment import allocate
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
class Contribution:
    group_id: int
    membership_id: int
    amount: int


@dataclass(frozen=True)
class Contributed:
    group: LoanGroup
    line: MemberLine  # the payer's SUKARELA moving


async def _payer(user: User, given: Contribution) -> tuple[LoanGroup, Membership]:
    """The group and the caller's own membership in it, or the refusal."""
    group = await LoanGroup.get_or_none(id=given.group_id)
    members = [] if group is None else await group_members(group.id)
    who = await coop_viewer(user)
    if group is None or (
        group.cooperative_id not in who.administered
        and not any(m.user_id == user.id for m in members)
    ):
        raise UserError(ErrorCode.NOT_FOUND, "Kelompok tidak ditemukan.", "groupId")
    payer = next((m for m in members if m.id == given.membership_id), None)
    own = await Membership.get_or_none(id=given.membership_id)
    if own is None or own.user_id != user.id:
        raise UserError(ErrorCode.NOT_FOUND, "Keanggotaan tidak ditemukan.", "membershipId")
    if payer is None:
        if group.cooperative_id in who.administered:
            raise UserError(
                ErrorCode.PERMISSION_DENIED,
                "Hanya anggota kelompok yang membayar tunggakan kelompoknya.",
                "membershipId",
            )
        raise UserError(ErrorCode.NOT_FOUND, "Keanggotaan tidak ditemukan.", "membershipId")
    if payer.status != MembershipStatus.ACTIVE:
        raise UserError(ErrorCode.INVALID_STATE, "Keanggotaan ini tidak aktif.", "membershipId")
    return group, payer


def _shares(owed: list[Owed], amount: int) -> dict[int, int]:
    """How much of `amount` each loan takes, the installments oldest due first."""
    shares: dict[int, int] = defaultdict(int)
    left = amount
    for o in owed:
        take = min(left, o.amount)
        shares[o.loan.id] += take
        left -= take
    return {loan_id: share for loan_id, share in shares.items() if share}


async def _pay(loan: Loan, owed: list[Owed], share: int) -> Paid:
    """`share` over the loan's installments past due, as a repayment; what it paid."""
    rows = [o.row for o in owed if o.loan.id == loan.id]
    policy = denda_policy(loan.membership.cooperative, loan)
    repayment = allocate(share, [still_open(r) for r in rows], today(), policy)
    assert not repayment.unapplied  # the share is at most what they owe
    at = now()
    paid = await apply_allocations(loan, rows, repayment.allocations, at)
    await close_bills([r.id for r in rows if r.paid_at is not None], at)
    return paid


async def contribute_to_group_arrears(
    viewer: User | None, given: Contribution, events: Broker, key: str | None = None
) -> Contributed:
    """A group member pays toward the group's arrears from their own SUKARELA; once per key."""
    user = require_user(viewer)
    group, payer = await _payer(user, given)
    if not 0 < given.amount <= MAX_AMOUNT:
        raise UserError(ErrorCode.INVALID, "Jumlah harus lebih dari nol.", "amount")

    async def move(once: Once) -> Contributed:
        journal = Journal()
        members = [m.id for m in await group_members(group.id)]
        async with in_transaction():
            active = Loan.filter(membership_id__in=members, status=LoanStatus.ACTIVE)
            for locked in await active.order_by("id"):
                await Loan.filter(id=locked.id).update(outstanding=F("outstanding"))
            owed = await past_due(members, today())
            arrears = sum(o.amount for o in owed)
            if not arrears:
                raise UserError(
                    ErrorCode.INVALID_STATE, "Kelompok ini tidak punya tunggakan.", "groupId"
                )
            if given.amount > arrears:
                raise UserError(
                    ErrorCode.INVALID,
                    f"Jumlah melebihi tunggakan kelompok ({format_rupiah(arrears)}).",
                    "amount",
                )
            loans = {o.loan.id: o.loan for o in owed}
            own: list[Line] = []
            others: list[tuple[Loan, int, Paid]] = []
            for loan_id, share in _shares(owed, given.amount).items():
                loan = loans[loan_id]
                paid = await _pay(loan, owed, share)
                if loan.membership_id == payer.id:
                    own += paid.credits(loan)
                else:
                    others.append((loan, share, paid))
            lent = sum(share for _, share, _ in others)
            await journal.post(
                group.cooperative_id,
                EntryKind.LOAN_REPAYMENT,
                "Iuran tanggung renteng dari simpanan sukarela",
                [
                    Line(SIMPANAN_SUKARELA, debit=given.amount, membership_id=payer.id),
                    *own,
                    *([Line(PIUTANG_ANTAR_ANGGOTA, credit=lent)] if lent else []),
                ],
                actor_id=user.id,
                membership_id=payer.id,
            )
            line = journal.posted[0]
            for loan, share, paid in others:
                entry = await journal.post(
                    group.cooperative_id,
                    EntryKind.LOAN_REPAYMENT,
                    "Angsuran pinjaman dibayar anggota kelompok",
                    [Line(PIUTANG_ANTAR_ANGGOTA, debit=share), *paid.credits(loan)],
                    actor_id=user.id,
                    membership_id=loan.membership_id,
                )
                await GroupDebt.create(
                    group_id=group.id,
                    debtor_id=loan.membership_id,
                    creditor_id=payer.id,
                    amount=share,
                    entry_id=entry.id,
                )
            await remember(once, {"group": group.id, "line": line.id})
        await journal.publish(events)
        return Contributed(group, line)

    asked = ("contributeToGroupArrears", group.id, payer.id, given.amount)
    return await exactly_once(user, key, asked, move, _contributed)


async def _contributed(result: dict[str, int]) -> Contributed:
    """A remembered contribution, as it stands now."""
    line = await JournalLine.get(id=result["line"]).select_related("entry", "membership")
    number = line.membership.number if line.membership else None
    return Contributed(await LoanGroup.get(id=result["group"]), MemberLine.of_row(line, number))
