"""Loans (pinjaman): the cooperative's policy, applying, approving, rejecting, disbursing.

APPLIED -> APPROVED (a pengurus sets the annual rate and the method, which fixes the schedule:
its installments are written with due dates from the approval date) -> ACTIVE on disbursement
(the installments re-dated from the disbursement date; the principal credited to the member's
SUKARELA: Piutang Pinjaman / Simpanan Sukarela) -> PAID_OFF (resolvers.loans.payments); or
REJECTED with a reason. Every move is a conditional UPDATE on the status, so two pengurus
racing move a loan once. A pengurus never decides on or disburses their own loan. A membership
has at most one loan that is APPLIED, APPROVED or ACTIVE, so an installment bill per month
(the bill's unique membership, kind and period) is always one installment's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tortoise.expressions import F
from tortoise.transactions import in_transaction

from models.cooperatives import (
    Cooperative,
    EntryKind,
    KolektibilitasBands,
    Membership,
    MembershipStatus,
)
from models.loans import InterestMethod, Loan, LoanInstallment, LoanStatus
from models.platform import User
from resolvers.cooperatives import (
    MAX_AMOUNT,
    PIUTANG_PINJAMAN,
    SIMPANAN_SUKARELA,
    CoopViewer,
    Journal,
    Line,
    acting_pengurus,
    coop_viewer,
    require_pengurus,
)
from resolvers.loans.groups import refuse_if_blocked, refuse_until_agreed, request_group_approval
from resolvers.loans.payments import loan_of
from resolvers.loans.schedule import (
    MAX_INSTALLMENT_MULTIPLE,
    MAX_TENOR_MONTHS,
    check_terms,
    schedule,
    too_small,
)
from resolvers.platform import (
    Broker,
    ErrorCode,
    NotificationKind,
    Once,
    Page,
    UserError,
    Validator,
    exactly_once,
    format_rupiah,
    keyset_page,
    notify,
    now,
    percent_bps,
    remember,
    require_user,
    today,
)

OPEN = (LoanStatus.APPLIED, LoanStatus.APPROVED, LoanStatus.ACTIVE)
MAX_PURPOSE = 255
MAX_DENDA_BPS_PER_DAY = 100  # 1% a day: a sanity bound
MAX_GRACE_DAYS = 90


@dataclass(frozen=True)
class LoanPolicy:
    max_principal: int
    denda_bps_per_day: int
    grace_days: int
    denda_cap_bps: int | None = None
    # None where a setting was left out: it keeps its value (in what set_loan_policy gets).
    installment_multiple: int | None = None
    kolektibilitas_bands: KolektibilitasBands | None = None
    # The allowance for bad loans of kolektibilitas 1-5, in basis points.
    allowance_rates_bps: tuple[int, ...] | None = None


@dataclass(frozen=True)
class Application:
    membership_id: int
    principal: int
    tenor_months: int
    purpose: str
    share_shop_sales: bool


def _not_found(field: str = "id") -> UserError:
    return UserError(ErrorCode.NOT_FOUND, "Pinjaman tidak ditemukan.", field)


def _wrong_state(message: str) -> UserError:
    return UserError(ErrorCode.INVALID_STATE, message, "id")


async def set_loan_policy(
    viewer: User | None,
    cooperative_id: int,
    given: LoanPolicy,
    denda_cap_percent: float | None = None,
    *,
    sets_denda_cap: bool = False,
) -> LoanPolicy:
    """Its pengurus sets the cooperative's loan policy; the policy now. The denda cap is
    set (to `denda_cap_percent`, None removing it) only with `sets_denda_cap`."""
    await acting_pengurus(viewer, cooperative_id)
    check = Validator()
    if not 1 <= given.max_principal <= MAX_AMOUNT:
        check.add("input.maxPrincipal", ErrorCode.INVALID, "Plafon pinjaman tidak wajar.")
    if not 0 <= given.denda_bps_per_day <= MAX_DENDA_BPS_PER_DAY:
        check.add(
            "input.dendaBpsPerDay",
            ErrorCode.INVALID,
            f"Denda per hari antara 0 dan {MAX_DENDA_BPS_PER_DAY} basis poin.",
        )
    if not 0 <= given.grace_days <= MAX_GRACE_DAYS:
        check.add(
            "input.graceDays",
            ErrorCode.INVALID,
            f"Masa tenggang antara 0 dan {MAX_GRACE_DAYS} hari.",
        )
    cap = (
        None
        if denda_cap_percent is None
        else percent_bps(check, "input.dendaCapPercent", denda_cap_percent)
    )
    multiple = given.installment_multiple
    if multiple is not None and not 1 <= multiple <= MAX_INSTALLMENT_MULTIPLE:
        check.add(
            "input.installmentMultipleOf",
            ErrorCode.INVALID,
            f"Pembulatan angsuran antara Rp1 dan {format_rupiah(MAX_INSTALLMENT_MULTIPLE)}.",
        )
    rates = given.allowance_rates_bps
    if rates is not None and (len(rates) != 5 or not all(0 <= r <= 10_000 for r in rates)):
        check.add(
            "input.allowanceRatesBps",
            ErrorCode.INVALID,
            "Tarif penyisihan: lima angka (kolektibilitas 1-5), masing-masing 0 sampai 10.000.",
        )
    check.check()
    changes: dict[str, object] = {
        "loan_max_principal": given.max_principal,
        "denda_bps_per_day": given.denda_bps_per_day,
        "denda_grace_days": given.grace_days,
    }
    if sets_denda_cap:
        changes["denda_cap_bps"] = cap
    if multiple is not None:
        changes["installment_multiple"] = multiple
    if given.kolektibilitas_bands is not None:
        changes["kolektibilitas_bands"] = given.kolektibilitas_bands
    if rates is not None:
        changes["allowance_rates_bps"] = ",".join(str(rate) for rate in rates)
    await Cooperative.filter(id=cooperative_id).update(**changes)
    return policy_of(await Cooperative.get(id=cooperative_id))


async def apply_loan(viewer: User | None, given: Application) -> Loan:
    """The member asks for a loan on their own ACTIVE membership, within the policy; a member
    of a blocked tanggung renteng group may not (resolvers.loans.groups)."""
    user = require_user(viewer)
    membership = await Membership.get_or_none(id=given.membership_id)
    if membership is None or membership.user_id != user.id:
        raise UserError(ErrorCode.NOT_FOUND, "Keanggotaan tidak ditemukan.", "input.membershipId")
    cooperative = await Cooperative.get(id=membership.cooperative_id)
    check = Validator()
    if given.principal < 1:
        check.add("input.principal", ErrorCode.INVALID, "Pokok pinjaman harus lebih dari Rp0.")
    elif given.principal > cooperative.loan_max_principal:
        check.add(
            "input.principal",
            ErrorCode.LIMIT_EXCEEDED,
            "Pokok pinjaman melebihi plafon koperasi.",
        )
    if given.tenor_months < 1:
        check.add("input.tenorMonths", ErrorCode.INVALID, "Jangka waktu paling sedikit 1 bulan.")
    elif given.tenor_months > MAX_TENOR_MONTHS:
        check.add(
            "input.tenorMonths",
            ErrorCode.LIMIT_EXCEEDED,
            f"Jangka waktu paling lama {MAX_TENOR_MONTHS} bulan.",
        )
    elif 1 <= given.principal < given.tenor_months:
        check.add("input.principal", ErrorCode.INVALID, too_small(given.tenor_months))
    purpose = check.text(
        "input.purpose", given.purpose, "Tujuan pinjaman", MAX_PURPOSE, required=True
    )
    check.check()
    async with in_transaction():
        # The membership's row lock queues two applications of one member.
        locked = await Membership.filter(id=membership.id, status=MembershipStatus.ACTIVE).update(
            status=MembershipStatus.ACTIVE
        )
        if not locked:
            raise UserError(
                ErrorCode.INVALID_STATE, "Keanggotaan ini tidak aktif.", "input.membershipId"
            )
        if await Loan.exists(membership_id=membership.id, status__in=OPEN):
            raise UserError(
                ErrorCode.INVALID_STATE,
                "Masih ada pinjaman yang diajukan atau belum lunas.",
                "input.membershipId",
            )
        await refuse_if_blocked(membership.id, today())
        loan = await Loan.create(
            membership_id=membership.id,
            applicant_id=user.id,
            principal=given.principal,
            tenor_months=given.tenor_months,
            purpose=purpose,
            share_shop_sales=given.share_shop_sales,
        )
        await request_group_approval(loan)
        return loan


async def _loan_for_pengurus(user: User, loan_id: int) -> Loan:
    """A loan of a cooperative the user is a pengurus of, and not their own."""
    loan = await Loan.get_or_none(id=loan_id).select_related("membership")
    who: CoopViewer = await coop_viewer(user)
    if loan is None or (
        loan.membership.cooperative_id not in who.administered and loan.applicant_id != user.id
    ):
        raise _not_found()
    require_pengurus(who, loan.membership.cooperative_id)
    if loan.applicant_id == user.id:
        raise UserError(
            ErrorCode.PERMISSION_DENIED,
            "Pengurus tidak boleh memutuskan atau mencairkan pinjamannya sendiri: "
            "pengurus lain yang melakukannya.",
            "id",
        )
    return loan


async def approve_loan(
    viewer: User | None, loan_id: int, annual_rate_bps: int, method: InterestMethod
) -> Loan:
    """A pengurus other than the applicant approves an APPLIED loan at a rate and method,
    which fixes its schedule; a group member's loan once the group agreed."""
    user = require_user(viewer)
    loan = await _loan_for_pengurus(user, loan_id)
    check_terms(loan.principal, annual_rate_bps, loan.tenor_months)
    await refuse_until_agreed(loan)
    cooperative = await Cooperative.get(id=loan.membership.cooperative_id)
    planned = schedule(
        loan.principal,
        annual_rate_bps,
        loan.tenor_months,
        method,
        today(),
        cooperative.installment_multiple,
    )
    async with in_transaction():
        moved = await Loan.filter(id=loan.id, status=LoanStatus.APPLIED).update(
            status=LoanStatus.APPROVED,
            annual_rate_bps=annual_rate_bps,
            method=method,
            decided_by_id=user.id,
            decided_at=now(),
        )
        if not moved:
            raise _wrong_state("Pinjaman ini sudah diputuskan.")
        await LoanInstallment.bulk_create(
            [
                LoanInstallment(
                    loan_id=loan.id,
                    number=i.number,
                    due_date=i.due_date,
                    principal=i.principal,
                    interest=i.interest,
                )
                for i in planned
            ]
        )
        await notify(
            NotificationKind.LOAN_APPROVED,
            ("Loan", loan.id),
            [loan.membership.user_id],
            "Pinjaman disetujui",
            f"Pinjaman Anda sebesar {format_rupiah(loan.principal)} untuk {loan.tenor_months} "
            "bulan disetujui pengurus dan menunggu pencairan.",
        )
    return await Loan.get(id=loan.id)


async def reject_loan(viewer: User | None, loan_id: int, reason: str) -> Loan:
    """A pengurus other than the applicant rejects an APPLIED loan, with a reason."""
    user = require_user(viewer)
    loan = await _loan_for_pengurus(user, loan_id)
    text = reason.strip()
    if not text:
        raise UserError(ErrorCode.REQUIRED, "Alasan penolakan wajib diisi.", "reason")
    if len(text) > MAX_PURPOSE:
        raise UserError(ErrorCode.INVALID, "Alasan penolakan terlalu panjang.", "reason")
    moved = await Loan.filter(id=loan.id, status=LoanStatus.APPLIED).update(
        status=LoanStatus.REJECTED, rejection_reason=text, decided_by_id=user.id, decided_at=now()
    )
    if not moved:
        raise _wrong_state("Pinjaman ini sudah diputuskan.")
    return await Loan.get(id=loan.id)


async def disburse_loan(
    viewer: User | None, loan_id: int, events: Broker, key: str | None = None
) -> Loan:
    """A pengurus other than the applicant disburses an APPROVED loan into the member's
    SUKARELA; its installments fall due monthly from today. Once, whoever races."""
    user = require_user(viewer)

    async def move(once: Once) -> Loan:
        loan = await _loan_for_pengurus(user, loan_id)
        if loan.membership.status != MembershipStatus.ACTIVE:
            raise _wrong_state("Keanggotaan peminjam tidak aktif.")
        journal = Journal()
        disbursed = now()
        async with in_transaction():
            moved = await Loan.filter(id=loan.id, status=LoanStatus.APPROVED).update(
                status=LoanStatus.ACTIVE,
                outstanding=F("principal"),
                disbursed_by_id=user.id,
                disbursed_at=disbursed,
            )
            if not moved:
                raise _wrong_state("Pinjaman ini belum disetujui atau sudah dicairkan.")
            await _redate(loan, disbursed)
            await journal.post(
                loan.membership.cooperative_id,
                EntryKind.LOAN_DISBURSEMENT,
                "Pencairan pinjaman",
                [
                    Line(PIUTANG_PINJAMAN, debit=loan.principal),
                    Line(
                        SIMPANAN_SUKARELA, credit=loan.principal, membership_id=loan.membership_id
                    ),
                ],
                actor_id=user.id,
                membership_id=loan.membership_id,
            )
            await remember(once, {"loan": loan.id})
            await notify(
                NotificationKind.LOAN_DISBURSED,
                ("Loan", loan.id),
                [loan.membership.user_id],
                "Pinjaman dicairkan",
                f"Pinjaman Anda sebesar {format_rupiah(loan.principal)} sudah dicairkan ke "
                "simpanan sukarela. Angsuran pertama jatuh tempo bulan depan.",
            )
        await journal.publish(events)
        return await Loan.get(id=loan.id)

    return await exactly_once(user, key, ("disburseLoan", loan_id), move, loan_of)


async def _redate(loan: Loan, disbursed: datetime) -> None:
    """The installments' due dates monthly from the disbursement (amounts do not change)."""
    installments = await LoanInstallment.filter(loan_id=loan.id).order_by("number")
    planned = schedule(
        loan.principal,
        loan.annual_rate_bps or 0,
        loan.tenor_months,
        InterestMethod(loan.method),
        disbursed,
    )
    for installment, plan in zip(installments, planned, strict=True):
        installment.due_date = plan.due_date
    await LoanInstallment.bulk_update(installments, fields=["due_date"])


def policy_of(cooperative: Cooperative) -> LoanPolicy:
    return LoanPolicy(
        cooperative.loan_max_principal,
        cooperative.denda_bps_per_day,
        cooperative.denda_grace_days,
        cooperative.denda_cap_bps,
        cooperative.installment_multiple,
        KolektibilitasBands(cooperative.kolektibilitas_bands),
        tuple(int(rate) for rate in cooperative.allowance_rates_bps.split(",")),
    )


async def loans_page(
    cooperative: Cooperative, status: LoanStatus | None, *, first: int | None, after: str | None
) -> Page:
    """The cooperative's loans, newest first; call `cooperative_for_pengurus` first."""
    found = Loan.filter(membership__cooperative_id=cooperative.id)
    if status is not None:
        found = found.filter(status=status)
    return await keyset_page(found, first=first, after=after)
