"""The chart of accounts as the pengurus keeps it: the seeded KSP chart, sub-accounts the
pengurus add and remove, each account's balance, and who may read or write the books.

The books (chart, journal, ledgers, years, statements) are read by the cooperative's pengurus
and the Dinas (CITY_ADMIN); they are written by a pengurus with the bookkeeping right, which
every pengurus has (a cooperative that limits it is not modelled yet).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from tortoise.exceptions import IntegrityError
from tortoise.expressions import Q, Subquery
from tortoise.functions import Sum
from tortoise.transactions import in_transaction

from models.cooperatives import (
    AccountKind,
    Cooperative,
    CooperativeAdmin,
    JournalEntry,
    JournalLine,
    LedgerAccount,
)
from models.platform import User
from resolvers.cooperatives.books import DEBIT_NORMAL
from resolvers.cooperatives.cooperative import CoopViewer, coop_viewer, require_pengurus
from resolvers.platform import ErrorCode, UserError, Validator, require_user, visibility

KIND_DIGIT = {
    AccountKind.ASSET: "1",
    AccountKind.LIABILITY: "2",
    AccountKind.EQUITY: "3",
    AccountKind.INCOME: "4",
    AccountKind.EXPENSE: "5",
}
CODE = re.compile(r"^[1-5]-\d{4,7}$")


def books_for(viewer: User | None) -> Q | None:
    """Accounts and entries: the cooperative's pengurus and the Dinas."""
    if viewer is None:
        return None
    if viewer.is_city_admin:
        return Q()
    return Q(
        cooperative_id__in=Subquery(
            CooperativeAdmin.filter(user_id=viewer.id).values("cooperative_id")
        )
    )


visibility.register("LedgerAccount", LedgerAccount, books_for)
visibility.register("JournalEntry", JournalEntry, books_for)


def can_read_books(who: CoopViewer, cooperative_id: int) -> bool:
    return who.is_city_admin or cooperative_id in who.administered


def require_bookkeeper(who: CoopViewer, cooperative_id: int, field: str = "cooperativeId") -> None:
    """The bookkeeping right: a pengurus of the cooperative (the Dinas only reads)."""
    require_pengurus(who, cooperative_id, field)


async def bookkeeper_of(viewer: User | None, cooperative_id: int) -> Cooperative:
    """The cooperative whose books the viewer writes, or the UserError that refuses them."""
    user = require_user(viewer)
    cooperative = await Cooperative.get_or_none(id=cooperative_id)
    if cooperative is None:
        raise UserError(ErrorCode.NOT_FOUND, "Koperasi tidak ditemukan.", "cooperativeId")
    require_bookkeeper(await coop_viewer(user), cooperative_id)
    return cooperative


async def readable_account(viewer: User | None, account_id: int, field: str) -> LedgerAccount:
    """An account the viewer may read (else NOT_FOUND) and write (else PERMISSION_DENIED)."""
    user = require_user(viewer)
    who = await coop_viewer(user)
    account = await LedgerAccount.get_or_none(id=account_id)
    if account is None or not can_read_books(who, account.cooperative_id):
        raise UserError(ErrorCode.NOT_FOUND, "Akun tidak ditemukan.", field)
    require_bookkeeper(who, account.cooperative_id, field)
    return account


async def chart_of(cooperative_id: int) -> list[LedgerAccount]:
    return await LedgerAccount.filter(cooperative_id=cooperative_id).order_by("code")


async def balances(account_ids: list[int], as_of: date | None) -> dict[int, tuple[int, int]]:
    """Each account's total debits and credits up to the end of `as_of` (all when None)."""
    query = JournalLine.filter(account_id__in=account_ids)
    if as_of is not None:
        query = query.filter(entry__date__lte=as_of)
    return {
        # PostgreSQL sums BIGINT as NUMERIC.
        row["account_id"]: (int(row["d"] or 0), int(row["c"] or 0))
        for row in await query.group_by("account_id")
        .annotate(d=Sum("debit"), c=Sum("credit"))
        .values("account_id", "d", "c")
    }


async def balances_of(cooperative_id: int, as_of: date | None) -> dict[int, tuple[int, int]]:
    """Every account of the chart's totals up to the end of `as_of`, in one query."""
    ids = await LedgerAccount.filter(cooperative_id=cooperative_id).values_list("id", flat=True)
    return await balances([int(i) for i in ids], as_of)  # type: ignore[call-overload]


async def accounts_with_entries(cooperative_id: int) -> set[int]:
    found = (
        await JournalLine.filter(account__cooperative_id=cooperative_id)
        .distinct()
        .values_list("account_id", flat=True)
    )
    return {int(i) for i in found}  # type: ignore[call-overload]


def normal_balance(kind: AccountKind, debit: int, credit: int) -> int:
    return debit - credit if kind in DEBIT_NORMAL else credit - debit


@dataclass(frozen=True)
class NewAccount:
    kind: AccountKind
    name: str
    parent_id: int | None = None
    code: str | None = None


def _next_code(taken: set[str], kind: AccountKind, parent: LedgerAccount | None) -> str:
    """Under a parent: its code + 1, + 2...; else the kind's next free hundred."""
    if parent is not None:
        prefix, _, number = parent.code.partition("-")
        step, start = 1, int(number) + 1
    else:
        prefix = KIND_DIGIT[kind]
        numbers = [int(c.partition("-")[2]) for c in taken if c.startswith(prefix + "-")]
        step, start = 100, (max(numbers, default=0) // 100 + 1) * 100
    candidate = start
    while f"{prefix}-{candidate:04d}" in taken:
        candidate += step
    return f"{prefix}-{candidate:04d}"


async def create_account(
    viewer: User | None, cooperative_id: int, given: NewAccount
) -> LedgerAccount:
    await bookkeeper_of(viewer, cooperative_id)
    check = Validator()
    name = " ".join(check.text("input.name", given.name, "Nama akun", 80, required=True).split())
    code = given.code.strip() if given.code is not None else None
    if code is not None and not (
        CODE.match(code) and code.startswith(KIND_DIGIT[given.kind] + "-")
    ):
        check.add(
            "input.code",
            ErrorCode.INVALID,
            f"Kode akun berbentuk {KIND_DIGIT[given.kind]}-NNNN untuk jenis akun ini.",
        )
    parent = None
    if given.parent_id is not None:
        parent = await LedgerAccount.get_or_none(id=given.parent_id, cooperative_id=cooperative_id)
        if parent is None or parent.kind != given.kind:
            check.add(
                "input.parentId",
                ErrorCode.INVALID,
                "Akun induk harus akun koperasi ini dengan jenis yang sama.",
            )
    check.check()
    taken = {
        str(c)
        for c in await LedgerAccount.filter(cooperative_id=cooperative_id).values_list(
            "code", flat=True
        )
    }
    if code is None:
        code = _next_code(taken, given.kind, parent)
    if code in taken or await LedgerAccount.exists(cooperative_id=cooperative_id, name=name):
        raise _duplicate()
    try:
        async with in_transaction():
            return await LedgerAccount.create(
                cooperative_id=cooperative_id,
                code=code,
                name=name,
                kind=given.kind,
                parent_id=parent.id if parent else None,
                is_system=False,
            )
    except IntegrityError:  # a racing creation took the name or the code
        raise _duplicate() from None


def _duplicate() -> UserError:
    return UserError(
        ErrorCode.DUPLICATE, "Nama atau kode akun ini sudah ada di bagan akun.", "input.name"
    )


async def delete_account(viewer: User | None, account_id: int) -> None:
    account = await readable_account(viewer, account_id, "id")
    if account.is_system:
        raise UserError(ErrorCode.INVALID_STATE, "Akun bawaan bagan akun tidak bisa dihapus.", "id")
    refused = UserError(
        ErrorCode.INVALID_STATE,
        "Akun yang sudah punya transaksi atau sub-akun tidak bisa dihapus.",
        "id",
    )
    if await JournalLine.exists(account_id=account.id) or await LedgerAccount.exists(
        parent_id=account.id
    ):
        raise refused
    try:
        async with in_transaction():
            await LedgerAccount.filter(id=account.id).delete()
    except IntegrityError:  # a line or a sub-account arrived meanwhile: the foreign key holds
        raise refused from None
