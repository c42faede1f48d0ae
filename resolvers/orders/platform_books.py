"""The platform's double-entry books: its chart (kept in code), posting one balanced entry
inside the caller's transaction, its trial balance, the clearing with each cooperative, and
the audit of its invariants.

The clearing accounts (Piutang Koperasi, Utang kepada Koperasi) carry a sub-ledger per
cooperative: their lines name it, and mirror that cooperative's Utang kepada Platform and
Piutang dari Platform, written in the same database transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from tortoise.functions import Min, Sum

from models.cooperatives import AccountKind
from models.payouts import PlatformEntry, PlatformEntryKind, PlatformLine
from resolvers.platform import today

KAS_BANK = "1-1100"
PIUTANG_KOPERASI = "1-1200"
DANA_TITIPAN = "2-1100"
SALDO_PENJUAL = "2-1200"
PAYOUT_PROSES = "2-1300"
UTANG_KOPERASI = "2-1400"
PENDAPATAN_KOMISI = "4-1100"


@dataclass(frozen=True)
class Account:
    code: str
    name: str
    kind: AccountKind


CHART = (
    Account(KAS_BANK, "Kas dan Bank", AccountKind.ASSET),
    Account(PIUTANG_KOPERASI, "Piutang Koperasi", AccountKind.ASSET),
    Account(DANA_TITIPAN, "Dana Titipan Pembeli", AccountKind.LIABILITY),
    Account(SALDO_PENJUAL, "Saldo Penjual", AccountKind.LIABILITY),
    Account(PAYOUT_PROSES, "Payout dalam Proses", AccountKind.LIABILITY),
    Account(UTANG_KOPERASI, "Utang kepada Koperasi", AccountKind.LIABILITY),
    Account(PENDAPATAN_KOMISI, "Pendapatan Komisi", AccountKind.INCOME),
)
KINDS = {account.code: account.kind for account in CHART}
CLEARING = frozenset([PIUTANG_KOPERASI, UTANG_KOPERASI])


@dataclass(frozen=True)
class Entry:
    """A debit or credit of the platform's chart; `cooperative_id` names the sub-ledger of a
    clearing account, and only such a line names one."""

    code: str
    debit: int = 0
    credit: int = 0
    cooperative_id: int | None = None


def _check(lines: Sequence[Entry]) -> list[Entry]:
    """The lines without zero amounts; lines that do not balance are a bug."""
    kept = [line for line in lines if line.debit or line.credit]
    if len(kept) < 2 or sum(x.debit for x in kept) != sum(x.credit for x in kept):
        raise ValueError("a platform entry has two or more lines whose debits equal credits")
    for line in kept:
        if line.code not in KINDS or min(line.debit, line.credit) < 0:
            raise ValueError(f"not a line of the platform's chart: {line}")
        if (line.code in CLEARING) != (line.cooperative_id is not None):
            raise ValueError("a clearing line names its cooperative, and only such a line")
    return kept


async def post(
    kind: PlatformEntryKind,
    description: str,
    lines: Sequence[Entry],
    *,
    order_id: int | None = None,
    payout_id: int | None = None,
    settlement_id: int | None = None,
    day: date | None = None,
) -> PlatformEntry:
    """Write one balanced entry of the platform's books, inside the caller's transaction;
    dated `day` (default today, Asia/Jakarta)."""
    kept = _check(lines)
    entry = await PlatformEntry.create(
        kind=kind,
        description=description,
        order_id=order_id,
        payout_id=payout_id,
        settlement_id=settlement_id,
        date=day or today(),
    )
    await PlatformLine.bulk_create(
        [
            PlatformLine(
                entry_id=entry.id,
                account=line.code,
                debit=line.debit,
                credit=line.credit,
                cooperative_id=line.cooperative_id,
            )
            for line in kept
        ]
    )
    return entry


def on_normal_side(code: str, debit: int, credit: int) -> int:
    if KINDS[code] in (AccountKind.ASSET, AccountKind.EXPENSE):
        return debit - credit
    return credit - debit


@dataclass(frozen=True)
class AccountTotal:
    account: Account
    debit: int
    credit: int

    @property
    def balance(self) -> int:
        return on_normal_side(self.account.code, self.debit, self.credit)


async def trial_balance() -> list[AccountTotal]:
    """Every account of the chart with its total debits and credits, in chart order."""
    sums = {
        # PostgreSQL sums BIGINT as NUMERIC.
        row["account"]: (int(row["d"] or 0), int(row["c"] or 0))
        for row in await PlatformLine.all()
        .group_by("account")
        .annotate(d=Sum("debit"), c=Sum("credit"))
        .values("account", "d", "c")
    }
    return [AccountTotal(a, *sums.get(a.code, (0, 0))) for a in CHART]


@dataclass(frozen=True)
class Clearing:
    """One side's clearing with a cooperative: what the cooperative owes the platform, what
    the platform owes it."""

    cooperative_id: int
    owed_to_platform: int
    owed_by_platform: int

    @property
    def net(self) -> int:
        return self.owed_to_platform - self.owed_by_platform


async def clearings(cooperative_id: int | None = None) -> list[Clearing]:
    """The platform's side of the clearing for every cooperative it has had a movement with
    (oldest first), or for one."""
    query = PlatformLine.filter(cooperative_id__isnull=False)
    if cooperative_id is not None:
        query = query.filter(cooperative_id=cooperative_id)
    sums: dict[int, dict[str, int]] = {}
    first_line: dict[int, int] = {}
    for row in (
        await query.group_by("cooperative_id", "account")
        .annotate(d=Sum("debit"), c=Sum("credit"), first=Min("id"))
        .values("cooperative_id", "account", "d", "c", "first")
    ):
        coop = row["cooperative_id"]
        balance = on_normal_side(row["account"], int(row["d"] or 0), int(row["c"] or 0))
        sums.setdefault(coop, {})[row["account"]] = balance
        first_line[coop] = min(first_line.get(coop, row["first"]), row["first"])
    return [
        Clearing(coop, found.get(PIUTANG_KOPERASI, 0), found.get(UTANG_KOPERASI, 0))
        for coop, found in sorted(sums.items(), key=lambda item: first_line[item[0]])
    ]


async def clearing_of(cooperative_id: int) -> Clearing:
    found = await clearings(cooperative_id)
    return found[0] if found else Clearing(cooperative_id, 0, 0)


async def audit_entries() -> list[str]:
    """Entries of the platform's journal whose debits and credits differ."""
    return [
        f"platform entry {row['entry_id']}: debit {row['d']} != credit {row['c']}"
        for row in await PlatformLine.all()
        .group_by("entry_id")
        .annotate(d=Sum("debit"), c=Sum("credit"))
        .values("entry_id", "d", "c")
        if row["d"] != row["c"]
    ]
