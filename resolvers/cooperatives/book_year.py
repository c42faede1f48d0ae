"""The year-end close (tutup buku): one CLOSING entry dated 31 December moves every income and
expense balance of the year to SHU Belum Dibagi, and the year is locked; the database refuses
every journal row dated in it afterwards (migration 0030's triggers). Only the Dinas reopens
the latest closed year, which reverses its CLOSING entry and keeps the record.

The year's row is taken OPEN -> CLOSING -> CLOSED in one transaction: two closes racing
update one row, and only the first finds it OPEN."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, time

from tortoise.exceptions import IntegrityError
from tortoise.expressions import Q
from tortoise.functions import Sum
from tortoise.transactions import in_transaction

from models.cooperatives import (
    AccountKind,
    BookYear,
    BookYearAction,
    BookYearEvent,
    BookYearState,
    Cooperative,
    EntryKind,
    JournalEntry,
    JournalLine,
)
from models.loans import Loan, LoanLossAllowance
from models.platform import User
from resolvers.cooperatives.books import SHU_BELUM_DIBAGI, Journal, Line
from resolvers.cooperatives.chart import bookkeeper_of, normal_balance
from resolvers.platform import (
    JAKARTA,
    ErrorCode,
    UserError,
    Validator,
    now,
    require_user,
    rows_grouped_by,
    today,
)

RESULT_KINDS = (AccountKind.INCOME, AccountKind.EXPENSE)


def year_end(year: int) -> date:
    return date(year, 12, 31)


async def closing_entries(cooperative_id: int) -> list[int]:
    """The ids of the cooperative's CLOSING entries and of their reversals (a reopening)."""
    closing = await JournalEntry.filter(
        cooperative_id=cooperative_id, kind=EntryKind.CLOSING
    ).values_list("id", flat=True)
    undone = await JournalEntry.filter(reversal_of_id__in=list(closing)).values_list(
        "id", flat=True
    )
    return [int(i) for i in [*closing, *undone]]  # type: ignore[call-overload]


@dataclass(frozen=True)
class Result:
    """A year's (or period's) INCOME and EXPENSE balances by code, CLOSING entries left out."""

    balances: dict[str, tuple[AccountKind, int]]

    def total(self, kind: AccountKind) -> int:
        return sum(b for k, b in self.balances.values() if k == kind)

    @property
    def surplus(self) -> int:
        return self.total(AccountKind.INCOME) - self.total(AccountKind.EXPENSE)


async def result_of(cooperative_id: int, start: date, end: date) -> Result:
    rows = (
        await JournalLine.filter(
            account__cooperative_id=cooperative_id,
            account__kind__in=list(RESULT_KINDS),
            entry__date__gte=start,
            entry__date__lte=end,
        )
        .exclude(entry_id__in=await closing_entries(cooperative_id))
        .group_by("account__code", "account__kind")
        .annotate(d=Sum("debit"), c=Sum("credit"))
        .values("account__code", "account__kind", "d", "c")
    )
    balances = {}
    for r in rows:
        kind = AccountKind(r["account__kind"])
        balances[r["account__code"]] = (
            kind,
            normal_balance(kind, int(r["d"] or 0), int(r["c"] or 0)),
        )
    return Result(balances)


def _closing_lines(result: Result) -> list[Line]:
    """Each result account back to zero, and the surplus (or deficit) to SHU Belum Dibagi."""
    lines = []
    for code, (kind, balance) in sorted(result.balances.items()):
        if balance == 0:
            continue
        # An INCOME balance is a credit: debit it away; an EXPENSE balance the reverse.
        debit_it = (kind == AccountKind.INCOME) == (balance > 0)
        amount = abs(balance)
        lines.append(Line(code, debit=amount) if debit_it else Line(code, credit=amount))
    if result.surplus > 0:
        lines.append(Line(SHU_BELUM_DIBAGI, credit=result.surplus))
    elif result.surplus < 0:
        lines.append(Line(SHU_BELUM_DIBAGI, debit=-result.surplus))
    return lines


async def _year_row(cooperative_id: int, year: int) -> None:
    """The year's row exists (OPEN) before anyone takes it."""
    if await BookYear.exists(cooperative_id=cooperative_id, year=year):
        return
    try:
        async with in_transaction():
            await BookYear.create(cooperative_id=cooperative_id, year=year)
    except IntegrityError:  # a racing close made it
        pass


async def months_without_allowance(cooperative_id: int, year: int) -> list[str]:
    """The periods (YYYY-MM) of `year` in which the cooperative had a disbursed loan not yet
    paid off and whose month-end allowance was never posted."""
    start = datetime.combine(date(year, 1, 1), time(), JAKARTA)
    end = datetime.combine(year_end(year), time.max, JAKARTA)
    loans = await Loan.filter(
        Q(paid_off_at__isnull=True) | Q(paid_off_at__gte=start),
        membership__cooperative_id=cooperative_id,
        disbursed_at__lte=end,
    ).values_list("disbursed_at", "paid_off_at")
    posted: set[str] = set(
        await LoanLossAllowance.filter(
            cooperative_id=cooperative_id, period__startswith=f"{year}-"
        ).values_list("period", flat=True)  # type: ignore[arg-type]
    )
    missing = []
    for month in range(1, 13):
        first = datetime.combine(date(year, month, 1), time(), JAKARTA)
        last_day = date(year, month, calendar.monthrange(year, month)[1])
        last = datetime.combine(last_day, time.max, JAKARTA)
        had_loans = any(
            disbursed <= last and (paid_off is None or paid_off >= first)
            for disbursed, paid_off in loans
        )
        period = f"{year}-{month:02d}"
        if had_loans and period not in posted:
            missing.append(period)
    return missing


async def close_year(viewer: User | None, cooperative_id: int, year: int) -> BookYear:
    user = require_user(viewer)
    await bookkeeper_of(user, cooperative_id)
    if not 2000 <= year < today().year:
        raise UserError(
            ErrorCode.INVALID_STATE,
            f"Tahun buku {year} belum berakhir: tutup buku sesudah 31 Desember.",
            "year",
        )
    missing = await months_without_allowance(cooperative_id, year)
    if missing:
        raise UserError(
            ErrorCode.INVALID_STATE,
            f"Penyisihan piutang belum diposting untuk periode {', '.join(missing)}: "
            "posting dahulu sebelum tutup buku.",
            "year",
        )
    await _year_row(cooperative_id, year)
    closed = UserError(ErrorCode.INVALID_STATE, f"Tahun buku {year} sudah ditutup.", "year")
    async with in_transaction():
        taken = await BookYear.filter(
            cooperative_id=cooperative_id, year=year, state=BookYearState.OPEN
        ).update(state=BookYearState.CLOSING)
        if not taken:
            raise closed
        result = await result_of(cooperative_id, date(year, 1, 1), year_end(year))
        lines = _closing_lines(result)
        entry = None
        if len(lines) >= 2:
            entry = await Journal().post(
                cooperative_id,
                EntryKind.CLOSING,
                f"Tutup buku tahun {year}",
                lines,
                actor_id=user.id,
                day=year_end(year),
            )
        await BookYear.filter(cooperative_id=cooperative_id, year=year).update(
            state=BookYearState.CLOSED,
            closed_at=now(),
            closed_by_id=user.id,
            surplus=result.surplus,
            closing_entry_id=entry.id if entry else None,
        )
        found = await BookYear.get(cooperative_id=cooperative_id, year=year)
        await BookYearEvent.create(book_year_id=found.id, action=BookYearAction.CLOSED, by=user)
    return found


async def reopen_year(viewer: User | None, cooperative_id: int, year: int, reason: str) -> BookYear:
    user = require_user(viewer)
    if not await Cooperative.exists(id=cooperative_id):
        raise UserError(ErrorCode.NOT_FOUND, "Koperasi tidak ditemukan.", "cooperativeId")
    if not user.is_city_admin:
        raise UserError(
            ErrorCode.PERMISSION_DENIED,
            "Hanya Dinas yang boleh membuka kembali tahun buku.",
            "cooperativeId",
        )
    check = Validator()
    why = check.text("reason", reason, "Alasan", 255, required=True)
    check.check()
    latest = (
        await BookYear.filter(cooperative_id=cooperative_id, state=BookYearState.CLOSED)
        .order_by("-year")
        .first()
    )
    if latest is None or latest.year != year:
        raise UserError(
            ErrorCode.INVALID_STATE,
            "Hanya tahun buku terakhir yang sudah ditutup yang bisa dibuka kembali.",
            "year",
        )
    async with in_transaction():
        opened = await BookYear.filter(id=latest.id, state=BookYearState.CLOSED).update(
            state=BookYearState.OPEN, closed_at=None, closed_by_id=None, surplus=None,
            closing_entry_id=None,
        )  # fmt: skip
        if not opened:
            raise UserError(ErrorCode.INVALID_STATE, "Tahun buku ini sudah dibuka.", "year")
        if latest.closing_entry_id is not None:
            rows = await JournalLine.filter(entry_id=latest.closing_entry_id).prefetch_related(
                "account"
            )
            await Journal().post(
                cooperative_id,
                EntryKind.REVERSAL,
                f"Pembalikan tutup buku tahun {year}",
                [Line(r.account.code, debit=r.credit, credit=r.debit) for r in rows],
                note=why,
                actor_id=user.id,
                day=year_end(year),
                reversal_of_id=latest.closing_entry_id,
            )
        await BookYearEvent.create(
            book_year_id=latest.id, action=BookYearAction.REOPENED, by=user, reason=why
        )
    return await BookYear.get(id=latest.id)


@dataclass(frozen=True)
class YearView:
    cooperative_id: int
    year: int
    row: BookYear | None  # None: never closed, OPEN

    @property
    def state(self) -> BookYearState:
        return BookYearState.OPEN if self.row is None else BookYearState(self.row.state)


async def book_years(cooperative_id: int) -> list[YearView]:
    """Call `can_read_books` first. Newest first, from the first entry's year to this one."""
    first = (
        await JournalEntry.filter(cooperative_id=cooperative_id, date__isnull=False)
        .order_by("date")
        .first()
        .values_list("date", flat=True)
    )
    rows = {r.year: r for r in await BookYear.filter(cooperative_id=cooperative_id)}
    running = today().year
    start = min([running, *rows, *([first.year] if isinstance(first, date) else [])])
    return [YearView(cooperative_id, y, rows.get(y)) for y in range(running, start - 1, -1)]


async def events_of(book_year_ids: list[int]) -> list[list[BookYearEvent]]:
    return await rows_grouped_by(BookYearEvent.all().order_by("id"), "book_year_id", book_year_ids)
