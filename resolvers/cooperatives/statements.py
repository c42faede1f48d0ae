"""The financial statements from the books (SAK EP and the cooperative ministry's guidance):
Neraca, Laporan Perhitungan Hasil Usaha, Laporan Perubahan Ekuitas and Laporan Arus Kas (direct
method), each with the same period one year earlier.

Everything is summed from journal lines, never counted twice: the neraca holds assets =
liabilities + equity because the trial balance does, with the income and expenses not yet
closed shown as "SHU Tahun Berjalan"."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from tortoise.functions import Sum

from models.cooperatives import AccountKind, JournalLine, LedgerAccount
from resolvers.cooperatives.book_year import RESULT_KINDS, result_of
from resolvers.cooperatives.books import DONASI_HIBAH, UTANG_BANK
from resolvers.cooperatives.chart import normal_balance
from resolvers.platform import BadInput

SHU_TAHUN_BERJALAN = "SHU Tahun Berjalan"


@dataclass(frozen=True)
class StatementLine:
    label: str
    account_code: str | None
    amount: int
    previous: int | None


@dataclass(frozen=True)
class Section:
    title: str
    lines: list[StatementLine]

    @property
    def total(self) -> int:
        return sum(line.amount for line in self.lines)

    @property
    def previous_total(self) -> int | None:
        if any(line.previous is None for line in self.lines):
            return None
        return sum(line.previous or 0 for line in self.lines)


@dataclass(frozen=True)
class BalanceSheet:
    as_of: date
    previous_as_of: date | None
    assets: Section
    liabilities: Section
    equity: Section


@dataclass(frozen=True)
class IncomeStatement:
    income: Section
    expenses: Section


@dataclass(frozen=True)
class EquityChanges:
    opening: int
    closing: int
    previous_opening: int | None
    previous_closing: int | None
    lines: list[StatementLine]


@dataclass(frozen=True)
class CashFlow:
    operating: Section
    investing: Section
    financing: Section
    opening_cash: int
    closing_cash: int
    previous_closing_cash: int | None

    @property
    def net_change(self) -> int:
        return self.operating.total + self.investing.total + self.financing.total


@dataclass(frozen=True)
class Statements:
    start: date
    end: date
    previous_start: date | None
    previous_end: date | None
    balance_sheet: BalanceSheet
    income_statement: IncomeStatement
    equity_changes: EquityChanges
    cash_flow: CashFlow


def year_earlier(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


@dataclass
class _Chart:
    accounts: dict[int, LedgerAccount]
    cash_ids: set[int] = field(default_factory=set)


async def _chart(cooperative_id: int) -> _Chart:
    accounts = {a.id: a for a in await LedgerAccount.filter(cooperative_id=cooperative_id)}
    found = _Chart(accounts)
    # Kas, Bank and their sub-accounts, however deep.
    changed = True
    while changed:
        changed = False
        for a in accounts.values():
            cash = a.is_cash or (a.parent_id in found.cash_ids)
            if cash and a.id not in found.cash_ids:
                found.cash_ids.add(a.id)
                changed = True
    return found


async def _sums(
    cooperative_id: int, start: date | None, end: date, entry_ids: list[int] | None = None
) -> dict[int, tuple[int, int]]:
    query = JournalLine.filter(account__cooperative_id=cooperative_id, entry__date__lte=end)
    if start is not None:
        query = query.filter(entry__date__gte=start)
    if entry_ids is not None:
        query = query.filter(entry_id__in=entry_ids)
    return {
        r["account_id"]: (int(r["d"] or 0), int(r["c"] or 0))
        for r in await query.group_by("account_id")
        .annotate(d=Sum("debit"), c=Sum("credit"))
        .values("account_id", "d", "c")
    }


def _balances(chart: _Chart, sums: dict[int, tuple[int, int]]) -> dict[int, int]:
    return {
        i: normal_balance(AccountKind(a.kind), *sums.get(i, (0, 0)))
        for i, a in chart.accounts.items()
    }


def _section(
    title: str,
    chart: _Chart,
    kinds: tuple[AccountKind, ...],
    now: dict[int, int],
    before: dict[int, int] | None,
) -> list[StatementLine]:
    lines = []
    for i, a in sorted(chart.accounts.items(), key=lambda item: item[1].code):
        if a.kind not in kinds:
            continue
        amount, previous = now.get(i, 0), (before or {}).get(i, 0)
        if amount == 0 and previous == 0:
            continue
        lines.append(
            StatementLine(a.name, a.code, amount, previous if before is not None else None)
        )
    return lines


def _unclosed(chart: _Chart, balances: dict[int, int]) -> int:
    """Income less expenses not yet closed into SHU Belum Dibagi."""
    return sum(
        b if chart.accounts[i].kind == AccountKind.INCOME else -b
        for i, b in balances.items()
        if chart.accounts[i].kind in RESULT_KINDS
    )


async def _position(cooperative_id: int, chart: _Chart, end: date) -> tuple[dict[int, int], int]:
    balances = _balances(chart, await _sums(cooperative_id, None, end))
    return balances, _unclosed(chart, balances)


def _equity_total(chart: _Chart, balances: dict[int, int], unclosed: int) -> int:
    return unclosed + sum(
        b for i, b in balances.items() if chart.accounts[i].kind == AccountKind.EQUITY
    )


async def _cash_movements(
    cooperative_id: int, chart: _Chart, start: date, end: date
) -> dict[int, int]:
    """Cash in (+) or out (-) per counter account: in a balanced entry that touches cash, each
    other line's credit less debit is the cash it brought or took."""
    touching = await (
        JournalLine.filter(
            account_id__in=list(chart.cash_ids), entry__date__gte=start, entry__date__lte=end
        )
        .distinct()
        .values_list("entry_id", flat=True)
    )
    sums = await _sums(cooperative_id, start, end, [int(i) for i in touching])  # type: ignore[call-overload]
    return {i: c - d for i, (d, c) in sums.items() if i not in chart.cash_ids and c != d}


def _flow_kind(account: LedgerAccount) -> str:
    if account.kind == AccountKind.ASSET and account.code.startswith("1-2"):
        return "investing"  # inventaris and other long-lived assets
    if account.kind == AccountKind.EQUITY or account.code in (UTANG_BANK, DONASI_HIBAH):
        return "financing"
    return "operating"


def _flow_sections(
    chart: _Chart, now: dict[int, int], before: dict[int, int] | None
) -> dict[str, list[StatementLine]]:
    sections: dict[str, list[StatementLine]] = {"operating": [], "investing": [], "financing": []}
    for i in sorted(set(now) | set(before or {}), key=lambda i: chart.accounts[i].code):
        account = chart.accounts[i]
        sections[_flow_kind(account)].append(
            StatementLine(
                account.name,
                account.code,
                now.get(i, 0),
                (before or {}).get(i, 0) if before is not None else None,
            )
        )
    return sections


async def statements(cooperative_id: int, start: date, end: date, compare: bool) -> Statements:
    """Call `can_read_books` first."""
    if start > end:
        raise BadInput("`from` tidak boleh sesudah `to`.")
    chart = await _chart(cooperative_id)
    p_start, p_end = (year_earlier(start), year_earlier(end)) if compare else (None, None)

    now, unclosed = await _position(cooperative_id, chart, end)
    before, p_unclosed = await _position(cooperative_id, chart, p_end) if p_end else (None, None)
    equity_lines = _section("Ekuitas", chart, (AccountKind.EQUITY,), now, before)
    equity_lines.append(StatementLine(SHU_TAHUN_BERJALAN, None, unclosed, p_unclosed))
    balance_sheet = BalanceSheet(
        end,
        p_end,
        Section("Aset", _section("Aset", chart, (AccountKind.ASSET,), now, before)),
        Section("Kewajiban", _section("Kewajiban", chart, (AccountKind.LIABILITY,), now, before)),
        Section("Ekuitas", equity_lines),
    )

    result = await result_of(cooperative_id, start, end)
    p_result = await result_of(cooperative_id, p_start, p_end) if p_start and p_end else None
    by_code = {a.code: i for i, a in chart.accounts.items()}

    def results(kind: AccountKind) -> dict[int, int]:
        return {by_code[c]: b for c, (k, b) in result.balances.items() if k == kind}

    def p_results(kind: AccountKind) -> dict[int, int] | None:
        if p_result is None:
            return None
        return {by_code[c]: b for c, (k, b) in p_result.balances.items() if k == kind}

    income_statement = IncomeStatement(
        Section(
            "Pendapatan",
            _section(
                "Pendapatan",
                chart,
                (AccountKind.INCOME,),
                results(AccountKind.INCOME),
                p_results(AccountKind.INCOME),
            ),
        ),
        Section(
            "Beban",
            _section(
                "Beban",
                chart,
                (AccountKind.EXPENSE,),
                results(AccountKind.EXPENSE),
                p_results(AccountKind.EXPENSE),
            ),
        ),
    )

    async def equity_at(day: date) -> int:
        balances, open_result = await _position(cooperative_id, chart, day)
        return _equity_total(chart, balances, open_result)

    day_before = start - timedelta(days=1)
    opening = await equity_at(day_before)
    closing = _equity_total(chart, now, unclosed)
    p_opening = await equity_at(p_start - timedelta(days=1)) if p_start else None
    p_closing = _equity_total(chart, before, p_unclosed or 0) if before is not None else None
    equity_changes = EquityChanges(
        opening,
        closing,
        p_opening,
        p_closing,
        await _equity_lines(cooperative_id, chart, start, end, p_start, p_end),
    )

    opening_cash = sum(
        b
        for i, b in _balances(chart, await _sums(cooperative_id, None, day_before)).items()
        if i in chart.cash_ids
    )
    closing_cash = sum(b for i, b in now.items() if i in chart.cash_ids)
    p_closing_cash = (
        sum(b for i, b in before.items() if i in chart.cash_ids) if before is not None else None
    )
    flows = _flow_sections(
        chart,
        await _cash_movements(cooperative_id, chart, start, end),
        await _cash_movements(cooperative_id, chart, p_start, p_end) if p_start and p_end else None,
    )
    cash_flow = CashFlow(
        Section("Arus Kas dari Aktivitas Operasi", flows["operating"]),
        Section("Arus Kas dari Aktivitas Investasi", flows["investing"]),
        Section("Arus Kas dari Aktivitas Pendanaan", flows["financing"]),
        opening_cash,
        closing_cash,
        p_closing_cash,
    )
    return Statements(
        start, end, p_start, p_end, balance_sheet, income_statement, equity_changes, cash_flow
    )


async def _equity_lines(
    cooperative_id: int,
    chart: _Chart,
    start: date,
    end: date,
    p_start: date | None,
    p_end: date | None,
) -> list[StatementLine]:
    """Per equity account, what came in (setoran, SHU closed into it) and what went out
    (penarikan, pembagian SHU); and the change of the SHU not yet closed."""

    async def movements(s: date, e: date) -> tuple[dict[str, int], int]:
        sums = await _sums(cooperative_id, s, e)
        moved: dict[str, int] = {}
        for i, (d, c) in sums.items():
            account = chart.accounts[i]
            if account.kind == AccountKind.EQUITY:
                moved[f"Penambahan {account.name}|{account.code}"] = c
                moved[f"Pengurangan {account.name}|{account.code}"] = -d
        before = _unclosed(
            chart, _balances(chart, await _sums(cooperative_id, None, s - timedelta(days=1)))
        )
        after = _unclosed(chart, _balances(chart, await _sums(cooperative_id, None, e)))
        return moved, after - before

    now, shu = await movements(start, end)
    before, p_shu = await movements(p_start, p_end) if p_start and p_end else ({}, None)
    lines = []
    for key in sorted(set(now) | set(before), key=lambda k: (k.split("|")[1], k)):
        amount, previous = now.get(key, 0), before.get(key, 0)
        if amount == 0 and previous == 0:
            continue
        label, code = key.split("|")
        lines.append(StatementLine(label, code, amount, previous if p_start else None))
    lines.append(StatementLine(SHU_TAHUN_BERJALAN, None, shu, p_shu))
    return lines
