"""The clearing between the platform and each cooperative, seen from either side, and the
real bank transfers that settle it: recorded by the Dinas (CITY_ADMIN, the platform's
operator) in both books in one database transaction."""

from __future__ import annotations

from datetime import date

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from models.cooperatives import Cooperative
from models.payouts import CooperativeSettlement, PlatformEntryKind, SettlementDirection
from models.platform import User
from resolvers.cooperatives import Journal, clearing
from resolvers.orders import platform_books as ledger
from resolvers.orders.platform_books import KAS_BANK, PIUTANG_KOPERASI, UTANG_KOPERASI, Entry
from resolvers.platform import (
    Broker,
    ErrorCode,
    Page,
    UserError,
    keyset_page,
    require_user,
    today,
)

MAX_REFERENCE = 100


def _checked(viewer: User | None, reference: str, day: date) -> tuple[User, str]:
    user = require_user(viewer)
    if not user.is_city_admin:
        raise UserError(
            ErrorCode.PERMISSION_DENIED,
            "Hanya Dinas yang boleh mencatat transfer antara koperasi dan platform.",
            "cooperativeId",
        )
    text = reference.strip()
    if not text:
        raise UserError(
            ErrorCode.REQUIRED, "Nomor referensi transfer wajib diisi.", "transferReference"
        )
    if len(text) > MAX_REFERENCE:
        raise UserError(
            ErrorCode.INVALID,
            "Nomor referensi transfer paling panjang 100 karakter.",
            "transferReference",
        )
    if day > today():
        raise UserError(ErrorCode.INVALID, "Tanggal transfer tidak boleh sesudah hari ini.", "date")
    return user, text


def _check_amount(to_platform: bool, amount: int, net: int) -> None:
    owed = net if to_platform else -net
    if owed <= 0 or not 1 <= amount <= owed:
        direction = "koperasi kepada platform" if to_platform else "platform kepada koperasi"
        raise UserError(
            ErrorCode.INVALID,
            f"Jumlah harus antara Rp1 dan utang {direction} (Rp{max(owed, 0):,}).".replace(
                ",", "."
            ),
            "amount",
        )


def _platform_lines(
    cooperative_id: int, to_platform: bool, amount: int, utang: int, piutang: int
) -> list[Entry]:
    """The platform's mirror of the cooperative's entry (see `clearing.settle`)."""
    if to_platform:
        return [
            Entry(KAS_BANK, debit=amount),
            Entry(UTANG_KOPERASI, debit=piutang, cooperative_id=cooperative_id),
            Entry(PIUTANG_KOPERASI, credit=amount + piutang, cooperative_id=cooperative_id),
        ]
    return [
        Entry(UTANG_KOPERASI, debit=amount + utang, cooperative_id=cooperative_id),
        Entry(PIUTANG_KOPERASI, credit=utang, cooperative_id=cooperative_id),
        Entry(KAS_BANK, credit=amount),
    ]


async def record_settlement(
    viewer: User | None,
    cooperative_id: int,
    direction: SettlementDirection,
    amount: int,
    reference: str,
    day: date,
    events: Broker,
) -> CooperativeSettlement:
    user, text = _checked(viewer, reference, day)
    if not await Cooperative.exists(id=cooperative_id):
        raise UserError(ErrorCode.NOT_FOUND, "Koperasi tidak ditemukan.", "cooperativeId")
    to_platform = direction == SettlementDirection.COOPERATIVE_TO_PLATFORM
    journal = Journal()
    duplicate = UserError(
        ErrorCode.DUPLICATE, "Transfer dengan referensi ini sudah dicatat.", "transferReference"
    )
    try:
        async with in_transaction():
            # Racing settlements of the cooperative queue here and read what is owed after.
            await clearing.lock_books(cooperative_id)
            if await CooperativeSettlement.exists(
                cooperative_id=cooperative_id, transfer_reference=text
            ):
                raise duplicate
            utang, piutang = await clearing.owed(cooperative_id)
            _check_amount(to_platform, amount, utang - piutang)
            settlement = await CooperativeSettlement.create(
                cooperative_id=cooperative_id,
                direction=direction,
                amount=amount,
                transfer_reference=text,
                date=day,
                recorded_by_id=user.id,
            )
            await clearing.settle(
                journal, cooperative_id, to_platform, amount, (utang, piutang), day, user.id, text
            )
            await ledger.post(
                PlatformEntryKind.SETTLEMENT,
                "Transfer antara koperasi dan platform",
                _platform_lines(cooperative_id, to_platform, amount, utang, piutang),
                settlement_id=settlement.id,
                day=day,
            )
    except IntegrityError:
        raise duplicate from None
    await journal.publish(events)
    return settlement


async def settlements_page(
    cooperative_id: int, *, first: int | None, after: str | None
) -> Page[CooperativeSettlement]:
    """Newest first; call the clearing's reader check first."""
    return await keyset_page(
        CooperativeSettlement.filter(cooperative_id=cooperative_id), first=first, after=after
    )


async def cooperative_side(cooperative_id: int) -> ledger.Clearing:
    """The cooperative's side, from its own books."""
    utang, piutang = await clearing.owed(cooperative_id)
    return ledger.Clearing(cooperative_id, utang, piutang)
