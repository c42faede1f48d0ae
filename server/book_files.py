"""The financial statements as files: `GET /books/{id}/statements.{xlsx,pdf}` behind a signed,
short-lived link (`resolvers.cooperatives.downloads`), so a plain link works without a header;
a changed or expired link answers 404.

The workbook has one sheet per statement with Indonesian headers; amounts are numbers shown as
`Rp#.##0` in an Indonesian Excel, negatives in brackets. The PDF shows the same figures as
`Rp1.000.000` and `(Rp50.000)`. Both come from the same rows as the typed statements."""

from __future__ import annotations

from dataclasses import dataclass

from fpdf import FPDF
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from resolvers.cooperatives import cooperatives_by_ids, downloads, opening, opening_sheets
from resolvers.cooperatives import statements as s
from resolvers.platform import format_rupiah, now, row_id
from server.city_reports import XLSX, Sheet, workbook

RUPIAH = '"Rp"#,##0;("Rp"#,##0)'
HEADERS = ["Kode Akun", "Uraian", "Periode Ini", "Periode Lalu"]


@dataclass(frozen=True)
class Table:
    title: str
    rows: list[tuple[str, str, int, int | None]]  # code, label, amount, previous


def _section(section: s.Section, total_label: str) -> list[tuple[str, str, int, int | None]]:
    rows = [(line.account_code or "", line.label, line.amount, line.previous)
            for line in section.lines]  # fmt: skip
    return [*rows, ("", total_label, section.total, section.previous_total)]


def tables(found: s.Statements) -> list[Table]:
    sheet, income, equity, flow = (
        found.balance_sheet, found.income_statement, found.equity_changes, found.cash_flow,
    )  # fmt: skip
    surplus = income.income.total - income.expenses.total
    p_income, p_expenses = income.income.previous_total, income.expenses.previous_total
    p_surplus = None if p_income is None or p_expenses is None else p_income - p_expenses
    return [
        Table("Neraca", [
            *_section(sheet.assets, "Jumlah Aset"),
            *_section(sheet.liabilities, "Jumlah Kewajiban"),
            *_section(sheet.equity, "Jumlah Ekuitas"),
        ]),
        Table("Hasil Usaha", [
            *_section(income.income, "Jumlah Pendapatan"),
            *_section(income.expenses, "Jumlah Beban"),
            ("", "Sisa Hasil Usaha", surplus, p_surplus),
        ]),
        Table("Perubahan Ekuitas", [
            ("", "Ekuitas Awal", equity.opening, equity.previous_opening),
            *[(line.account_code or "", line.label, line.amount, line.previous)
              for line in equity.lines],
            ("", "Ekuitas Akhir", equity.closing, equity.previous_closing),
        ]),
        Table("Arus Kas", [
            *_section(flow.operating, "Kas Bersih dari Aktivitas Operasi"),
            *_section(flow.investing, "Kas Bersih dari Aktivitas Investasi"),
            *_section(flow.financing, "Kas Bersih dari Aktivitas Pendanaan"),
            ("", "Kenaikan (Penurunan) Kas", flow.net_change, None),
            ("", "Kas Awal Periode", flow.opening_cash, None),
            ("", "Kas Akhir Periode", flow.closing_cash, flow.previous_closing_cash),
        ]),
    ]  # fmt: skip


def rupiah(amount: int | None) -> str:
    """Rp with thousand separators; a negative amount in brackets."""
    if amount is None:
        return "-"
    return f"({format_rupiah(-amount)})" if amount < 0 else format_rupiah(amount)


def xlsx(found: s.Statements) -> bytes:
    return workbook([
        Sheet(t.title, HEADERS, [list(row) for row in t.rows], {2: RUPIAH, 3: RUPIAH})
        for t in tables(found)
    ])  # fmt: skip


def latin(text: str) -> str:
    """What the PDF's core font can show: anything else becomes "?"."""
    return text.encode("latin-1", "replace").decode("latin-1")


@dataclass(frozen=True)
class Page:
    """One table on its own page: a title, a subtitle, headers and rows of text, each column
    with its width in mm and its alignment ("L" or "R")."""

    title: str
    subtitle: str
    headers: list[str]
    widths: tuple[int, ...]
    aligns: str
    rows: list[list[str]]


def pdf_of(pages: list[Page]) -> bytes:
    document = FPDF(orientation="P", unit="mm", format="A4")
    document.set_compression(False)  # plain text streams: readable by any tool
    for page in pages:
        document.add_page()
        document.set_font("Helvetica", "B", 13)
        document.cell(0, 8, latin(page.title), new_x="LMARGIN", new_y="NEXT")
        document.set_font("Helvetica", "", 9)
        document.cell(0, 6, latin(page.subtitle), new_x="LMARGIN", new_y="NEXT")
        document.set_font("Helvetica", "B", 9)
        columns = list(zip(page.widths, page.aligns, strict=True))
        for header, (width, align) in zip(page.headers, columns, strict=True):
            document.cell(width, 7, header, border=1, align=align)
        document.ln()
        document.set_font("Helvetica", "", 9)
        for row in page.rows:
            for text, (width, align) in zip(row, columns, strict=True):
                document.cell(width, 6, latin(text), border=1, align=align)
            document.ln()
    return bytes(document.output())


def statement_pages(found: s.Statements, name: str, subtitle: str) -> list[Page]:
    return [
        Page(f"{t.title} - {name}", subtitle, HEADERS, (22, 88, 40, 40), "LLRR",
             [[code, label, rupiah(amount), rupiah(previous)]
              for code, label, amount, previous in t.rows])
        for t in tables(found)
    ]  # fmt: skip


def pdf(found: s.Statements, name: str) -> bytes:
    period = f"Periode {found.start:%d/%m/%Y} - {found.end:%d/%m/%Y}"
    return pdf_of(statement_pages(found, name, period))


class BookFiles:
    def __init__(self, secret: str) -> None:
        self.secret = secret

    async def handle(self, request: Request) -> Response:
        kind = request.path_params["kind"]
        cooperative_id = row_id(request.path_params["cooperative_id"])
        asked = downloads.verified(
            self.secret, cooperative_id, kind, dict(request.query_params), now()
        )
        cooperative = (await cooperatives_by_ids([cooperative_id]))[0] if asked else None
        if asked is None or cooperative is None:
            return PlainTextResponse("Tautan tidak ditemukan atau sudah kedaluwarsa.", 404)
        found = await s.statements(cooperative_id, asked.start, asked.end, asked.compare)
        filename = f"laporan-keuangan-{cooperative.slug}-{asked.start}-{asked.end}.{kind}"
        headers = {
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "private, no-store",
        }
        if kind == "xlsx":
            return Response(xlsx(found), media_type=XLSX, headers=headers)
        return Response(pdf(found, cooperative.name), media_type="application/pdf", headers=headers)

    async def template(self, request: Request) -> Response:
        """The saldo awal template (`GET /books/{id}/saldo-awal.xlsx`), behind a signed link."""
        cooperative_id = row_id(request.path_params["cooperative_id"])
        params = dict(request.query_params)
        cooperative = (await cooperatives_by_ids([cooperative_id]))[0]
        if cooperative is None or not downloads.template_verified(
            self.secret, cooperative_id, params, now()
        ):
            return PlainTextResponse("Tautan tidak ditemukan atau sudah kedaluwarsa.", 404)
        data = opening_sheets.template(await opening.template_accounts(cooperative_id))
        headers = {
            "Content-Disposition": f'attachment; filename="saldo-awal-{cooperative.slug}.xlsx"',
            "Cache-Control": "private, no-store",
        }
        return Response(data, media_type=XLSX, headers=headers)
