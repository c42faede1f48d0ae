"""The Dinas's reports: the kelurahan rollout and the per-kecamatan figures, as .xlsx or CSV.

`GET /reports/{rollout,kecamatan}.{xlsx,csv}` with a CITY_ADMIN's Bearer token. Headers are
Bahasa Indonesia; the workbook shows numbers as `#.##0` and rupiah as `Rp#.##0` in an
Indonesian Excel, dates as DD/MM/YYYY; the CSV is UTF-8 (with a BOM, for Excel) separated by
`;` as Indonesian spreadsheets expect, with plain integers and ISO dates.

Text is never a formula (CSV injection): in the CSV a text cell that starts with `=`, `+`,
`-`, `@`, a tab or a carriage return is written after an apostrophe, as OWASP advises; in
the workbook every text cell is a string cell, which Excel shows and never evaluates. Numbers,
negative ones included, stay numbers.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from resolvers import city
from resolvers.platform import Directory, QueryError, regions, today
from server.auth import Door, Refused, client_address

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NUMBER = "#,##0"
RUPIAH = '"Rp"#,##0'
DATE = "DD/MM/YYYY"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
STATUS = {"UNAUTHENTICATED": 401, "FORBIDDEN": 403}
PATHS = [f"/reports/{name}.{kind}" for name in ("rollout", "kecamatan") for kind in ("xlsx", "csv")]


@dataclass
class Sheet:
    title: str
    headers: list[str]
    rows: list[list[int | str | date | None]]
    formats: dict[int, str]  # column index -> number format


def rollout_sheet(figures: city.Figures, directory: Directory) -> Sheet:
    rows: list[list[int | str | date | None]] = []
    for row in figures.rollout(None):
        kecamatan = directory.kecamatan_by_code[row.kelurahan.kecamatan_id]
        t = row.tally
        rows.append([row.kelurahan.code, row.kelurahan.name, kecamatan.name, row.socialized_at,
                     t.shops, t.verified_shops, t.cooperatives, t.members])  # fmt: skip
    headers = ["Kode Kelurahan", "Kelurahan", "Kecamatan", "Sosialisasi Pertama", "Toko",
               "Toko Terverifikasi", "Koperasi", "Anggota Aktif"]  # fmt: skip
    return Sheet("Rollout Kelurahan", headers, rows, {3: DATE, 4: NUMBER, 5: NUMBER, 6: NUMBER,
                                                      7: NUMBER})  # fmt: skip


KECAMATAN_HEADERS = [
    "Kode Kecamatan", "Kecamatan", "Jumlah Kelurahan", "Kelurahan Tersosialisasi", "Toko",
    "Toko Terverifikasi", "Koperasi", "Koperasi Digital", "Anggota Aktif",
]  # fmt: skip


def _kecamatan_row(code: str, name: str, kelurahan: int, t: city.Tally) -> list:
    return [code, name, kelurahan, t.kelurahan_socialized, t.shops, t.verified_shops,
            t.cooperatives, t.digital_cooperatives, t.members]  # fmt: skip


def kecamatan_sheet(figures: city.Figures, directory: Directory) -> Sheet:
    rows = [
        _kecamatan_row(k.kecamatan.code, k.kecamatan.name, k.kelurahan_total, k.tally)
        for k in figures.by_kecamatan(directory)
    ]
    whole = _kecamatan_row("", "Kota Tangerang", len(directory.kelurahan_by_code),
                           figures.city().tally)  # fmt: skip
    return Sheet("Per Kecamatan", KECAMATAN_HEADERS, [*rows, whole],
                 dict.fromkeys(range(2, 9), NUMBER))  # fmt: skip


def summary_sheet(figures: city.Figures) -> Sheet:
    total = figures.city()
    headers = ["Produk Aktif", "Pesanan Dibayar", "Nilai Transaksi (GMV)"]
    return Sheet("Ringkasan Kota", headers, [[total.products, total.orders, total.gmv]],
                 {0: NUMBER, 1: NUMBER, 2: RUPIAH})  # fmt: skip


def workbook(sheets: list[Sheet]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for sheet in sheets:
        page = book.create_sheet(sheet.title)
        page.append(sheet.headers)
        for cell in page[1]:
            cell.font = Font(bold=True)
        for row in sheet.rows:
            page.append(row)
            for cell in page[page.max_row]:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # openpyxl would make "=..." a formula
        for column, number_format in sheet.formats.items():
            for (cell,) in page.iter_rows(min_row=2, min_col=column + 1, max_col=column + 1):
                cell.number_format = number_format
        for index, header in enumerate(sheet.headers, start=1):
            page.column_dimensions[get_column_letter(index)].width = max(12, len(header) + 2)
        page.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_cell(value: int | str | date | None) -> int | str:
    """The CSV cell of a value: ISO dates, plain numbers, text that is never a formula."""
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_text(sheet: Sheet) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(sheet.headers)
    for row in sheet.rows:
        writer.writerow([csv_cell(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode()


class CityReports:
    """The report endpoints, behind the same door as the API (credentials and limits)."""

    def __init__(self, door: Door) -> None:
        self.door = door

    async def handle(self, request: Request) -> Response:
        address = client_address(request)
        try:
            identity = await self.door.identify(request.headers, address)
            await self.door.admit(identity, address)
            figures = await city.report_figures(identity.viewer)
        except Refused as refused:
            headers = {"Retry-After": str(refused.retry_after)} if refused.retry_after else None
            body = {"error": str(refused), "code": refused.code.value}
            if refused.reason:
                body["reason"] = refused.reason
            return JSONResponse(body, refused.status, headers=headers)
        except QueryError as error:
            body = {"error": str(error), "code": error.code.value}
            return JSONResponse(body, STATUS[error.code])
        directory = await regions.directory()
        name, kind = request.url.path.rsplit("/", 1)[1].split(".")
        if name == "rollout":
            sheets = [rollout_sheet(figures, directory)]
        else:
            sheets = [kecamatan_sheet(figures, directory), summary_sheet(figures)]
        filename = f"{name}-{today():%Y-%m-%d}.{kind}"
        headers = {"Content-Disposition": f'attachment; filename="{filename}"',
                   "Cache-Control": "no-store"}  # fmt: skip
        if kind == "xlsx":
            return Response(workbook(sheets), media_type=XLSX, headers=headers)
        return Response(csv_text(sheets[0]), media_type="text/csv; charset=utf-8", headers=headers)
