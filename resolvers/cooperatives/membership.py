"""Membership: applying, the pengurus' decision, and ending with every savings paid out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F
from tortoise.transactions import in_transaction

from models.bills import Bill, BillKind, BillStatus
from models.cooperatives import (
    Cooperative,
    EntryKind,
    Membership,
    MembershipStatus,
    SavingsAccount,
    SavingsKind,
)
from models.loans import Loan, LoanStatus
from models.platform import User
from resolvers.cooperatives.books import KAS, SAVINGS_ACCOUNTS, Journal, Line
from resolvers.cooperatives.cooperative import can_view_savings, coop_viewer, require_pengurus
from resolvers.cooperatives.nik import nik_problem
from resolvers.platform import (
    Broker,
    ErrorCode,
    UserError,
    Validator,
    normalise_phone,
    now,
    require_user,
    today,
)

MAX_REASON = 255
POKOK_DUE_DAYS = 30


@dataclass(frozen=True)
class Application:
    nik: str
    address: str
    phone: str | None


def _not_found(field: str = "id") -> UserError:
    return UserError(ErrorCode.NOT_FOUND, "Keanggotaan tidak ditemukan.", field)


async def apply_membership(
    viewer: User | None, cooperative_id: int, given: Application
) -> Membership:
    user = require_user(viewer)
    if not await Cooperative.exists(id=cooperative_id):
        raise UserError(ErrorCode.NOT_FOUND, "Koperasi tidak ditemukan.", "cooperativeId")
    check = Validator()
    nik = given.nik.strip()
    problem = nik_problem(nik, today())
    if problem:
        check.add("input.nik", ErrorCode.INVALID, problem)
    address = check.text("input.address", given.address, "Alamat", 255, required=True)
    phone = user.phone or ""
    if given.phone is not None and given.phone.strip():
        phone = normalise_phone(given.phone) or ""
        if not phone:
            check.add("input.phone", ErrorCode.INVALID, "Nomor telepon Indonesia tidak valid.")
    check.check()
    if await Membership.exists(cooperative_id=cooperative_id, user_id=user.id):
        raise _already_applied()
    try:
        return await Membership.create(
            cooperative_id=cooperative_id, user_id=user.id, nik=nik, address=address, phone=phone
        )
    except IntegrityError:
        # Applied concurrently, or this NIK is another account's member already.
        raise _already_applied() from None


def _already_applied() -> UserError:
    return UserError(
        ErrorCode.DUPLICATE,
        "Sudah ada keanggotaan di koperasi ini untuk akun atau NIK ini.",
        "cooperativeId",
    )


async def decide_membership(
    viewer: User | None, membership_id: int, approve: bool, reason: str | None
) -> Membership:
    """A pengurus other than the applicant approves (the next member number, the pokok bill)
    or rejects (with a reason) a PENDING application."""
    user = require_user(viewer)
    membership = await Membership.get_or_none(id=membership_id)
    if membership is None:
        raise _not_found()
    require_pengurus(await coop_viewer(user), membership.cooperative_id)
    if membership.user_id == user.id:
        raise UserError(
            ErrorCode.PERMISSION_DENIED,
            "Keanggotaan Anda sendiri diputuskan oleh pengurus lain.",
            "id",
        )
    if membership.status != MembershipStatus.PENDING:
        raise _not_pending()
    if not approve:
        text = (reason or "").strip()
        if not text:
            raise UserError(ErrorCode.REQUIRED, "Alasan penolakan wajib diisi.", "reason")
        if len(text) > MAX_REASON:
            raise UserError(ErrorCode.INVALID, "Alasan penolakan terlalu panjang.", "reason")
        moved = await Membership.filter(id=membership.id, status=MembershipStatus.PENDING).update(
            status=MembershipStatus.REJECTED, rejection_reason=text
        )
        if not moved:
            raise _not_pending()
        return await Membership.get(id=membership.id)
    async with in_transaction():
        await _approve(membership)
    return await Membership.get(id=membership.id)


async def _approve(membership: Membership) -> None:
    # The counter's row lock queues concurrent approvals; a rollback gives its number back.
    cooperative = Cooperative.filter(id=membership.cooperative_id)
    await cooperative.update(last_member_number=F("last_member_number") + 1, is_digital=True)
    policy = await cooperative.first().values("last_member_number", "pokok_amount", "name")
    joined = now()
    moved = await Membership.filter(id=membership.id, status=MembershipStatus.PENDING).update(
        status=MembershipStatus.ACTIVE, number=policy["last_member_number"], joined_at=joined
    )
    if not moved:
        raise _not_pending()
    await SavingsAccount.bulk_create(
        [SavingsAccount(membership_id=membership.id, kind=kind) for kind in SavingsKind]
    )
    if policy["pokok_amount"] <= 0:  # a cooperative without simpanan pokok bills none
        return
    await Bill.create(
        user_id=membership.user_id,
        membership_id=membership.id,
        kind=BillKind.SIMPANAN_POKOK,
        description=f"Simpanan pokok {policy['name']}",
        amount=policy["pokok_amount"],
        due_date=today() + timedelta(days=POKOK_DUE_DAYS),
    )


def _not_pending() -> UserError:
    return UserError(ErrorCode.INVALID_STATE, "Keanggotaan ini sudah diputuskan.", "id")


async def end_membership(
    viewer: User | None, membership_id: int, events: Broker
) -> tuple[Membership, int]:
    """The member or a pengurus ends an ACTIVE membership: refused while a loan is
    outstanding; otherwise every savings balance is paid out in cash. The payout's total."""
    user = require_user(viewer)
    membership = await Membership.get_or_none(id=membership_id)
    if membership is None or not can_view_savings(await coop_viewer(user), membership):
        raise _not_found()
    journal = Journal()
    async with in_transaction():
        moved = await Membership.filter(id=membership.id, status=MembershipStatus.ACTIVE).update(
            status=MembershipStatus.ENDED, ended_at=now()
        )
        if not moved:
            raise UserError(
                ErrorCode.INVALID_STATE, "Hanya keanggotaan aktif yang bisa diakhiri.", "id"
            )
        if await Loan.exists(membership_id=membership.id, status=LoanStatus.ACTIVE):
            raise UserError(
                ErrorCode.INVALID_STATE,
                "Keanggotaan tidak bisa diakhiri selama masih ada pinjaman berjalan.",
                "id",
            )
        if await Bill.exists(receipt__membership_id=membership.id, status=BillStatus.PENDING):
            raise UserError(
                ErrorCode.INVALID_STATE,
                "Keanggotaan tidak bisa diakhiri selama pembayaran tagihan masih diproses biller.",
                "id",
            )
        payout = await _pay_out(membership, user.id, journal)
        await Bill.filter(
            membership_id=membership.id,
            status=BillStatus.UNPAID,
            kind__in=[BillKind.SIMPANAN_POKOK, BillKind.SIMPANAN_WAJIB],
        ).delete()
    await journal.publish(events)
    return await Membership.get(id=membership.id), payout


async def _pay_out(membership: Membership, actor_id: int, journal: Journal) -> int:
    balances = dict(
        await SavingsAccount.filter(membership_id=membership.id).values_list("kind", "balance")
    )
    lines = [
        Line(SAVINGS_ACCOUNTS[kind], debit=balances[kind], membership_id=membership.id)
        for kind in SavingsKind
        if balances.get(kind, 0) > 0
    ]
    total = sum(line.debit for line in lines)
    if total:
        await journal.post(
            membership.cooperative_id,
            EntryKind.PAYOUT,
            "Pengembalian simpanan karena keluar dari keanggotaan",
            [*lines, Line(KAS, credit=total)],
            actor_id=actor_id,
        )
    # Closed only when empty: a deposit that slipped in since the read is not left behind.
    closed = await SavingsAccount.filter(membership_id=membership.id, balance=0).update(
        is_open=False
    )
    if closed != len(balances):
        raise UserError(
            ErrorCode.INVALID_STATE, "Saldo simpanan baru saja berubah; coba lagi.", "id"
        )
    return total
