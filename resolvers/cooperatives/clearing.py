"""The cooperative's side of its clearing with the platform: Utang kepada Platform (what it
owes for purchases its members paid from SUKARELA) and Piutang dari Platform (what the
platform owes it for payouts into SUKARELA and refunds past its debt). Each posting here is
mirrored in the platform's books by the caller, in the same database transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from tortoise.functions import Sum

from models.cooperatives import EntryKind, JournalEntry, JournalLine, Membership, SavingsKind
from resolvers.cooperatives.books import (
    BANK,
    PIUTANG_PLATFORM,
    SAVINGS_ACCOUNTS,
    UTANG_TOKO,
    Journal,
    Line,
    account_balance,
    lock_books,
)

SUKARELA = SAVINGS_ACCOUNTS[SavingsKind.SUKARELA]


@dataclass(frozen=True)
class Split:
    """How an amount moved the two clearing accounts of one cooperative."""

    cooperative_id: int
    utang: int  # off (or onto) Utang kepada Platform
    piutang: int  # onto (or off) Piutang dari Platform


def _lines(*lines: Line) -> list[Line]:
    return [line for line in lines if line.debit or line.credit]


async def owed(cooperative_id: int) -> tuple[int, int]:
    """Its Utang kepada Platform and Piutang dari Platform, from its books."""
    return (
        await account_balance(cooperative_id, UTANG_TOKO),
        await account_balance(cooperative_id, PIUTANG_PLATFORM),
    )


async def purchase_of(order_id: int) -> Split | None:
    """A purchase paid from SUKARELA, as its cooperative's books hold it: the cooperative,
    and how far its refunds took Utang kepada Platform down and Piutang dari Platform up;
    None when no cooperative's books took the order."""
    entry = await JournalEntry.get_or_none(order_id=order_id, kind=EntryKind.PURCHASE)
    if entry is None:
        return None
    debited = {
        row["account__code"]: int(row["d"] or 0)  # PostgreSQL sums BIGINT as NUMERIC
        for row in await JournalLine.filter(
            entry__order_id=order_id,
            entry__kind=EntryKind.REFUND,
            account__code__in=[UTANG_TOKO, PIUTANG_PLATFORM],
        )
        .group_by("account__code")
        .annotate(d=Sum("debit"))
        .values("account__code", "d")
    }
    return Split(entry.cooperative_id, debited.get(UTANG_TOKO, 0), debited.get(PIUTANG_PLATFORM, 0))


async def refund_purchase(
    journal: Journal, order_id: int, actor_id: int | None, amount: int | None = None
) -> Split:
    """Inside the caller's transaction (a cancellation, a complaint's refund): `amount` (by
    default the whole purchase) back to the SUKARELA account that paid, off Utang kepada
    Platform as far as it goes and onto Piutang dari Platform for the rest."""
    entry = await JournalEntry.get(order_id=order_id, kind=EntryKind.PURCHASE)
    line = await JournalLine.get(entry_id=entry.id, membership_id__isnull=False)
    back = line.debit if amount is None else amount
    await lock_books(entry.cooperative_id)
    utang = min(back, max(await account_balance(entry.cooperative_id, UTANG_TOKO), 0))
    await journal.post(
        entry.cooperative_id,
        EntryKind.REFUND,
        "Pengembalian dana pesanan",
        _lines(
            Line(UTANG_TOKO, debit=utang),
            Line(PIUTANG_PLATFORM, debit=back - utang),
            Line(SUKARELA, credit=back, membership_id=line.membership_id),
        ),
        actor_id=actor_id,
        order_id=order_id,
    )
    return Split(entry.cooperative_id, utang, back - utang)


async def pay_into_sukarela(
    journal: Journal, membership: Membership, amount: int, actor_id: int
) -> None:
    """A seller's payout from the platform into their SUKARELA, which the platform now owes
    the cooperative (Piutang dari Platform); inside the caller's transaction."""
    await journal.post(
        membership.cooperative_id,
        EntryKind.SELLER_PAYOUT,
        "Pencairan saldo penjual pasar SatuPintu ke simpanan sukarela",
        [
            Line(PIUTANG_PLATFORM, debit=amount),
            Line(SUKARELA, credit=amount, membership_id=membership.id),
        ],
        actor_id=actor_id,
    )


async def settle(
    journal: Journal,
    cooperative_id: int,
    to_platform: bool,
    amount: int,
    owed_now: tuple[int, int],
    day: date,
    actor_id: int,
    reference: str,
) -> JournalEntry:
    """A real bank transfer of `amount` that first offsets the two clearing accounts against
    each other (`owed_now`: Utang and Piutang before it, read under `lock_books`)."""
    utang, piutang = owed_now
    if to_platform:
        lines = _lines(
            Line(UTANG_TOKO, debit=amount + piutang),
            Line(PIUTANG_PLATFORM, credit=piutang),
            Line(BANK, credit=amount),
        )
        description = "Transfer pelunasan utang kepada platform SatuPintu"
    else:
        lines = _lines(
            Line(BANK, debit=amount),
            Line(UTANG_TOKO, debit=utang),
            Line(PIUTANG_PLATFORM, credit=amount + utang),
        )
        description = "Transfer pelunasan piutang dari platform SatuPintu"
    return await journal.post(
        cooperative_id,
        EntryKind.CASH_PAYMENT if to_platform else EntryKind.CASH_RECEIPT,
        description,
        lines,
        actor_id=actor_id,
        day=day,
        note=reference,
    )
