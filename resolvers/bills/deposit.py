"""The cooperative's Deposit PPOB: the prepaid balance at the biller its outside bills are paid
from. A pengurus records each top-up the cooperative sends the biller (Dr Deposit PPOB, Cr Kas
dan Bank: one entry of kind CASH_PAYMENT), and an outside bill the deposit cannot cover is
refused (`resolvers.cooperatives.books.Journal` keeps `ppob_deposit` with the account's lines
and never lets a bill take it below 0). Once per idempotency key."""

from __future__ import annotations

from tortoise.transactions import in_transaction

from models.cooperatives import Cooperative, EntryKind
from models.platform import User
from resolvers.cooperatives import (
    DEPOSIT_PPOB,
    KAS,
    MAX_AMOUNT,
    Journal,
    Line,
    acting_pengurus,
)
from resolvers.platform import (
    Broker,
    ErrorCode,
    Once,
    UserError,
    exactly_once,
    remember,
)


async def _cooperative(cooperative_id: int) -> Cooperative:
    return await Cooperative.get(id=cooperative_id)


async def post_top_up(journal: Journal, cooperative_id: int, amount: int, actor_id: int) -> None:
    """One top-up's entry, inside the caller's transaction."""
    await journal.post(
        cooperative_id,
        EntryKind.CASH_PAYMENT,
        "Isi ulang deposit PPOB",
        [Line(DEPOSIT_PPOB, debit=amount), Line(KAS, credit=amount)],
        actor_id=actor_id,
    )


async def top_up_ppob_deposit(
    viewer: User | None, cooperative_id: int, amount: int, events: Broker, key: str | None = None
) -> Cooperative:
    """Its pengurus records a top-up of the cooperative's deposit at the biller, paid from
    Kas; the cooperative with its deposit now."""
    user = await acting_pengurus(viewer, cooperative_id)
    if not 0 < amount <= MAX_AMOUNT:
        raise UserError(ErrorCode.INVALID, "Jumlah harus lebih dari nol.", "amount")

    async def move(once: Once) -> Cooperative:
        journal = Journal()
        async with in_transaction():
            await post_top_up(journal, cooperative_id, amount, user.id)
            await remember(once, {"cooperative": cooperative_id})
        await journal.publish(events)
        return await _cooperative(cooperative_id)

    asked = ("topUpPpobDeposit", cooperative_id, amount)
    return await exactly_once(
        user, key, asked, move, lambda result: _cooperative(result["cooperative"])
    )
