"""Tanggung renteng (joint-liability loan groups): forming a group, its standing, and its
agreement to a member's loan.

A cooperative's pengurus forms a group of 3 to 10 of its ACTIVE members; a membership is in
one group at most. Every loan a group member applies for is the group's: the pengurus may
approve it only once a majority of the group's other members agreed (`approvals_needed`),
each member's agreement recorded once (a unique row, so racing approvals count once).

A group's arrears are what its members' ACTIVE loans' installments past due (due before
today, Asia/Jakarta) still owe: principal, interest and the denda they owe today. The group
is blocked while any such installment is more than the group's grace days past due; then no
member of it may apply for a loan.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from tortoise.exceptions import IntegrityError
from tortoise.expressions import Q, Subquery
from tortoise.functions import Sum
from tortoise.transactions import in_transaction

from models.cooperatives import CooperativeAdmin, Membership, MembershipStatus
from models.loans import (
    GroupDebt,
    GroupLoanApproval,
    Loan,
    LoanGroup,
    LoanGroupMember,
    LoanInstallment,
    LoanStatus,
)
from models.platform import User
from resolvers.cooperatives import acting_pengurus, coop_viewer
from resolvers.loans.arrears import days_past_due
from resolvers.loans.payments import denda_policy, still_open
from resolvers.loans.repayment import denda_due
from resolvers.platform import (
    ErrorCode,
    NotificationKind,
    Page,
    UserError,
    Validator,
    format_rupiah,
    keyset_page,
    notify,
    require_user,
    visibility,
)

MIN_MEMBERS, MAX_MEMBERS = 3, 10
MAX_NAME = 80
MAX_GRACE_DAYS = 90


def groups_for(viewer: User | None) -> Q | None:
    """A group: its cooperative's pengurus and its own members."""
    if viewer is None:
        return None
    return Q(
        cooperative_id__in=Subquery(
            CooperativeAdmin.filter(user_id=viewer.id).values("cooperative_id")
        )
    ) | Q(id__in=Subquery(LoanGroupMember.filter(membership__user_id=viewer.id).values("group_id")))


visibility.register("LoanGroup", LoanGroup, groups_for)


def approvals_needed(size: int) -> int:
    """A majority of the group's members other than the applicant: floor((n - 1) / 2) + 1."""
    return (size - 2) // 2 + 1


@dataclass(frozen=True)
class NewGroup:
    cooperative_id: int
    name: str
    grace_days: int
    membership_ids: list[int]


@dataclass(frozen=True)
class Owed:
    """What one installment past due still owes today, and how late it is."""

    loan: Loan
    row: LoanInstallment
    amount: int
    days_late: int


@dataclass
class Standing:
    """A group's arrears today, in all and per membership, and whether it is blocked."""

    members: list[Membership]
    owed: list[Owed] = field(default_factory=list)
    blocked: bool = False

    @property
    def arrears(self) -> int:
        return sum(o.amount for o in self.owed)

    def arrears_of(self, membership_id: int) -> int:
        return sum(o.amount for o in self.owed if o.loan.membership_id == membership_id)


@dataclass(frozen=True)
class GroupRequest:
    """A group member's APPLIED loan and who of the group agreed to it."""

    loan: Loan
    approvals_needed: int
    approvers: list[Membership]

    @property
    def agreed(self) -> bool:
        return len(self.approvers) >= self.approvals_needed


async def create_loan_group(viewer: User | None, given: NewGroup) -> LoanGroup:
    """Its pengurus forms a group of 3 to 10 distinct ACTIVE members of the cooperative."""
    user = await acting_pengurus(viewer, given.cooperative_id)
    check = Validator()
    name = check.text("name", given.name, "Nama kelompok", MAX_NAME, required=True)
    if not 0 <= given.grace_days <= MAX_GRACE_DAYS:
        check.add(
            "graceDays",
            ErrorCode.INVALID,
            f"Masa tenggang antara 0 dan {MAX_GRACE_DAYS} hari.",
        )
    ids = set(given.membership_ids)
    found = await Membership.filter(
        id__in=ids, cooperative_id=given.cooperative_id, status=MembershipStatus.ACTIVE
    ).count()
    if len(ids) != len(given.membership_ids) or found != len(ids):
        check.add(
            "membershipIds",
            ErrorCode.INVALID,
            "Anggota kelompok harus keanggotaan aktif koperasi ini, masing-masing sekali.",
        )
    elif not MIN_MEMBERS <= len(ids) <= MAX_MEMBERS:
        check.add(
            "membershipIds",
            ErrorCode.INVALID,
            f"Kelompok beranggotakan {MIN_MEMBERS} sampai {MAX_MEMBERS} anggota.",
        )
    check.check()
    taken = UserError(
        ErrorCode.DUPLICATE,
        "Ada anggota yang sudah masuk kelompok tanggung renteng lain.",
        "membershipIds",
    )
    if await LoanGroupMember.exists(membership_id__in=ids):
        raise taken
    try:
        async with in_transaction():
            group = await LoanGroup.create(
                cooperative_id=given.cooperative_id,
                name=name,
                grace_days=given.grace_days,
                created_by_id=user.id,
            )
            await LoanGroupMember.bulk_create(
                [LoanGroupMember(group_id=group.id, membership_id=i) for i in sorted(ids)]
            )
    except IntegrityError:  # a racing group took one of them first
        raise taken from None
    return group


async def group_members(group_id: int) -> list[Membership]:
    """The group's memberships, by member number."""
    return await Membership.filter(
        id__in=Subquery(LoanGroupMember.filter(group_id=group_id).values("membership_id"))
    ).order_by("number")


async def group_of(membership_id: int) -> LoanGroup | None:
    """The group the membership is in, if any."""
    found = await LoanGroupMember.get_or_none(membership_id=membership_id)
    return None if found is None else await LoanGroup.get(id=found.group_id)


async def past_due(membership_ids: list[int], on: date) -> list[Owed]:
    """What the memberships' ACTIVE loans' installments due before `on` still owe on it,
    oldest due first."""
    loans = {
        loan.id: loan
        for loan in await Loan.filter(
            membership_id__in=membership_ids, status=LoanStatus.ACTIVE
        ).select_related("membership__cooperative")
    }
    rows = await LoanInstallment.filter(
        loan_id__in=list(loans), paid_at__isnull=True, due_date__lt=on
    ).order_by("due_date", "loan_id", "number")
    owed = []
    for row in rows:
        loan = loans[row.loan_id]
        open_ = still_open(row)
        denda = denda_due(open_, on, denda_policy(loan.membership.cooperative, loan))
        amount = open_.principal + open_.interest + denda
        owed.append(Owed(loan, row, amount, days_past_due(row.due_date, on)))
    return owed


async def standing(group: LoanGroup, on: date) -> Standing:
    members = await group_members(group.id)
    owed = await past_due([m.id for m in members], on)
    blocked = any(o.days_late > group.grace_days for o in owed)
    return Standing(members, owed, blocked)


async def refuse_if_blocked(membership_id: int, on: date) -> None:
    """ApplyLoan of a member of a blocked group is INVALID_STATE."""
    group = await group_of(membership_id)
    if group is not None and (await standing(group, on)).blocked:
        raise UserError(
            ErrorCode.INVALID_STATE,
            "Kelompok tanggung renteng Anda menunggak melewati masa tenggang: anggotanya belum "
            "boleh mengajukan pinjaman baru.",
            "input.membershipId",
        )


async def request_group_approval(loan: Loan) -> None:
    """A group member's new loan asks the group's agreement: the group's other members are
    told (GROUP_LOAN_APPROVAL_REQUESTED, subject the group). Called in the application's
    transaction; nothing when the applicant is in no group."""
    group = await group_of(loan.membership_id)
    if group is None:
        return
    members = await group_members(group.id)
    applicant = next(m for m in members if m.id == loan.membership_id)
    name = (await User.get(id=applicant.user_id)).name
    await notify(
        NotificationKind.GROUP_LOAN_APPROVAL_REQUESTED,
        ("LoanGroup", group.id),
        [m.user_id for m in members if m.id != loan.membership_id],
        "Pengajuan pinjaman menunggu persetujuan kelompok",
        f"{name} (anggota no. {applicant.number}) di kelompok {group.name} mengajukan "
        f"pinjaman {format_rupiah(loan.principal)} untuk {loan.tenor_months} bulan. "
        "Setujui bila kelompok sepakat menanggungnya bersama.",
        step=f"loan-{loan.id}",
    )


async def group_request(loan: Loan) -> GroupRequest | None:
    """The loan's request to its applicant's group; None when the applicant is in no group."""
    group = await group_of(loan.membership_id)
    if group is None:
        return None
    size = await LoanGroupMember.filter(group_id=group.id).count()
    approvers = await Membership.filter(
        id__in=Subquery(GroupLoanApproval.filter(loan_id=loan.id).values("membership_id"))
    ).order_by("number")
    return GroupRequest(loan, approvals_needed(size), approvers)


async def refuse_until_agreed(loan: Loan) -> None:
    """ApproveLoan of a group member's loan the group has not agreed to is INVALID_STATE."""
    found = await group_request(loan)
    if found is not None and not found.agreed:
        raise UserError(
            ErrorCode.INVALID_STATE,
            f"Pinjaman anggota kelompok tanggung renteng perlu persetujuan "
            f"{found.approvals_needed} anggota kelompoknya; baru {len(found.approvers)}.",
            "id",
        )


async def loan_requests(group_id: int) -> list[GroupRequest]:
    """The group members' loans still APPLIED, oldest first, with who agreed."""
    ids = [m.id for m in await group_members(group_id)]
    found = []
    for loan in await Loan.filter(membership_id__in=ids, status=LoanStatus.APPLIED).order_by("id"):
        request = await group_request(loan)
        assert request is not None  # its applicant is in the group
        found.append(request)
    return found


async def approve_group_loan(viewer: User | None, loan_id: int) -> GroupRequest:
    """A member of the loan's group other than its applicant agrees to the APPLIED loan."""
    user = require_user(viewer)
    loan = await Loan.get_or_none(id=loan_id).select_related("membership")
    not_found = UserError(ErrorCode.NOT_FOUND, "Pinjaman tidak ditemukan.", "loanId")
    if loan is None:
        raise not_found
    group = await group_of(loan.membership_id)
    members = [] if group is None else await group_members(group.id)
    mine = [m for m in members if m.user_id == user.id and m.id != loan.membership_id]
    if not mine:
        who = await coop_viewer(user)
        if loan.membership.user_id == user.id or loan.membership.cooperative_id in who.administered:
            raise UserError(
                ErrorCode.PERMISSION_DENIED,
                "Hanya anggota kelompok selain pemohon yang memberi persetujuan kelompok.",
                "loanId",
            )
        raise not_found
    approver = mine[0]
    if loan.status != LoanStatus.APPLIED or approver.status != MembershipStatus.ACTIVE:
        raise UserError(
            ErrorCode.INVALID_STATE, "Pinjaman ini tidak sedang menunggu persetujuan.", "loanId"
        )
    duplicate = UserError(ErrorCode.DUPLICATE, "Anda sudah menyetujui pinjaman ini.", "loanId")
    if await GroupLoanApproval.exists(loan_id=loan.id, membership_id=approver.id):
        raise duplicate
    try:
        await GroupLoanApproval.create(loan_id=loan.id, membership_id=approver.id)
    except IntegrityError:  # the same member's racing approval
        raise duplicate from None
    found = await group_request(loan)
    assert found is not None
    return found


@dataclass(frozen=True)
class DebtLine:
    """What the membership owes another group member and what that member owes it."""

    other: Membership
    owes: int
    owed: int


async def group_debts(membership_id: int) -> list[DebtLine]:
    """The membership's debts either way between group members, by the other's number."""
    owes: dict[int, int] = defaultdict(int)
    owed: dict[int, int] = defaultdict(int)
    for row in (
        await GroupDebt.filter(Q(debtor_id=membership_id) | Q(creditor_id=membership_id))
        .group_by("debtor_id", "creditor_id")
        .annotate(total=Sum("amount"))
        .values("debtor_id", "creditor_id", "total")
    ):
        total = int(row["total"] or 0)  # PostgreSQL sums BIGINT as NUMERIC
        if row["debtor_id"] == membership_id:
            owes[row["creditor_id"]] += total
        else:
            owed[row["debtor_id"]] += total
    others = await Membership.filter(id__in=set(owes) | set(owed)).order_by("number")
    return [DebtLine(m, owes[m.id], owed[m.id]) for m in others]


async def groups_page(cooperative_id: int, *, first: int | None, after: str | None) -> Page:
    """The cooperative's groups, oldest first; for its pengurus."""
    found = LoanGroup.filter(cooperative_id=cooperative_id)
    return await keyset_page(found, first=first, after=after, oldest_first=True)
