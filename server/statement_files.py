"""A shop's monthly statement as files: `GET /shops/{id}/statements/{YYYY-MM}.{csv,xlsx,pdf}`
behind a signed, short-lived link (`resolvers.payouts.statement`), so a plain link works
without a header; a changed or expired link answers 404.

CSV: UTF-8 (with a BOM, so a spreadsheet reads it as such), `;`-separated, amounts in
Indonesian format (1.250.000, -50.000). The workbook has the same columns, amounts as
numbers shown `Rp#.##0` by an Indonesian Excel. The PDF names the shop and its NIB, with the
opening and closing balances."""

from __future__ import annotations

import csv
import io
from datetime import datetime

from fpdf import FPDF
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from models.orders import Order
from models.payouts import SellerMovement, SellerMovementKind
from models.shops import Shop
from resolvers.orders import order_number
from resolvers.payouts import statement
from resolvers.platform import JAKARTA, format_rupiah, now, row_id
from server.book_files import RUPIAH, rupiah
from server.city_reports import XLSX, Sheet, workbook

HEADERS = ["Tanggal", "Jenis", "Keterangan", "Nomor Pesanan", "Jumlah", "Saldo"]
KIND_NAMES = {
    SellerMovementKind.SALE: "Penjualan",
    SellerMovementKind.PLATFORM_FEE: "Biaya Platform",
    SellerMovementKind.PAYOUT: "Pencairan",
    SellerMovementKind.PAYOUT_RETURNED: "Pencairan Dikembalikan",
}
MOMENT = "DD/MM/YYYY HH:MM"


def amount_text(amount: int) -> str:
    """Indonesian thousands: 1.250.000, -50.000."""
    return f"{amount:,}".replace(",", ".")


async def _numbers(movements: list[SellerMovement]) -> dict[int, str]:
    ids = {m.order_id for m in movements if m.order_id is not None}
    return {o.id: order_number(o.created_at, o.id) for o in await Order.filter(id__in=ids)}


def _moment(at: datetime) -> datetime:
    return at.astimezone(JAKARTA).replace(tzinfo=None)


def csv_of(month: statement.Month, numbers: dict[int, str]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADERS)
    for row in month.movements:
        writer.writerow(
            [
                f"{_moment(row.created_at):%d/%m/%Y %H.%M}",
                KIND_NAMES[SellerMovementKind(row.kind)],
                row.description,
                numbers.get(row.order_id or 0, ""),
                amount_text(row.amount),
                amount_text(row.balance_after),
            ]
        )
    return ("\ufeff" + out.getvalue()).encode()


def xlsx_of(month: statement.Month, numbers: dict[int, str]) -> bytes:
    rows: list[list[int | str | datetime | None]] = [
        [_moment(row.created_at), KIND_NAMES[SellerMovementKind(row.kind)], row.description,
         numbers.get(row.order_id or 0, ""), row.amount, row.balance_after]
        for row in month.movements
    ]  # fmt: skip
    return workbook(
        [Sheet(f"Mutasi {month.period}", HEADERS, rows, {0: MOMENT, 4: RUPIAH, 5: RUPIAH})]  # type: ignore[arg-type]
    )


def _latin(text: str) -> str:
    return text.encode("latin-1", "replace").decode("latin-1")


def pdf_of(month: statement.Month, numbers: dict[int, str], shop: Shop) -> bytes:
    document = FPDF(orientation="P", unit="mm", format="A4")
    document.set_compression(False)  # plain text streams: readable by any tool
    document.add_page()
    document.set_font("Helvetica", "B", 13)
    document.cell(0, 8, _latin(f"Mutasi Saldo {shop.name}"), new_x="LMARGIN", new_y="NEXT")
    document.set_font("Helvetica", "", 9)
    for line in (
        f"NIB {shop.nib}",
        f"Periode {month.period}",
        f"Saldo awal {format_rupiah(month.opening)}",
        f"Saldo akhir {format_rupiah(month.closing)}",
    ):
        document.cell(0, 6, _latin(line), new_x="LMARGIN", new_y="NEXT")
    widths = (28, 30, 52, 30, 25, 25)
    document.set_font("Helvetica", "B", 8)
    for header, width in zip(HEADERS, widths, strict=True):
        document.cell(width, 7, header, border=1)
    document.ln()
    document.set_font("Helvetica", "", 8)
    for row in month.movements:
        cells = (
            f"{_moment(row.created_at):%d/%m/%Y %H.%M}",
            KIND_NAMES[SellerMovementKind(row.kind)],
            row.description[:40],
            numbers.get(row.order_id or 0, ""),
            rupiah(row.amount),
            rupiah(row.balance_after),
        )
        for text, width in zip(cells, widths, strict=True):
            document.cell(width, 6, _latin(text), border=1)
        document.ln()
    return bytes(document.output())


class StatementFiles:
    def __init__(self, secret: str) -> None:
        self.secret = secret

    async def handle(self, request: Request) -> Response:
        params = request.path_params
        shop_id, period, kind = row_id(params["shop_id"]), params["period"], params["kind"]
        signed = statement.verified(
            self.secret, shop_id, period, kind, dict(request.query_params), now()
        )
        shop = await Shop.get_or_none(id=shop_id) if signed else None
        if shop is None:
            return PlainTextResponse("Tautan tidak ditemukan atau sudah kedaluwarsa.", 404)
        month = await statement.month_of(shop_id, period)
        numbers = await _numbers(month.movements)
        headers = {
            "Content-Disposition": f'attachment; filename="mutasi-{shop.slug}-{period}.{kind}"',
            "Cache-Control": "private, no-store",
        }
        if kind == "csv":
            body, media = csv_of(month, numbers), "text/csv; charset=utf-8"
        elif kind == "xlsx":
            body, media = xlsx_of(month, numbers), XLSX
        else:
            body, media = pdf_of(month, numbers, shop), "application/pdf"
        return Response(body, media_type=media, headers=headers)
