"""Paying out SHU. Using the allocation funds (Dana Alokasi SHU: dana pengurus, pendidikan,
sosial, pembangunan daerah kerja), each use its own SHU entry naming its fund (Dr Dana Alokasi
SHU, Cr Kas), at most the account's balance, checked under the cooperative's row
lock so that uses racing never overdraw it.

Paying out what Utang SHU Anggota owes: the SHU share of a member who had left when their
year's SHU was distributed (a PAYABLE `shu_share`). Its pengurus pays it in cash (Dr Utang SHU
Anggota, Cr Kas) or into the member's SUKARELA when it is open (Cr Simpanan
Sukarela), one SHU entry, once: the share's conditional update to paid is the claim, so two
payouts racing pay it once. Once per idempotency key."""

from __future__ import annotations

from enum import StrEnum

from tortoise.transactions import in_transaction

from models.cooperatives import EntryKind, Membership, SavingsKind
from models.platform import User
from models.shu import ShuDestination, ShuShare
from resolvers.cooperatives import (
    DANA_ALOKASI_SHU,
    KAS,
    MAX_AMOUNT,
    SAVINGS_ACCOUNTS,
    UTANG_SHU,
    Journal,
    Line,
    account_balance,
    acting_pengurus,
    can_view_savings,
    coop_viewer,
    lock_books,
    require_pengurus,
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
)


class AllocationFund(StrEnum):
    PENGURUS = "PENGURUS"
    PENDIDIKAN = "PENDIDIKAN"
    SOSIAL = "SOSIAL"
    PEMBANGUNAN_DAERAH_KERJA = "PEMBANGUNAN_DAERAH_KERJA"

    @property
    def label(self) -> str:
        return "dana " + self.value.replace("_", " ").lower()


class PayoutTarget(StrEnum):
    CASH = "CASH"
    SUKARELA = "SUKARELA"


async def pay_shu_payable(
    viewer: User | None,
    membership_id: int,
    year: int,
    to: PayoutTarget,
    events: Broker,
    key: str | None = None,
) -> int:
    """Its pengurus pays the member's PAYABLE SHU share of `year`; the amount paid."""
    user = require_user(viewer)
    membership = await Membership.get_or_none(id=membership_id)
    who = await coop_viewer(user)
    if membership is None or not can_view_savings(who, membership):
        raise UserError(ErrorCode.NOT_FOUND, "Keanggotaan tidak ditemukan.", "membershipId")
    require_pengurus(who, membership.cooperative_id, "membershipId")

    async def move(once: Once) -> int:
        share = await ShuShare.get_or_none(
            membership_id=membership_id,
            distribution__year=year,
            distribution__cooperative_id=membership.cooperative_id,
            destination=ShuDestination.PAYABLE,
        )
        if share is None:
            raise UserError(
                ErrorCode.NOT_FOUND, "Tidak ada SHU terutang untuk anggota ini.", "year"
            )
        amount = share.capital_share + share.service_share
        journal = Journal()
        async with in_transaction():
            claimed = await ShuShare.filter(id=share.id, paid_at__isnull=True).update(paid_at=now())
            if not claimed:
                raise UserError(ErrorCode.INVALID_STATE, "SHU ini sudah dibayarkan.", "year")
            credit = (
                Line(KAS, credit=amount)
                if to == PayoutTarget.CASH
                else Line(
                    SAVINGS_ACCOUNTS[SavingsKind.SUKARELA],
                    credit=amount,
                    membership_id=membership_id,
                )
            )
            await journal.post(
                membership.cooperative_id,
                EntryKind.SHU,
                f"Pembayaran SHU tahun {year}",
                [Line(UTANG_SHU, debit=amount), credit],
                actor_id=user.id,
                membership_id=membership_id,
            )
            await remember(once, {"paid": amount})
        await journal.publish(events)
        return amount

    async def replay(result: dict[str, int]) -> int:
        return result["paid"]

    return await exactly_once(user, key, ("payShuPayable", membership_id, year, to), move, replay)


async def use_allocation_fund(
    viewer: User | None,
    cooperative_id: int,
    fund: AllocationFund,
    amount: int,
    note: str,
    events: Broker,
    key: str | None = None,
) -> int:
    """Its pengurus pays `amount` out of an SHU allocation fund in cash; the Dana Alokasi
    SHU balance left."""
    user = await acting_pengurus(viewer, cooperative_id)
    if not 0 < amount <= MAX_AMOUNT:
        raise UserError(ErrorCode.INVALID, "Jumlah harus lebih dari nol.", "amount")
    note = note.strip()
    if not note:
        raise UserError(ErrorCode.REQUIRED, "Keterangan penggunaan dana wajib diisi.", "note")

    async def move(once: Once) -> int:
        journal = Journal()
        async with in_transaction():
            await lock_books(cooperative_id)
            left = await account_balance(cooperative_id, DANA_ALOKASI_SHU)
            if amount > left:
                raise UserError(
                    ErrorCode.INSUFFICIENT_BALANCE,
                    f"Dana Alokasi SHU tinggal {format_rupiah(max(left, 0))}.",
                    "amount",
                )
            await journal.post(
                cooperative_id,
                EntryKind.SHU,
                f"Penggunaan {fund.label}",
                [Line(DANA_ALOKASI_SHU, debit=amount), Line(KAS, credit=amount)],
                note=note[:255],
                actor_id=user.id,
            )
            await remember(once, {"left": left - amount})
        await journal.publish(events)
        return left - amount

    async def replay(result: dict[str, int]) -> int:
        return result["left"]

    asked = ("useShuAllocationFund", cooperative_id, fund, amount, note)
    return await exactly_once(user, key, asked, move, replay)
