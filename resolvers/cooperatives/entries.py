"""What the pengurus record that is not a member's movement: cash and bank receipts and
payments, general journal entries, and reversals (an entry is never edited or deleted).

Each is one balanced entry through `Journal.post`, dated by its business day; the database
refuses a day in a closed book year, which `Journal.post` answers as INVALID_STATE."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from media.storage import Storage
from models.catalog import Image
from models.cooperatives import (
    MEMBER_KINDS,
    EntryKind,
    JournalEntry,
    JournalLine,
    LedgerAccount,
)
from models.platform import User
from resolvers.catalog.images import Upload, discard_image, store_image
from resolvers.cooperatives.books import KAS, Journal, Line
from resolvers.cooperatives.chart import bookkeeper_of, can_read_books, require_bookkeeper
from resolvers.cooperatives.cooperative import MAX_AMOUNT, coop_viewer
from resolvers.platform import ErrorCode, UserError, Validator, format_rupiah, require_user, today

UNREVERSIBLE = frozenset([EntryKind.CLOSING, EntryKind.OPENING, EntryKind.REVERSAL])


@dataclass(frozen=True)
class CashMovement:
    cooperative_id: int
    receipt: bool  # else a payment
    account_id: int
    cash_account_id: int | None
    amount: int
    day: date
    description: str


@dataclass(frozen=True)
class GivenLine:
    account_id: int
    debit: int
    credit: int
    memo: str | None


def _day(check: Validator, day: date, field: str = "date") -> None:
    if day > today():
        check.add(field, ErrorCode.INVALID, "Tanggal tidak boleh di masa depan.")


async def _accounts(cooperative_id: int, ids: Sequence[int]) -> dict[int, LedgerAccount]:
    found = await LedgerAccount.filter(cooperative_id=cooperative_id, id__in=list(ids))
    return {a.id: a for a in found}


async def _is_cash(account: LedgerAccount) -> bool:
    """Kas, Bank, or a sub-account of either."""
    if account.is_cash:
        return True
    if account.parent_id is None:
        return False
    parent = await LedgerAccount.get_or_none(id=account.parent_id)
    return parent is not None and await _is_cash(parent)


async def record_cash_movement(
    viewer: User | None,
    storage: Storage,
    given: CashMovement,
    photo: Upload | None,
) -> JournalEntry:
    """A receipt debits the cash account and credits `account_id`; a payment the reverse."""
    user = require_user(viewer)
    await bookkeeper_of(user, given.cooperative_id)
    check = Validator()
    description = check.text(
        "input.description", given.description, "Keterangan", 255, required=True
    )
    if not 0 < given.amount <= MAX_AMOUNT:
        check.add("input.amount", ErrorCode.INVALID, "Jumlah harus lebih dari Rp0.")
    _day(check, given.day, "input.date")
    ids = [given.account_id] + ([given.cash_account_id] if given.cash_account_id else [])
    accounts = await _accounts(given.cooperative_id, ids)
    account = accounts.get(given.account_id)
    if account is None:
        check.add("input.accountId", ErrorCode.INVALID, "Akun tidak ada di bagan akun koperasi.")
    elif account.is_control or await _is_cash(account):
        check.add(
            "input.accountId",
            ErrorCode.INVALID,
            "Akun kas/bank dan akun simpanan, pinjaman atau kliring anggota tidak bisa dipakai "
            "di sini.",
        )
    if given.cash_account_id is None:
        cash = await LedgerAccount.get_or_none(cooperative_id=given.cooperative_id, code=KAS)
    else:
        cash = accounts.get(given.cash_account_id)
    if cash is None or not await _is_cash(cash):
        check.add("input.cashAccountId", ErrorCode.INVALID, "Pilih akun Kas atau Bank.")
    check.check()
    assert account is not None
    assert cash is not None
    debit, credit = (cash, account) if given.receipt else (account, cash)
    lines = [Line(debit.code, debit=given.amount), Line(credit.code, credit=given.amount)]
    kind = EntryKind.CASH_RECEIPT if given.receipt else EntryKind.CASH_PAYMENT

    async def post(image: Image | None = None) -> JournalEntry:
        async with in_transaction():
            return await Journal().post(
                given.cooperative_id,
                kind,
                description,
                lines,
                actor_id=user.id,
                day=given.day,
                receipt_image_id=image.id if image else None,
            )

    if photo is None:
        return await post()
    image = await store_image(storage, photo, user, f"Nota: {description}"[:200])
    try:
        return await post(image)
    except BaseException:
        await discard_image(storage, image)
        raise


async def post_general_entry(
    viewer: User | None,
    cooperative_id: int,
    day: date,
    description: str,
    given: Sequence[GivenLine],
) -> JournalEntry:
    user = require_user(viewer)
    await bookkeeper_of(user, cooperative_id)
    check = Validator()
    text = check.text("input.description", description, "Keterangan", 255, required=True)
    _day(check, day, "input.date")
    accounts = await _accounts(cooperative_id, [line.account_id for line in given])
    if len(given) < 2:
        check.add("input.lines", ErrorCode.INVALID, "Jurnal paling sedikit dua baris.")
    for line in given:
        account = accounts.get(line.account_id)
        if min(line.debit, line.credit) != 0 or max(line.debit, line.credit) <= 0:
            problem = "Setiap baris diisi tepat satu: debit atau kredit, lebih dari Rp0."
        elif max(line.debit, line.credit) > MAX_AMOUNT:
            problem = "Jumlah terlalu besar."
        elif account is None:
            problem = "Akun tidak ada di bagan akun koperasi."
        elif account.is_control:
            problem = f"Akun {account.code} {account.name} hanya bergerak lewat transaksi anggota."
        elif line.memo is not None and len(line.memo) > 255:
            problem = "Memo paling panjang 255 karakter."
        else:
            continue
        check.add("input.lines", ErrorCode.INVALID, problem)
        break
    else:
        difference = sum(line.debit for line in given) - sum(line.credit for line in given)
        if difference and len(given) >= 2:
            check.add(
                "input.lines",
                ErrorCode.INVALID,
                f"Debit dan kredit tidak seimbang: selisih {format_rupiah(abs(difference))}",
            )
    check.check()
    lines = [
        Line(accounts[g.account_id].code, debit=g.debit, credit=g.credit, memo=g.memo)
        for g in given
    ]
    async with in_transaction():
        return await Journal().post(
            cooperative_id, EntryKind.GENERAL, text, lines, actor_id=user.id, day=day
        )


async def reverse_entry(
    viewer: User | None, entry_id: int, day: date | None, reason: str
) -> JournalEntry:
    user = require_user(viewer)
    who = await coop_viewer(user)
    original = await JournalEntry.get_or_none(id=entry_id)
    if original is None or not can_read_books(who, original.cooperative_id):
        raise UserError(ErrorCode.NOT_FOUND, "Jurnal tidak ditemukan.", "id")
    require_bookkeeper(who, original.cooperative_id, "id")
    check = Validator()
    why = check.text("reason", reason, "Alasan", 255, required=True)
    on = day or today()
    _day(check, on)
    if original.date is not None and on < original.date:
        check.add("date", ErrorCode.INVALID, "Tanggal pembalikan tidak boleh sebelum jurnalnya.")
    check.check()
    kind = EntryKind(original.kind)
    if kind in MEMBER_KINDS:
        raise UserError(
            ErrorCode.INVALID_STATE,
            "Transaksi anggota dibatalkan lewat operasinya sendiri, bukan di sini.",
            "id",
        )
    if kind in UNREVERSIBLE:
        raise UserError(ErrorCode.INVALID_STATE, "Jurnal jenis ini tidak bisa dibalik.", "id")
    already = UserError(ErrorCode.INVALID_STATE, "Jurnal ini sudah dibalik.", "id")
    if await JournalEntry.exists(reversal_of_id=original.id):
        raise already
    rows = await JournalLine.filter(entry_id=original.id).order_by("id").prefetch_related("account")
    lines = [
        Line(row.account.code, debit=row.credit, credit=row.debit, memo=row.memo) for row in rows
    ]
    try:
        async with in_transaction():
            return await Journal().post(
                original.cooperative_id,
                EntryKind.REVERSAL,
                f"Pembalikan: {original.description}"[:255],
                lines,
                note=why,
                actor_id=user.id,
                day=on,
                reversal_of_id=original.id,
            )
    except IntegrityError:  # a racing reversal of the same entry
        raise already from None
