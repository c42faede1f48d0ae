"""The RAT package as files: `GET /books/{id}/rat-{year}.{xlsx,pdf}` behind a signed,
short-lived link (`resolvers.cooperatives.downloads.RatLink`); a changed or expired link, or a
year no longer CLOSED, answers 404.

Both files hold, in this order: a summary (Ringkasan), the four statements with the previous
year's comparatives, the SHU per member, the loan portfolio by kolektibilitas with the NPL,
and the membership changes; amounts as in the statements' files (`Rp`, thousand separators,
negatives in brackets)."""

from __future__ import annotations

from datetime import date

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from resolvers.cooperatives import cooperatives_by_ids, downloads
from resolvers.platform import now, row_id
from resolvers.shu import rat_package
from server.book_files import HEADERS, RUPIAH, Page, pdf_of, rupiah, statement_pages, tables
from server.city_reports import XLSX, Sheet, workbook

Cell = int | str | date | None
SHU_SOURCES = {
    "DISTRIBUTED": "SHU yang sudah dibagikan",
    "RAT": "Menurut keputusan RAT (belum dibagikan)",
    "NONE": "Belum diputuskan RAT",
}
SHU_HEADERS = ["No. Anggota", "Nama", "Jasa Modal", "Jasa Anggota", "Jumlah SHU"]
PORTFOLIO_HEADERS = ["Kolektibilitas", "Jumlah Pinjaman", "Sisa Pokok"]
TWO_HEADERS = ["Uraian", "Nilai"]


def _percent(bps: int) -> str:
    return f"{bps / 100:.2f}%".replace(".", ",")


def summary(found: rat_package.RatPackage, name: str) -> list[tuple[str, Cell, bool]]:
    """(label, value, is money) rows of the summary page."""
    sheet, changes, rat = found.statements.balance_sheet, found.changes, found.rat
    income = found.statements.income_statement
    rows: list[tuple[str, Cell, bool]] = [
        ("Koperasi", name, False),
        ("Tahun buku", str(found.year), False),
        ("Tutup buku", f"{found.book_year.closed_at:%d/%m/%Y}" if found.book_year.closed_at
         else "-", False),
        ("Jumlah aset", sheet.assets.total, True),
        ("Jumlah pendapatan", income.income.total, True),
        ("Jumlah beban", income.expenses.total, True),
        ("Sisa hasil usaha", found.book_year.surplus or 0, True),
        ("Anggota awal tahun", changes.members_at_start, False),
        ("Anggota masuk", changes.joined, False),
        ("Anggota keluar", changes.left, False),
        ("Anggota akhir tahun", changes.members_at_end, False),
        ("Sisa pokok pinjaman", found.loans_outstanding, True),
        ("NPL", _percent(found.npl_bps), False),
    ]  # fmt: skip
    if rat is None:
        return [*rows, ("RAT", "Belum dicatat", False)]
    return [
        *rows,
        ("Tanggal RAT", f"{rat.held_on:%d/%m/%Y}", False),
        ("Kehadiran", f"{rat.members_present} dari {rat.members_eligible} anggota", False),
        ("SHU yang dibagi (keputusan RAT)", rat.shu_to_distribute, True),
        ("Cadangan", _percent(rat.reserve_bps), False),
        ("Jasa modal", _percent(rat.capital_service_bps), False),
        ("Jasa anggota", _percent(rat.member_service_bps), False),
    ]


def shu_rows(found: rat_package.RatPackage) -> list[list[Cell]]:
    rows: list[list[Cell]] = [
        [m.number, m.name, m.capital_share, m.service_share, m.total] for m in found.shu
    ]
    total = sum(m.total for m in found.shu)
    return [*rows, ["", "Jumlah", sum(m.capital_share for m in found.shu),
                    sum(m.service_share for m in found.shu), total]]  # fmt: skip


def portfolio_rows(found: rat_package.RatPackage) -> list[list[Cell]]:
    rows: list[list[Cell]] = [
        [f"{b.kolektibilitas.value} {b.kolektibilitas.label}", b.loans, b.outstanding]
        for b in found.portfolio
    ]
    return [*rows, ["Jumlah", sum(b.loans for b in found.portfolio), found.loans_outstanding],
            [f"NPL {_percent(found.npl_bps)}", "", ""]]  # fmt: skip


def change_rows(found: rat_package.RatPackage) -> list[tuple[str, int, bool]]:
    c = found.changes
    return [
        ("Anggota awal tahun", c.members_at_start, False),
        ("Anggota masuk", c.joined, False),
        ("Anggota keluar", c.left, False),
        ("Anggota akhir tahun", c.members_at_end, False),
        ("Simpanan pokok diterima", c.pokok_received, True),
        ("Simpanan pokok dikembalikan", c.pokok_paid_out, True),
        ("Simpanan wajib diterima", c.wajib_received, True),
        ("Simpanan wajib dikembalikan", c.wajib_paid_out, True),
    ]


def xlsx(found: rat_package.RatPackage, name: str) -> bytes:
    money_rows = [*summary(found, name)]
    return workbook([
        Sheet("Ringkasan", TWO_HEADERS, [[label, value] for label, value, _ in money_rows],
              {1: RUPIAH}),
        *[Sheet(t.title, HEADERS, [list(row) for row in t.rows], {2: RUPIAH, 3: RUPIAH})
          for t in tables(found.statements)],
        Sheet("SHU Anggota", SHU_HEADERS, shu_rows(found), {2: RUPIAH, 3: RUPIAH, 4: RUPIAH}),
        Sheet("Portofolio Pinjaman", PORTFOLIO_HEADERS, portfolio_rows(found), {2: RUPIAH}),
        Sheet("Perubahan Anggota", TWO_HEADERS,
              [[label, value] for label, value, _ in change_rows(found)], {}),
    ])  # fmt: skip


def _text(value: Cell, money: bool) -> str:
    if money and isinstance(value, int):
        return rupiah(value)
    return "" if value is None else str(value)


def pdf(found: rat_package.RatPackage, name: str) -> bytes:
    year = f"Tahun buku {found.year}"
    return pdf_of([
        Page(f"Paket RAT - {name}", year, TWO_HEADERS, (110, 80), "LR",
             [[label, _text(value, money)] for label, value, money in summary(found, name)]),
        *statement_pages(found.statements, name, f"{year}, dibanding tahun sebelumnya"),
        Page(f"SHU per Anggota - {name}", f"{year}: {SHU_SOURCES[found.shu_source]}",
             SHU_HEADERS, (22, 68, 33, 33, 34), "RLRRR",
             [[_text(c, i >= 2) for i, c in enumerate(row)] for row in shu_rows(found)]),
        Page(f"Portofolio Pinjaman - {name}", f"{year}: per 31/12/{found.year}",
             PORTFOLIO_HEADERS, (90, 50, 50), "LRR",
             [[_text(c, i == 2) for i, c in enumerate(row)] for row in portfolio_rows(found)]),
        Page(f"Perubahan Anggota - {name}", year, TWO_HEADERS, (110, 80), "LR",
             [[label, _text(value, money)] for label, value, money in change_rows(found)]),
    ])  # fmt: skip


class RatFiles:
    def __init__(self, secret: str) -> None:
        self.secret = secret

    async def handle(self, request: Request) -> Response:
        kind, year = request.path_params["kind"], int(request.path_params["year"])
        cooperative_id = row_id(request.path_params["cooperative_id"])
        params = dict(request.query_params)
        signed = downloads.rat_verified(self.secret, cooperative_id, year, kind, params, now())
        cooperative = (await cooperatives_by_ids([cooperative_id]))[0] if signed else None
        found = await rat_package.rat_package(cooperative_id, year) if cooperative else None
        if cooperative is None or found is None:
            return PlainTextResponse("Tautan tidak ditemukan atau sudah kedaluwarsa.", 404)
        headers = {
            "Content-Disposition": f'attachment; filename="paket-rat-{cooperative.slug}-{year}'
            f'.{kind}"',
            "Cache-Control": "private, no-store",
        }
        if kind == "xlsx":
            return Response(xlsx(found, cooperative.name), media_type=XLSX, headers=headers)
        return Response(pdf(found, cooperative.name), media_type="application/pdf", headers=headers)
