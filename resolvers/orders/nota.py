"""The order's receipt (nota): who may download it, its signed link, and the PDF itself, in
Bahasa Indonesia with amounts as `Rp1.250.000`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from babel.dates import format_datetime
from fpdf import FPDF

from models.orders import Order, OrderLine, OrderStatus, OrderStatusChange, Payment
from models.platform import User
from models.shops import Shop
from resolvers.orders.rules import order_number
from resolvers.platform import JAKARTA, format_rupiah, now, regions, signed_links

LIFETIME = timedelta(minutes=30)
STATUS = {
    "PENDING_PAYMENT": "Menunggu pembayaran",
    "PROCESSING": "Diproses penjual",
    "SHIPPED": "Dikirim",
    "DELIVERED": "Sampai",
    "COMPLETED": "Selesai",
    "CANCELLED": "Dibatalkan",
}
PAYMENT_METHOD = {
    "QRIS": "QRIS",
    "BANK_TRANSFER": "Transfer virtual account",
    "COD": "Bayar di tempat (COD)",
    "COOPERATIVE_BALANCE": "Simpanan sukarela koperasi",
}
PAYMENT_STATUS = {
    "PENDING": "Belum dibayar",
    "PAID": "Lunas",
    "EXPIRED": "Kedaluwarsa",
    "CANCELLED": "Dibatalkan",
    "REFUNDED": "Dikembalikan",
}
COLUMNS = (("Barang", 62), ("Varian", 38), ("Jml", 14), ("Harga Satuan", 38), ("Subtotal", 38))


def nota_path(order_id: int) -> str:
    return f"/orders/{order_id}/nota.pdf"


@dataclass(frozen=True)
class NotaLink:
    url: str
    expires_at: datetime


def nota_link(viewer: User | None, order: Order, shop: Shop, secret: str) -> NotaLink | None:
    """The order's buyer and its shop's owner get a link; anyone else (a marketplace admin
    who may read a complained-about order included) gets None."""
    if viewer is None or viewer.id not in (order.buyer_id, shop.owner_id):
        return None
    expires_at = signed_links.expiry(now(), LIFETIME)
    url = signed_links.signed_url(secret, nota_path(order.id), {}, expires_at)
    return NotaLink(url, expires_at)


def is_signed(secret: str, order_id: int, query: dict[str, str]) -> bool:
    """Whether `query` is an unchanged, unexpired nota link of the order."""
    return signed_links.verified(secret, nota_path(order_id), query, (), now()) is not None


@dataclass(frozen=True)
class Nota:
    filename: str
    content: bytes


async def nota(order_id: int) -> Nota | None:
    """The order's nota as a PDF; None when there is no such order."""
    order = await Order.get_or_none(id=order_id).select_related("shop")
    if order is None:
        return None
    lines = await OrderLine.filter(order_id=order_id).order_by("id")
    payment = await Payment.get(order_id=order_id)
    completed = (
        await OrderStatusChange.filter(order_id=order_id, to_status=OrderStatus.COMPLETED)
        .order_by("-id")
        .first()
    )
    number = order_number(order.created_at, order.id)
    document = _Document()
    await _header(document, order.shop, order, number)
    await _dates(document, order, payment, completed.created_at if completed else None)
    _lines(document, order, lines)
    _payment(document, payment)
    document.set_font("Helvetica", "I", 8)
    document.ln(4)
    document.cell(0, 5, f"Nota ini dibuat oleh SatuPintu pada {_moment(now())}.")
    return Nota(f"nota-{number}.pdf", bytes(document.output()))


class _Document(FPDF):
    def __init__(self) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.set_compression(False)  # plain text streams: readable by any tool
        self.add_page()

    def row(self, label: str, value: str, bold: bool = False) -> None:
        self.set_font("Helvetica", "B" if bold else "", 9)
        self.cell(45, 6, _latin(label))
        self.cell(0, 6, _fit(self, value, self.epw - 45), new_x="LMARGIN", new_y="NEXT")

    def amount(self, label: str, value: str, bold: bool = False) -> None:
        self.set_font("Helvetica", "B" if bold else "", 9)
        self.cell(self.epw - 38, 6, _fit(self, label, self.epw - 38), align="R")
        self.cell(38, 6, _latin(value), align="R", new_x="LMARGIN", new_y="NEXT")


def _latin(text: str) -> str:
    """The PDF's core fonts hold Latin-1 only: anything else shows as '?'."""
    return text.encode("latin-1", "replace").decode("latin-1")


def _fit(document: FPDF, text: str, width: float) -> str:
    """`text` cut short, with "...", to fit in `width` millimetres of a cell."""
    text, room = _latin(text), width - 2
    if document.get_string_width(text) <= room:
        return text
    while text and document.get_string_width(text + "...") > room:
        text = text[:-1]
    return text + "..."


def _moment(at: datetime) -> str:
    return format_datetime(at.astimezone(JAKARTA), "d MMMM y, HH.mm 'WIB'", locale="id")


def _minus(amount: int) -> str:
    return f"-{format_rupiah(amount)}" if amount else format_rupiah(0)


async def _place(kelurahan_code: str) -> str:
    directory = await regions.directory()
    kelurahan = directory.kelurahan_by_code[kelurahan_code]
    kecamatan = directory.kecamatan_by_code[kelurahan.kecamatan_id]
    return f"Kel. {kelurahan.name}, Kec. {kecamatan.name}, Kota Tangerang"


async def _header(document: _Document, shop: Shop, order: Order, number: str) -> None:
    document.set_font("Helvetica", "B", 15)
    document.cell(0, 9, "NOTA PESANAN", new_x="LMARGIN", new_y="NEXT")
    document.set_font("Helvetica", "B", 11)
    document.cell(0, 7, _fit(document, shop.name, document.epw), new_x="LMARGIN", new_y="NEXT")
    document.set_font("Helvetica", "", 9)
    place = await _place(shop.kelurahan_id)
    address = f"{shop.address}, {place}" if shop.address else place
    document.multi_cell(0, 5, _latin(address), new_x="LMARGIN", new_y="NEXT")
    document.cell(0, 5, f"NIB: {shop.nib or '-'}", new_x="LMARGIN", new_y="NEXT")
    document.ln(3)
    document.row("Nomor pesanan", number, bold=True)
    document.row("Status pesanan", STATUS[order.status])
    document.row("Penerima", order.recipient)
    document.row("Alamat kirim", f"{order.street}, {await _place(order.kelurahan_id)}")


async def _dates(
    document: _Document, order: Order, payment: Payment, completed: datetime | None
) -> None:
    document.row("Tanggal pesanan", _moment(order.created_at))
    moments = (
        ("Tanggal bayar", payment.paid_at),
        ("Tanggal sampai", order.delivered_at),
        ("Tanggal selesai", completed),
    )
    for label, at in moments:
        if at is not None:
            document.row(label, _moment(at))
    document.ln(3)


def _lines(document: _Document, order: Order, lines: list[OrderLine]) -> None:
    document.set_font("Helvetica", "B", 9)
    for (title, width), align in zip(COLUMNS, "LLRRR", strict=True):
        document.cell(width, 7, title, border=1, align=align)
    document.ln()
    document.set_font("Helvetica", "", 9)
    for line in lines:
        cells = (
            line.product_name,
            line.variant_name or "-",
            str(line.quantity),
            format_rupiah(line.unit_price),
            format_rupiah(line.unit_price * line.quantity),
        )
        for text, (_, width), align in zip(cells, COLUMNS, "LLRRR", strict=True):
            document.cell(width, 6, _fit(document, text, width), border=1, align=align)
        document.ln()
    document.ln(2)
    subtotal = order.total - order.shipping_fee + order.discount
    document.amount("Subtotal barang", format_rupiah(subtotal))
    if order.shipping_kind is not None:
        document.amount(f"Ongkos kirim ({order.shipping_name})", format_rupiah(order.shipping_fee))
    voucher = f" ({order.voucher_code})" if order.voucher_code else ""
    document.amount(f"Diskon voucher{voucher}", _minus(order.discount))
    document.amount("Total", format_rupiah(order.total), bold=True)
    document.ln(3)


def _payment(document: _Document, payment: Payment) -> None:
    document.row("Metode pembayaran", PAYMENT_METHOD[payment.method])
    document.row("Status pembayaran", PAYMENT_STATUS[payment.status])
    document.row("Referensi pembayaran", payment.reference)
    if payment.refunded_amount:
        document.row("Dikembalikan", format_rupiah(payment.refunded_amount))
    if payment.instructions and payment.method == "BANK_TRANSFER":
        document.set_font("Helvetica", "", 9)
        document.multi_cell(0, 5, _latin(payment.instructions), new_x="LMARGIN", new_y="NEXT")
