"""Members' savings: teller deposits, withdrawals, purchases paid from SUKARELA and their
refunds, and what the member's page reads."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tortoise.transactions import in_transaction

from models.bills import Bill, BillKind, BillStatus
from models.cooperatives import (
    EntryKind,
    JournalLine,
    Membership,
    MembershipStatus,
    SavingsAccount,
    SavingsKind,
)
from models.loans import Loan
from models.platform import User
from resolvers.cooperatives.books import (
    KAS,
    SAVINGS_ACCOUNTS,
    UTANG_TOKO,
    Journal,
    Line,
    MemberLine,
)
from resolvers.cooperatives.cooperative import (
    MAX_AMOUNT,
    CoopViewer,
    can_view_savings,
    coop_viewer,
    require_pengurus,
)
from resolvers.platform import (
    Broker,
    ErrorCode,
    Once,
    Page,
    UserError,
    exactly_once,
    keyset_page,
    now,
    remember,
    require_user,
    rows_grouped_by,
)

MAX_NOTE = 255
ACCOUNT_NAMES = {
    SavingsKind.POKOK: "simpanan pokok",
    SavingsKind.WAJIB: "simpanan wajib",
    SavingsKind.SUKARELA: "simpanan sukarela",
}


def _checked_amount(amount: int) -> int:
    if amount <= 0:
        raise UserError(ErrorCode.INVALID, "Jumlah harus lebih dari nol.", "amount")
    if amount > MAX_AMOUNT:
        raise UserError(ErrorCode.INVALID, "Jumlah terlalu besar.", "amount")
    return amount


async def _membership(who: CoopViewer, membership_id: int) -> Membership:
    """The ACTIVE membership, if the viewer may see its money: another's is NOT_FOUND to them."""
    membership = await Membership.get_or_none(id=membership_id)
    if membership is None or not can_view_savings(who, membership):
        raise UserError(ErrorCode.NOT_FOUND, "Keanggotaan tidak ditemukan.", "membershipId")
    if membership.status != MembershipStatus.ACTIVE:
        raise UserError(ErrorCode.INVALID_STATE, "Keanggotaan ini tidak aktif.", "membershipId")
    return membership


async def record_deposit(
    viewer: User | None,
    membership_id: int,
    account: SavingsKind,
    amount: int,
    note: str | None,
    events: Broker,
    key: str | None = None,
) -> MemberLine:
    """A pengurus, as teller, takes cash into one of a member's savings; a POKOK deposit
    settles the simpanan pokok bill and must be its amount. Once per idempotency key."""
    teller = require_user(viewer)
    asked = ("recordDeposit", membership_id, account.value, amount, note)

    async def move(once: Once) -> MemberLine:
        who = await coop_viewer(teller)
        membership = await _membership(who, membership_id)
        require_pengurus(who, membership.cooperative_id, "membershipId")
        if membership.user_id == teller.id:
            raise UserError(
                ErrorCode.PERMISSION_DENIED,
                "Setoran ke simpanan Anda sendiri dicatat oleh pengurus lain.",
                "membershipId",
            )
        _checked_amount(amount)
        text = (note or "").strip()
        if len(text) > MAX_NOTE:
            raise UserError(ErrorCode.INVALID, "Catatan terlalu panjang.", "note")
        journal = Journal()
        async with in_transaction():
            if account == SavingsKind.POKOK:
                await _settle_pokok_bill(membership, amount)
            await post_deposit(journal, membership, account, amount, actor_id=teller.id, note=text)
            await remember(once, {"line": journal.posted[0].id})
        await journal.publish(events)
        return journal.posted[0]

    return await exactly_once(teller, key, asked, move, _line_of)


async def _line_of(result: dict[str, int]) -> MemberLine:
    """The savings line a remembered deposit or withdrawal posted."""
    line = await JournalLine.get(id=result["line"]).select_related("entry", "membership")
    return MemberLine.of_row(line, line.membership.number if line.membership else None)


async def post_deposit(
    journal: Journal,
    membership: Membership,
    account: SavingsKind,
    amount: int,
    *,
    actor_id: int,
    note: str = "",
    at: datetime | None = None,
) -> None:
    """Cash into one of the member's savings: Kas / Simpanan."""
    await journal.post(
        membership.cooperative_id,
        EntryKind.DEPOSIT,
        f"Setoran {ACCOUNT_NAMES[account]}",
        [
            Line(KAS, debit=amount),
            Line(SAVINGS_ACCOUNTS[account], credit=amount, membership_id=membership.id),
        ],
        note=note,
        actor_id=actor_id,
        at=at,
    )


async def post_withdrawal(
    journal: Journal,
    membership: Membership,
    amount: int,
    *,
    actor_id: int,
    at: datetime | None = None,
) -> None:
    """Cash out of SUKARELA: Simpanan Sukarela / Kas."""
    await _out_of_sukarela(
        journal,
        membership,
        amount,
        KAS,
        EntryKind.WITHDRAWAL,
        "Penarikan simpanan sukarela",
        actor_id=actor_id,
        at=at,
    )


async def _out_of_sukarela(
    journal: Journal,
    membership: Membership,
    amount: int,
    counter: str,
    kind: EntryKind,
    description: str,
    **entry: Any,
) -> None:
    """One entry taking `amount` out of the member's SUKARELA into the `counter` account."""
    await journal.post(
        membership.cooperative_id,
        kind,
        description,
        [
            Line(SAVINGS_ACCOUNTS[SavingsKind.SUKARELA], debit=amount, membership_id=membership.id),
            Line(counter, credit=amount),
        ],
        **entry,
    )


async def _settle_pokok_bill(membership: Membership, amount: int) -> None:
    bill = await Bill.get_or_none(
        membership_id=membership.id, kind=BillKind.SIMPANAN_POKOK, status=BillStatus.UNPAID
    )
    if bill is None:
        raise UserError(ErrorCode.INVALID_STATE, "Simpanan pokok sudah lunas.", "account")
    if amount != bill.amount:
        raise UserError(
            ErrorCode.INVALID, "Setoran simpanan pokok harus sebesar tagihannya.", "amount"
        )
    paid = await Bill.filter(id=bill.id, status=BillStatus.UNPAID).update(
        status=BillStatus.PAID, paid_at=now()
    )
    if not paid:
        raise UserError(ErrorCode.INVALID_STATE, "Simpanan pokok sudah lunas.", "account")


async def withdraw(
    viewer: User | None, membership_id: int, amount: int, events: Broker, key: str | None = None
) -> MemberLine:
    """The member or a pengurus takes cash out of SUKARELA; never below zero. Once per
    idempotency key."""
    user = require_user(viewer)

    async def move(once: Once) -> MemberLine:
        membership = await _membership(await coop_viewer(user), membership_id)
        _checked_amount(amount)
        journal = Journal()
        async with in_transaction():
            await post_withdrawal(journal, membership, amount, actor_id=user.id)
            await remember(once, {"line": journal.posted[0].id})
        await journal.publish(events)
        return journal.posted[0]

    return await exactly_once(user, key, ("withdraw", membership_id, amount), move, _line_of)


async def paying_membership(buyer: User, membership_id: int) -> Membership:
    """The buyer's own ACTIVE membership that pays a checkout; only its member may use it."""
    membership = await Membership.get_or_none(id=membership_id)
    if membership is None or membership.user_id != buyer.id:
        raise UserError(ErrorCode.NOT_FOUND, "Keanggotaan tidak ditemukan.", "membershipId")
    if membership.status != MembershipStatus.ACTIVE:
        raise UserError(ErrorCode.INVALID_STATE, "Keanggotaan ini tidak aktif.", "membershipId")
    return membership


async def pay_purchase(
    journal: Journal, membership: Membership, order_id: int, amount: int, buyer_id: int
) -> None:
    """Inside the checkout's transaction: the member withdraws from SUKARELA to pay the shop,
    which the cooperative now owes the platform (Utang kepada Platform) until it settles."""
    await _out_of_sukarela(
        journal,
        membership,
        amount,
        UTANG_TOKO,
        EntryKind.PURCHASE,
        "Belanja di pasar SatuPintu dibayar dari simpanan sukarela",
        actor_id=buyer_id,
        order_id=order_id,
    )


async def savings_of_memberships(ids: list[int]) -> list[list[SavingsAccount]]:
    return await rows_grouped_by(SavingsAccount.all().order_by("id"), "membership_id", ids)


async def loans_of_memberships(ids: list[int]) -> list[list[Loan]]:
    return await rows_grouped_by(Loan.all().order_by("-id"), "membership_id", ids)


async def bills_of_membership(membership_id: int, status: BillStatus | None) -> list[Bill]:
    found = Bill.filter(membership_id=membership_id)
    if status is not None:
        found = found.filter(status=status)
    return await found.order_by("due_date", "id")


async def member_lines_page(
    membership: Membership, *, first: int | None, after: str | None
) -> Page:
    """The membership's journal lines, newest first, as `MemberLine`s."""
    page = await keyset_page(
        JournalLine.filter(membership_id=membership.id).select_related("entry"),
        first=first,
        after=after,
    )
    page.items = [MemberLine.of_row(line, membership.number) for line in page.items]
    return page
