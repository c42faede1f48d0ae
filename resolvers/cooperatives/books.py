"""A cooperative's double-entry books: its chart of accounts, posting, and its trial balance.

Every money movement is one balanced journal entry, written by `Journal.post` inside the
caller's database transaction together with the change of the members' savings it records.
Savings change by conditional atomic updates only, so no balance goes negative whatever
races, and each savings balance equals the sum of its journal lines at every moment.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, cast

from tortoise import connections
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.exceptions import IntegrityError, OperationalError
from tortoise.expressions import F
from tortoise.functions import Sum

from models.cooperatives import (
    AccountKind,
    Cooperative,
    EntryKind,
    JournalEntry,
    JournalLine,
    LedgerAccount,
    Membership,
    SavingsAccount,
    SavingsKind,
    TimeDeposit,
    TimeDepositStatus,
)
from resolvers.platform import JAKARTA, Broker, ErrorCode, UserError, today

logger = logging.getLogger("satupintu.cooperatives")

KAS = "1-1100"
BANK = "1-1200"
PIUTANG_PINJAMAN = "1-1300"
DEPOSIT_PPOB = "1-1400"
PIUTANG_PLATFORM = "1-1500"
PIUTANG_ANTAR_ANGGOTA = "1-1600"
PENYISIHAN_PIUTANG = "1-1700"
INVENTARIS = "1-2100"
AKUMULASI_PENYUSUTAN = "1-2200"
SIMPANAN_SUKARELA = "2-1100"
UTANG_TOKO = "2-1200"  # Utang kepada Platform
UTANG_SHU = "2-1300"
SIMPANAN_BERJANGKA = "2-1400"
UTANG_PAJAK = "2-1500"
DANA_ALOKASI_SHU = "2-1900"
UTANG_BANK = "2-2100"
SIMPANAN_POKOK = "3-1100"
SIMPANAN_WAJIB = "3-1200"
MODAL_PENYERTAAN = "3-1300"
DONASI_HIBAH = "3-1400"
CADANGAN = "3-2100"
SHU_BELUM_DIBAGI = "3-3100"
PENDAPATAN_JASA = "4-1100"
PENDAPATAN_DENDA = "4-1200"
PENDAPATAN_ADMIN_PPOB = "4-1300"
PENDAPATAN_ADMINISTRASI = "4-1400"
PENDAPATAN_PENALTI_BERJANGKA = "4-1500"
PENDAPATAN_LAIN = "4-1900"
BEBAN_GAJI = "5-1100"
BEBAN_SEWA = "5-1200"
BEBAN_LISTRIK_AIR = "5-1300"
BEBAN_ATK = "5-1400"
BEBAN_PENYUSUTAN = "5-1500"
BEBAN_PENYISIHAN = "5-1600"
BEBAN_JASA_SIMPANAN = "5-1700"
BEBAN_JASA_BERJANGKA = "5-1800"
BEBAN_BUNGA_BANK = "5-1900"
BEBAN_RAT = "5-2000"
BEBAN_LAIN = "5-9900"


@dataclass(frozen=True)
class Seeded:
    """An account every cooperative's chart starts with (a KSP's chart)."""

    code: str
    name: str
    kind: AccountKind
    is_cash: bool = False
    is_control: bool = False


_A, _L, _E, _I, _X = (
    AccountKind.ASSET,
    AccountKind.LIABILITY,
    AccountKind.EQUITY,
    AccountKind.INCOME,
    AccountKind.EXPENSE,
)
# Simpanan pokok and wajib are equity (modal sendiri, UU 25/1992 art. 41), simpanan sukarela a
# debt to the members. SHU Belum Dibagi takes a closed year's surplus; Dana Alokasi SHU owes
# its rest pool (dana pengurus, pendidikan, sosial...). Penyisihan is a contra asset.
CHART: tuple[Seeded, ...] = (
    Seeded(KAS, "Kas", _A, is_cash=True),
    Seeded(BANK, "Bank", _A, is_cash=True),
    Seeded(PIUTANG_PINJAMAN, "Piutang Pinjaman Anggota", _A, is_control=True),
    Seeded(DEPOSIT_PPOB, "Deposit PPOB", _A),
    Seeded(PIUTANG_PLATFORM, "Piutang dari Platform", _A, is_control=True),
    Seeded(PIUTANG_ANTAR_ANGGOTA, "Piutang Antar Anggota", _A, is_control=True),
    Seeded(PENYISIHAN_PIUTANG, "Penyisihan Piutang Tak Tertagih", _A),
    Seeded(INVENTARIS, "Inventaris", _A),
    Seeded(AKUMULASI_PENYUSUTAN, "Akumulasi Penyusutan Inventaris", _A),
    Seeded(SIMPANAN_SUKARELA, "Simpanan Sukarela", _L, is_control=True),
    Seeded(UTANG_TOKO, "Utang kepada Platform", _L, is_control=True),
    Seeded(UTANG_SHU, "Utang SHU Anggota", _L),
    Seeded(SIMPANAN_BERJANGKA, "Simpanan Berjangka", _L, is_control=True),
    Seeded(UTANG_PAJAK, "Utang Pajak", _L),
    Seeded(DANA_ALOKASI_SHU, "Dana Alokasi SHU", _L),
    Seeded(UTANG_BANK, "Utang Bank", _L),
    Seeded(SIMPANAN_POKOK, "Simpanan Pokok", _E, is_control=True),
    Seeded(SIMPANAN_WAJIB, "Simpanan Wajib", _E, is_control=True),
    Seeded(MODAL_PENYERTAAN, "Modal Penyertaan", _E),
    Seeded(DONASI_HIBAH, "Donasi/Hibah", _E),
    Seeded(CADANGAN, "Cadangan", _E),
    Seeded(SHU_BELUM_DIBAGI, "SHU Belum Dibagi", _E),
    Seeded(PENDAPATAN_JASA, "Pendapatan Jasa Pinjaman", _I),
    Seeded(PENDAPATAN_DENDA, "Pendapatan Denda", _I),
    Seeded(PENDAPATAN_ADMIN_PPOB, "Pendapatan Admin PPOB", _I),
    Seeded(PENDAPATAN_ADMINISTRASI, "Pendapatan Administrasi", _I),
    Seeded(PENDAPATAN_PENALTI_BERJANGKA, "Pendapatan Penalti Simpanan Berjangka", _I),
    Seeded(PENDAPATAN_LAIN, "Pendapatan Lain-lain", _I),
    Seeded(BEBAN_GAJI, "Beban Gaji", _X),
    Seeded(BEBAN_SEWA, "Beban Sewa", _X),
    Seeded(BEBAN_LISTRIK_AIR, "Beban Listrik dan Air", _X),
    Seeded(BEBAN_ATK, "Beban ATK", _X),
    Seeded(BEBAN_PENYUSUTAN, "Beban Penyusutan", _X),
    Seeded(BEBAN_PENYISIHAN, "Beban Penyisihan Piutang", _X),
    Seeded(BEBAN_JASA_SIMPANAN, "Beban Jasa Simpanan", _X),
    Seeded(BEBAN_JASA_BERJANGKA, "Beban Jasa Simpanan Berjangka", _X),
    Seeded(BEBAN_BUNGA_BANK, "Beban Bunga Bank", _X),
    Seeded(BEBAN_RAT, "Beban RAT", _X),
    Seeded(BEBAN_LAIN, "Beban Lain-lain", _X),
)
SAVINGS_ACCOUNTS = {
    SavingsKind.POKOK: SIMPANAN_POKOK,
    SavingsKind.WAJIB: SIMPANAN_WAJIB,
    SavingsKind.SUKARELA: SIMPANAN_SUKARELA,
}
_SAVINGS_OF = {code: kind for kind, code in SAVINGS_ACCOUNTS.items()}
# Accounts whose balance is on the debit side.
DEBIT_NORMAL = frozenset([AccountKind.ASSET, AccountKind.EXPENSE])


def transactions_channel(cooperative_id: int) -> str:
    return f"cooperative:{cooperative_id}:transactions"


class InsufficientBalance(UserError):
    def __init__(self) -> None:
        super().__init__(
            ErrorCode.INSUFFICIENT_BALANCE, "Saldo simpanan tidak mencukupi.", "amount"
        )


class DepositShort(UserError):
    """The cooperative's Deposit PPOB at the biller cannot pay an outside bill."""

    def __init__(self) -> None:
        super().__init__(
            ErrorCode.INSUFFICIENT_BALANCE,
            "Deposit PPOB koperasi belum cukup untuk tagihan ini; hubungi pengurus koperasi.",
            "billIds",
        )


@dataclass(frozen=True)
class Line:
    """A debit or credit on an account of the chart; `membership_id` names whose savings move
    when the account is a simpanan."""

    code: str
    debit: int = 0
    credit: int = 0
    membership_id: int | None = None
    memo: str | None = None


@dataclass(frozen=True)
class MemberLine:
    """A journal line on a member's savings: `amount` is positive into the savings and
    negative out of them. Who may see which field is `resolvers.cooperatives.audience`'s
    rule: the fields only the member and the pengurus see are None in the copy others get."""

    id: int
    cooperative_id: int
    membership_id: int | None
    member_number: int | None
    kind: EntryKind
    account: SavingsKind
    amount: int
    balance_after: int | None
    description: str
    note: str | None
    created_at: datetime

    def event(self) -> dict[str, object]:
        return {**self.__dict__, "created_at": self.created_at.isoformat()}

    @classmethod
    def of_event(cls, event: dict[str, object]) -> MemberLine:
        fields: dict[str, Any] = {
            **event,
            "kind": EntryKind(str(event["kind"])),
            "account": SavingsKind(str(event["account"])),
            "created_at": datetime.fromisoformat(str(event["created_at"])),
        }
        return cls(**fields)

    @classmethod
    def of_row(cls, line: JournalLine, member_number: int | None) -> MemberLine:
        """From a line with its entry loaded."""
        entry = line.entry
        assert line.membership_id is not None  # only lines on a member's savings
        return cls(
            id=line.id,
            cooperative_id=entry.cooperative_id,
            membership_id=line.membership_id,
            member_number=member_number,
            kind=EntryKind(entry.kind),
            account=SavingsKind(line.savings),
            amount=line.credit - line.debit,
            balance_after=line.balance_after,
            description=entry.description,
            note=entry.note,
            created_at=entry.created_at,
        )


async def open_books(*cooperative_ids: int) -> None:
    """The cooperatives' charts of accounts, in the caller's transaction."""
    await LedgerAccount.bulk_create(
        [
            LedgerAccount(
                cooperative_id=cooperative_id,
                code=a.code,
                name=a.name,
                kind=a.kind,
                is_cash=a.is_cash,
                is_control=a.is_control,
            )
            for cooperative_id in cooperative_ids
            for a in CHART
        ]
    )


_account_ids: dict[int, dict[str, int]] = {}


async def _accounts_of(cooperative_id: int, *codes: str) -> dict[str, int]:
    # A code never changes its account, so ids are read once per process, and again when a
    # code is new to this process (a sub-account the pengurus added).
    found = _account_ids.get(cooperative_id)
    if found is None or not found.keys() >= set(codes):
        rows = await LedgerAccount.filter(cooperative_id=cooperative_id).values_list("code", "id")
        found = _account_ids[cooperative_id] = dict(rows)
    return found


def _whole_positive(line: Line) -> bool:
    """Whether the line is one whole, positive rupiah amount (a debit or a credit)."""
    amounts = (line.debit, line.credit)
    return all(type(a) is int for a in amounts) and min(amounts) == 0 and max(amounts) > 0


def _check_balanced(lines: Sequence[Line]) -> None:
    """A zero, negative or fractional amount is the caller's input refused (never INTERNAL);
    lines that do not balance are a bug."""
    if not all(_whole_positive(line) for line in lines):
        raise UserError(ErrorCode.INVALID, "Jumlah harus rupiah utuh dan lebih dari nol.", "amount")
    if len(lines) < 2:
        raise ValueError("an entry has at least two lines")
    if sum(line.debit for line in lines) != sum(line.credit for line in lines):
        raise ValueError("debits and credits differ")
    for line in lines:
        if (line.code in _SAVINGS_OF) != (line.membership_id is not None):
            raise ValueError("a simpanan line names its member, and only such a line does")


CLOSED_YEAR = "closed book year"  # the database triggers' message (migration 0030)


def closed_year_error(year: int) -> UserError:
    return UserError(
        ErrorCode.INVALID_STATE,
        f"Tahun buku {year} sudah ditutup: tidak ada transaksi yang bisa dicatat di dalamnya.",
        "date",
    )


@contextmanager
def closed_year_refused(day: date) -> Iterator[None]:
    """The database's refusal of an entry dated in a closed book year, as a UserError."""
    try:
        yield
    except (IntegrityError, OperationalError) as failure:
        if CLOSED_YEAR in str(failure):
            raise closed_year_error(day.year) from None
        raise


def _marks(client: BaseDBAsyncClient) -> Callable[[int], str]:
    """Numbered placeholders in the database's style, so that one value can be used twice."""
    if client.capabilities.dialect == "postgres":
        return lambda n: f"${n}"
    return lambda n: f"?{n}"


async def _move_savings(membership_id: int, kind: SavingsKind, delta: int) -> int:
    """Change one savings balance atomically; its balance after, or a UserError.

    One conditional UPDATE ... RETURNING: the row's lock (PostgreSQL) or the write lock
    (SQLite) is taken here, as late in the transaction as possible."""
    client = connections.get("default")
    mark = _marks(client)
    # execute_query_dict: the asyncpg client's execute_query drops a RETURNING clause's rows.
    rows = await client.execute_query_dict(
        f"UPDATE savings_account SET balance = balance + {mark(1)} WHERE membership_id = "
        f"{mark(2)} AND kind = {mark(3)} AND is_open AND balance + {mark(1)} >= 0 "
        "RETURNING balance",
        [delta, membership_id, kind.value],
    )
    if rows:
        return rows[0]["balance"]
    if await SavingsAccount.exists(membership_id=membership_id, kind=kind, is_open=True):
        raise InsufficientBalance()
    raise UserError(ErrorCode.INVALID_STATE, "Simpanan anggota ini sudah ditutup.", "membershipId")


async def _move_deposit(cooperative_id: int, delta: int) -> None:
    """Move the cooperative's Deposit PPOB by `delta` atomically: a credit that would take it
    below 0 is refused (a balance below 0 from before it was kept only goes up)."""
    client = connections.get("default")
    mark = _marks(client)
    moved = await client.execute_query_dict(
        f"UPDATE cooperative SET ppob_deposit = ppob_deposit + {mark(1)} WHERE id = {mark(2)} "
        f"AND (ppob_deposit + {mark(1)} >= 0 OR {mark(1)} > 0) RETURNING id",
        [delta, cooperative_id],
    )
    if not moved:
        raise DepositShort()


async def lock_books(cooperative_id: int) -> Cooperative:
    """The cooperative's row lock, inside a transaction: writers that read a balance of its
    books before posting (the allowance, a write-off, a fund's use) queue on it."""
    await Cooperative.filter(id=cooperative_id).update(ppob_deposit=F("ppob_deposit"))
    return await Cooperative.get(id=cooperative_id)


async def account_balance(cooperative_id: int, code: str) -> int:
    """One account's balance on its normal side, from its lines (0 for an account its chart
    does not have)."""
    account = await LedgerAccount.get_or_none(cooperative_id=cooperative_id, code=code)
    if account is None:
        return 0
    rows = (
        await JournalLine.filter(account_id=account.id)
        .group_by("account_id")
        .annotate(d=Sum("debit"), c=Sum("credit"))
        .values("d", "c")
    )
    debit = sum(int(row["d"] or 0) for row in rows)  # PostgreSQL sums BIGINT as NUMERIC
    credit = sum(int(row["c"] or 0) for row in rows)
    if AccountKind(account.kind) in DEBIT_NORMAL:
        return debit - credit
    return credit - debit


LINES_PER_INSERT = 1000  # 8,000 parameters: under SQLite's and PostgreSQL's 32,766


async def _insert_lines(rows: list[tuple[object, ...]]) -> list[int]:
    """The lines in one INSERT per thousand; their ids in the order given (a sequence numbers
    rows in the order of VALUES)."""
    client = connections.get("default")
    mark = _marks(client)
    width = len(rows[0])
    ids: list[int] = []
    for start in range(0, len(rows), LINES_PER_INSERT):
        part = rows[start : start + LINES_PER_INSERT]
        values = ", ".join(
            "(" + ", ".join(mark(r * width + c + 1) for c in range(width)) + ")"
            for r in range(len(part))
        )
        found = await client.execute_query_dict(
            "INSERT INTO journal_line (entry_id, account_id, debit, credit, membership_id, "
            f"savings, balance_after, memo) VALUES {values} RETURNING id",
            [value for row in part for value in row],
        )
        ids += sorted(row["id"] for row in found)
    return ids


class Journal:
    """Entries posted in one database transaction, published to the live feed once committed.
    Lines on Deposit PPOB move the cooperative's `ppob_deposit` with them, never below 0."""

    def __init__(self) -> None:
        self.posted: list[MemberLine] = []

    async def post(
        self,
        cooperative_id: int,
        kind: EntryKind,
        description: str,
        lines: Sequence[Line],
        *,
        note: str = "",
        actor_id: int | None = None,
        order_id: int | None = None,
        membership_id: int | None = None,
        at: datetime | None = None,
        day: date | None = None,
        reversal_of_id: int | None = None,
        receipt_image_id: int | None = None,
    ) -> JournalEntry:
        """Write one balanced entry and move the savings its lines name; inside a transaction.

        Every follower of the cooperative's feed reads `description`: generic per kind of
        movement ("Pembayaran tagihan listrik"), never a name, customer number or reason;
        those go to `note`, which only the member and the pengurus see.

        The entry is written before the savings move and its lines right after, so that a
        racing movement of the same savings waits as briefly as it can. `membership_id` names
        the member whose business it is; by default the one member its lines name, if one.
        `at` dates the demo's year of history; the API posts everything as it happens. `day` is
        the business day it records (default: `at`'s or today, Asia/Jakarta); a day in a
        closed book year is refused by the database, answered as INVALID_STATE."""
        _check_balanced(lines)
        accounts = await _accounts_of(cooperative_id, *(line.code for line in lines))
        members = {line.membership_id for line in lines} - {None}
        if membership_id is None and len(members) == 1:
            membership_id = next(iter(members))
        numbers = dict(await Membership.filter(id__in=members).values_list("id", "number"))
        if day is None:
            day = at.astimezone(JAKARTA).date() if at else today()
        with closed_year_refused(day):
            entry = await JournalEntry.create(
                cooperative_id=cooperative_id,
                kind=kind,
                description=description,
                note=note,
                actor_id=actor_id,
                order_id=order_id,
                membership_id=membership_id,
                date=day,
                reversal_of_id=reversal_of_id,
                receipt_image_id=receipt_image_id,
                **cast(dict[str, Any], {"created_at": at} if at else {}),
            )
        deposit = sum(line.debit - line.credit for line in lines if line.code == DEPOSIT_PPOB)
        if deposit:
            await _move_deposit(cooperative_id, deposit)
        after = [
            None
            if line.membership_id is None
            else await _move_savings(
                line.membership_id, _SAVINGS_OF[line.code], line.credit - line.debit
            )
            for line in lines
        ]
        ids = await _insert_lines(
            [
                (entry.id, accounts[line.code], line.debit, line.credit, line.membership_id,
                 _SAVINGS_OF[line.code].value if line.membership_id else None, balance,
                 line.memo)
                for line, balance in zip(lines, after, strict=True)
            ]
        )  # fmt: skip
        for line_id, line, balance in zip(ids, lines, after, strict=True):
            if line.membership_id is not None and balance is not None:
                self.posted.append(
                    MemberLine(
                        id=line_id,
                        cooperative_id=cooperative_id,
                        membership_id=line.membership_id,
                        member_number=numbers[line.membership_id],
                        kind=kind,
                        account=_SAVINGS_OF[line.code],
                        amount=line.credit - line.debit,
                        balance_after=balance,
                        description=description,
                        note=note,
                        created_at=entry.created_at,
                    )
                )
        return entry

    async def publish(self, events: Broker) -> None:
        """After the commit: a broker outage must not undo a movement."""
        for line in self.posted:
            try:
                await events.publish(transactions_channel(line.cooperative_id), line.event())
            except Exception:
                logger.exception("could not publish journal line %s", line.id)


@dataclass(frozen=True)
class AccountBalance:
    code: str
    name: str
    kind: AccountKind
    debit: int
    credit: int

    @property
    def balance(self) -> int:
        """On the account's normal side: debit for assets and expenses, credit otherwise."""
        if self.kind in DEBIT_NORMAL:
            return self.debit - self.credit
        return self.credit - self.debit


async def trial_balance(cooperative_id: int) -> list[AccountBalance]:
    """Every account of the chart with its total debits and credits, in chart order."""
    sums = {
        # PostgreSQL sums BIGINT as NUMERIC.
        row["account_id"]: (int(row["debit"] or 0), int(row["credit"] or 0))
        for row in await JournalLine.filter(account__cooperative_id=cooperative_id)
        .group_by("account_id")
        .annotate(debit=Sum("debit"), credit=Sum("credit"))
        .values("account_id", "debit", "credit")
    }
    accounts = await LedgerAccount.filter(cooperative_id=cooperative_id).order_by("code")
    return [
        AccountBalance(a.code, a.name, AccountKind(a.kind), *sums.get(a.id, (0, 0)))
        for a in accounts
    ]


async def audit() -> list[str]:
    """What breaks the journal's invariant, if anything: entries whose debits and credits
    differ, savings whose balance is negative or not the sum of their lines, Deposit PPOB
    balances that are not the sum of their lines, and Simpanan Berjangka balances that are not
    what the ACTIVE time deposits hold (principal and the net interest kept)."""
    problems = [
        f"entry {row['entry_id']}: debit {row['d']} != credit {row['c']}"
        for row in await JournalLine.all()
        .group_by("entry_id")
        .annotate(d=Sum("debit"), c=Sum("credit"))
        .values("entry_id", "d", "c")
        if row["d"] != row["c"]
    ]
    sums = {
        (row["membership_id"], row["savings"]): int(row["c"] or 0) - int(row["d"] or 0)
        for row in await JournalLine.filter(membership_id__isnull=False)
        .group_by("membership_id", "savings")
        .annotate(d=Sum("debit"), c=Sum("credit"))
        .values("membership_id", "savings", "d", "c")
    }
    for account in await SavingsAccount.all():
        lines = sums.get((account.membership_id, SavingsKind(account.kind)), 0)
        if account.balance < 0 or account.balance != lines:
            problems.append(f"savings {account.id}: balance {account.balance}, lines {lines}")
    deposits = await _debits_by_cooperative(DEPOSIT_PPOB)
    for cooperative_id, kept in await Cooperative.all().values_list("id", "ppob_deposit"):
        if kept != deposits.get(cooperative_id, 0):
            problems.append(f"cooperative {cooperative_id}: deposit {kept}, lines")
    owed = await _debits_by_cooperative(SIMPANAN_BERJANGKA)
    for row in (
        await TimeDeposit.filter(status=TimeDepositStatus.ACTIVE)
        .group_by("membership__cooperative_id")
        .annotate(p=Sum("principal"), n=Sum("accrued_net"))
        .values("membership__cooperative_id", "p", "n")
    ):
        cooperative_id = row["membership__cooperative_id"]
        held = int(row["p"] or 0) + int(row["n"] or 0)
        if -owed.pop(cooperative_id, 0) != held:
            problems.append(f"cooperative {cooperative_id}: time deposits {held}, lines")
    problems += [f"cooperative {c}: time deposits 0, lines" for c, v in owed.items() if v]
    return problems


async def _debits_by_cooperative(code: str) -> dict[int, int]:
    """Each cooperative's debits less credits on the account `code`, from its lines."""
    return {
        row["account__cooperative_id"]: int(row["d"] or 0) - int(row["c"] or 0)
        for row in await JournalLine.filter(account__code=code)
        .group_by("account__cooperative_id")
        .annotate(d=Sum("debit"), c=Sum("credit"))
        .values("account__cooperative_id", "d", "c")
    }
