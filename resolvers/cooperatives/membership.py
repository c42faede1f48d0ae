"""Membership: applying, the pengurus' decision, and ending with every savings paid out.

A NIK belongs to one account across the city: the first account whose membership with it a
pengurus approved (`NikOwner`, written in the approval's transaction; a NIK's uniqueness
decides racing approvals). It stays that account's when the membership ends (a person keeps
their NIK; ending is not giving it away); a PENDING or REJECTED application holds it for
nobody, so squatting one locks nobody out. Applying never reveals whether a NIK is or was a
member anywhere: every well-formed application is taken (a rejected applicant applies again
on the same row). A NIK verified for another account, or used by another account's live
application in the cooperative, is shown to its pengurus only (`nik_conflict`), and an
application whose NIK is another account's cannot be approved.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F
from tortoise.transactions import in_transaction

from models.bills import Bill, BillKind, BillStatus
from models.cooperatives import (
    Cooperative,
    EntryKind,
    Membership,
    MembershipStatus,
    NikOwner,
    SavingsAccount,
    SavingsKind,
    TimeDeposit,
    TimeDepositStatus,
)
from models.loans import Loan, LoanStatus
from models.platform import User
from resolvers.cooperatives.books import KAS, SAVINGS_ACCOUNTS, Journal, Line
from resolvers.cooperatives.cooperative import can_view_savings, coop_viewer, require_pengurus
from resolvers.cooperatives.feed import rights_changed
from resolvers.cooperatives.nik import nik_problem
from resolvers.platform import (
    Broker,
    ErrorCode,
    Once,
    UserError,
    Validator,
    exactly_once,
    normalise_phone,
    now,
    remember,
    require_user,
    today,
    visibility,
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
    earlier = await Membership.get_or_none(cooperative_id=cooperative_id, user_id=user.id)
    if earlier is not None:
        # Only a rejected application can be made again, on the same row.
        moved = await Membership.filter(id=earlier.id, status=MembershipStatus.REJECTED).update(
            status=MembershipStatus.PENDING,
            rejection_reason="",
            nik=nik,
            address=address,
            phone=phone,
        )
        if not moved:
            raise _already_applied()
        return await Membership.get(id=earlier.id)
    try:
        return await Membership.create(
            cooperative_id=cooperative_id, user_id=user.id, nik=nik, address=address, phone=phone
        )
    except IntegrityError:  # the same account applied concurrently
        raise _already_applied() from None


def _already_applied() -> UserError:
    return UserError(
        ErrorCode.DUPLICATE,
        "Anda sudah punya keanggotaan atau pengajuan di koperasi ini.",
        "cooperativeId",
    )


async def nik_conflict(membership: Membership) -> str | None:
    """For its pengurus: why the membership's NIK needs a look, or None. The NIK is another
    account's (verified when), another account's live application here uses it, or the
    account was verified with another NIK."""
    if membership.nik is None:
        return None
    owner = await NikOwner.get_or_none(nik=membership.nik)
    if owner is not None and owner.user_id != membership.user_id:
        return (
            f"NIK ini sudah terverifikasi untuk akun lain sejak {owner.verified_at:%d-%m-%Y}; "
            "pengajuan ini tidak bisa disetujui."
        )
    others = (
        await Membership.filter(
            cooperative_id=membership.cooperative_id,
            nik=membership.nik,
            status__in=[MembershipStatus.PENDING, MembershipStatus.ACTIVE],
        )
        .exclude(user_id=membership.user_id)
        .count()
    )
    if others:
        return f"NIK ini juga dipakai {others} pengajuan akun lain di koperasi ini; periksa KTP."
    if await NikOwner.filter(user_id=membership.user_id).exclude(nik=membership.nik).exists():
        return "Akun ini sudah terverifikasi dengan NIK lain; periksa KTP."
    return None


async def decide_membership(
    viewer: User | None, membership_id: int, approve: bool, reason: str | None
) -> Membership:
    """A pengurus other than the applicant approves (the next member number, the pokok bill)
    or rejects (with a reason) a PENDING application."""
    user = require_user(viewer)
    membership = await visibility.visible(
        "Membership", user, Membership.filter(id=membership_id)
    ).first()
    if membership is None:  # also one the viewer may not see: ids cannot be probed
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
    await _verify_nik(membership, joined)
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


async def _verify_nik(membership: Membership, at: datetime) -> None:
    """The NIK becomes the account's, unless it is another's: then the approval is refused."""
    if membership.nik is None:
        return
    owner = await NikOwner.get_or_none(nik=membership.nik)
    if owner is None:
        try:
            async with in_transaction():  # a savepoint: a racing approval may win the NIK
                await NikOwner.create(
                    nik=membership.nik,
                    user_id=membership.user_id,
                    membership_id=membership.id,
                    verified_at=at,
                )
            return
        except IntegrityError:
            owner = await NikOwner.get(nik=membership.nik)
    if owner.user_id != membership.user_id:
        raise UserError(
            ErrorCode.DUPLICATE,
            "NIK ini sudah terverifikasi untuk akun lain; tolak pengajuan ini.",
            "id",
        )


def _not_pending() -> UserError:
    return UserError(ErrorCode.INVALID_STATE, "Keanggotaan ini sudah diputuskan.", "id")


async def end_membership(
    viewer: User | None, membership_id: int, events: Broker, key: str | None = None
) -> tuple[Membership, int]:
    """The member or a pengurus ends an ACTIVE membership: refused while a loan is
    outstanding; otherwise every savings balance is paid out in cash. The payout's total.
    Once per idempotency key."""
    user = require_user(viewer)

    async def move(once: Once) -> tuple[Membership, int]:
        membership = await Membership.get_or_none(id=membership_id)
        if membership is None or not can_view_savings(await coop_viewer(user), membership):
            raise _not_found()
        journal = Journal()
        async with in_transaction():
            moved = await Membership.filter(
                id=membership.id, status=MembershipStatus.ACTIVE
            ).update(status=MembershipStatus.ENDED, ended_at=now())
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
            if await TimeDeposit.exists(
                membership_id=membership.id, status=TimeDepositStatus.ACTIVE
            ):
                raise UserError(
                    ErrorCode.INVALID_STATE,
                    "Keanggotaan tidak bisa diakhiri selama masih ada simpanan berjangka aktif.",
                    "id",
                )
            if await Bill.exists(receipt__membership_id=membership.id, status=BillStatus.PENDING):
                raise UserError(
                    ErrorCode.INVALID_STATE,
                    "Keanggotaan tidak bisa diakhiri selama pembayaran tagihan masih diproses "
                    "biller.",
                    "id",
                )
            payout = await _pay_out(membership, user.id, journal)
            await Bill.filter(
                membership_id=membership.id,
                status=BillStatus.UNPAID,
                kind__in=[BillKind.SIMPANAN_POKOK, BillKind.SIMPANAN_WAJIB],
            ).delete()
            await remember(once, {"membership": membership.id, "payout": payout})
        await journal.publish(events)
        await rights_changed(events, membership.cooperative_id, membership.user_id)
        return await Membership.get(id=membership.id), payout

    return await exactly_once(user, key, ("endMembership", membership_id), move, _ended)


async def _ended(result: dict[str, int]) -> tuple[Membership, int]:
    """A remembered end of membership: the membership now and the payout it made."""
    return await Membership.get(id=result["membership"]), result["payout"]


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
