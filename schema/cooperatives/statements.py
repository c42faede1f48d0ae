"""The financial statements as typed data (and as signed file links)."""

from __future__ import annotations

import datetime as dt

import strawberry
from strawberry.types import Info

from resolvers.cooperatives import downloads
from resolvers.cooperatives import statements as s
from resolvers.platform import now
from schema.cooperatives.books import books_readable
from schema.platform import Money


def _money(amount: int | None) -> Money | None:
    return None if amount is None else Money(amount=amount)


@strawberry.type(description="One line of a statement.")
class StatementLine:
    label: str = strawberry.field(description="What it is, in Bahasa Indonesia.")
    account_code: str | None = strawberry.field(
        description="The account it comes from; null for a computed line."
    )
    amount: Money = strawberry.field(description="For the period (or at its end).")
    previous_amount: Money | None = strawberry.field(
        description="The same a year earlier; null without the comparison."
    )

    @classmethod
    def of(cls, line: s.StatementLine) -> StatementLine:
        return cls(
            label=line.label,
            account_code=line.account_code,
            amount=Money(amount=line.amount),
            previous_amount=_money(line.previous),
        )


@strawberry.type(description="A section of a statement: its lines and their total.")
class StatementSection:
    title: str = strawberry.field(description="Its heading, in Bahasa Indonesia.")
    total: Money = strawberry.field(description="The sum of its lines.")
    previous_total: Money | None = strawberry.field(
        description="The sum of its previous amounts; null without the comparison."
    )
    lines: list[StatementLine] = strawberry.field(description="Its lines, by account code.")

    @classmethod
    def of(cls, section: s.Section) -> StatementSection:
        return cls(
            title=section.title,
            total=Money(amount=section.total),
            previous_total=_money(section.previous_total),
            lines=[StatementLine.of(line) for line in section.lines],
        )


@strawberry.type(description="Neraca: assets, liabilities and equity at the end of the period.")
class BalanceSheet:
    as_of: dt.date = strawberry.field(description="The day it is drawn at the end of.")
    previous_as_of: dt.date | None = strawberry.field(
        description="The same day a year earlier; null without the comparison."
    )
    assets: StatementSection = strawberry.field(
        description="Aset; Penyisihan Piutang Tak Tertagih as a negative line."
    )
    liabilities: StatementSection = strawberry.field(description="Kewajiban.")
    equity: StatementSection = strawberry.field(
        description='Ekuitas, with "SHU Tahun Berjalan": income less expenses not yet closed.'
    )

    @strawberry.field(description="Assets equal liabilities and equity: always true.")
    def balanced(self) -> bool:
        return int(self.assets.total.amount) == (
            int(self.liabilities.total.amount) + int(self.equity.total.amount)
        )

    @strawberry.field(description="Every asset line together.")
    def total_assets(self) -> Money:
        return self.assets.total

    @strawberry.field(description="Liabilities and equity together.")
    def total_liabilities_and_equity(self) -> Money:
        return Money(amount=int(self.liabilities.total.amount) + int(self.equity.total.amount))

    @strawberry.field(description="Total assets a year earlier; null without the comparison.")
    def previous_total_assets(self) -> Money | None:
        return self.assets.previous_total


@strawberry.type(
    description="Laporan Perhitungan Hasil Usaha: income and expenses of the period, CLOSING "
    "entries left out."
)
class IncomeStatement:
    income: StatementSection = strawberry.field(description="Pendapatan, per account.")
    expenses: StatementSection = strawberry.field(description="Beban, per account.")

    @strawberry.field(description="Income less expenses (SHU); negative for a deficit.")
    def surplus(self) -> Money:
        return Money(amount=int(self.income.total.amount) - int(self.expenses.total.amount))

    @strawberry.field(description="The same a year earlier; null without the comparison.")
    def previous_surplus(self) -> Money | None:
        if self.income.previous_total is None or self.expenses.previous_total is None:
            return None
        return Money(
            amount=int(self.income.previous_total.amount) - int(self.expenses.previous_total.amount)
        )


@strawberry.type(
    description="Laporan Perubahan Ekuitas: closing = opening + the lines = the neraca's equity."
)
class EquityChanges:
    opening: Money = strawberry.field(description="Equity at the start of `from`.")
    closing: Money = strawberry.field(description="Equity at the end of `to`.")
    previous_opening: Money | None = strawberry.field(
        description="Opening a year earlier; null without the comparison."
    )
    previous_closing: Money | None = strawberry.field(
        description="Closing a year earlier; null without the comparison."
    )
    lines: list[StatementLine] = strawberry.field(
        description="Each movement: additions to and reductions of each equity account "
        "(setoran, penarikan, SHU closed in or shared out), and the change of SHU Tahun "
        "Berjalan."
    )


@strawberry.type(
    description="Laporan Arus Kas (direct method) of the cash accounts: closingCash = "
    "openingCash + netChange."
)
class CashFlow:
    operating: StatementSection = strawberry.field(description="Aktivitas operasi.")
    investing: StatementSection = strawberry.field(description="Aktivitas investasi.")
    financing: StatementSection = strawberry.field(description="Aktivitas pendanaan.")
    net_change: Money = strawberry.field(description="The three sections together.")
    opening_cash: Money = strawberry.field(description="Kas and Bank at the start of `from`.")
    closing_cash: Money = strawberry.field(description="Kas and Bank at the end of `to`.")
    previous_closing_cash: Money | None = strawberry.field(
        description="Closing cash a year earlier; null without the comparison."
    )


@strawberry.type(description="The cooperative's financial statements for a period.")
class FinancialStatements:
    from_: dt.date = strawberry.field(name="from", description="The period's first day.")
    to: dt.date = strawberry.field(description="The period's last day.")
    previous_from: dt.date | None = strawberry.field(
        description="The comparison's first day (a year earlier); else null."
    )
    previous_to: dt.date | None = strawberry.field(
        description="The comparison's last day; else null."
    )
    balance_sheet: BalanceSheet = strawberry.field(description="Neraca.")
    income_statement: IncomeStatement = strawberry.field(
        description="Laporan Perhitungan Hasil Usaha."
    )
    equity_changes: EquityChanges = strawberry.field(description="Laporan Perubahan Ekuitas.")
    cash_flow: CashFlow = strawberry.field(description="Laporan Arus Kas.")
    link: strawberry.Private[downloads.Link]

    @strawberry.field(description="These statements as an xlsx workbook: a signed URL.")
    def xlsx_url(self, info: Info) -> str:
        return info.context.absolute_url(self.link.url("xlsx"))

    @strawberry.field(description="These statements as a PDF: a signed URL.")
    def pdf_url(self, info: Info) -> str:
        return info.context.absolute_url(self.link.url("pdf"))

    @strawberry.field(description="When the file URLs stop working.")
    def expires_at(self) -> dt.datetime:
        return self.link.expires_at


def statements_type(found: s.Statements, link: downloads.Link) -> FinancialStatements:
    sheet, income, equity, cash = (
        found.balance_sheet,
        found.income_statement,
        found.equity_changes,
        found.cash_flow,
    )
    return FinancialStatements(
        from_=found.start,
        to=found.end,
        previous_from=found.previous_start,
        previous_to=found.previous_end,
        balance_sheet=BalanceSheet(
            as_of=sheet.as_of,
            previous_as_of=sheet.previous_as_of,
            assets=StatementSection.of(sheet.assets),
            liabilities=StatementSection.of(sheet.liabilities),
            equity=StatementSection.of(sheet.equity),
        ),
        income_statement=IncomeStatement(
            income=StatementSection.of(income.income),
            expenses=StatementSection.of(income.expenses),
        ),
        equity_changes=EquityChanges(
            opening=Money(amount=equity.opening),
            closing=Money(amount=equity.closing),
            previous_opening=_money(equity.previous_opening),
            previous_closing=_money(equity.previous_closing),
            lines=[StatementLine.of(line) for line in equity.lines],
        ),
        cash_flow=CashFlow(
            operating=StatementSection.of(cash.operating),
            investing=StatementSection.of(cash.investing),
            financing=StatementSection.of(cash.financing),
            net_change=Money(amount=cash.net_change),
            opening_cash=Money(amount=cash.opening_cash),
            closing_cash=Money(amount=cash.closing_cash),
            previous_closing_cash=_money(cash.previous_closing_cash),
        ),
        link=link,
    )


async def financial_statements(
    info: Info, cooperative_id: int, start: dt.date, end: dt.date, compare: bool
) -> FinancialStatements | None:
    if not await books_readable(info, cooperative_id):
        return None
    found = await s.statements(cooperative_id, start, end, compare)
    link = downloads.Link.new(
        info.context.services.download_secret, cooperative_id, start, end, compare, now()
    )
    return statements_type(found, link)
