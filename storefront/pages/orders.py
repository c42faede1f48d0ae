"""Pesanan: the buyer's orders, how to pay the unpaid ones, their history, cancelling,
confirming receipt and complaints (komplain)."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import segno
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from storefront import session
from storefront.web import api, redirect, render, signed_in_token

STATUS = {
    "PENDING_PAYMENT": "Menunggu pembayaran",
    "PROCESSING": "Diproses penjual",
    "SHIPPED": "Dikirim",
    "DELIVERED": "Sampai",
    "COMPLETED": "Selesai",
    "CANCELLED": "Dibatalkan",
}
PAYMENT = {
    "QRIS": "QRIS",
    "BANK_TRANSFER": "Transfer virtual account",
    "COD": "Bayar di tempat (COD)",
    "COOPERATIVE_BALANCE": "Simpanan sukarela koperasi",
}
CANCELLABLE = {"PENDING_PAYMENT", "PROCESSING"}
COMPLAINABLE = {"SHIPPED", "DELIVERED"}
REASONS = {
    "NOT_RECEIVED": "Barang tidak sampai",
    "DAMAGED": "Barang rusak",
    "WRONG_ITEM": "Barang salah kirim",
    "INCOMPLETE": "Barang kurang",
    "NOT_AS_DESCRIBED": "Tidak sesuai deskripsi",
    "OTHER": "Lainnya",
}
COMPLAINT_STATUS = {
    "OPEN": "Menunggu jawaban penjual",
    "RETURN_REQUESTED": "Penjual meminta barang dikirim kembali",
    "RETURN_SHIPPED": "Barang sedang dikirim kembali",
    "ESCALATED": "Menunggu keputusan admin",
    "REJECTED": "Ditolak penjual",
    "REFUNDED": "Dana dikembalikan",
    "CLOSED": "Ditutup",
}
OPEN_COMPLAINT = {"OPEN", "RETURN_REQUESTED", "RETURN_SHIPPED", "ESCALATED"}


async def orders(request: Request) -> Response:
    after = request.query_params.get("setelah") or None
    data = await api(request).run("OrderList", {"after": after}, token=signed_in_token(request))
    found = data["myOrders"]
    now = datetime.now(UTC)
    orders = [edge["node"] for edge in found["edges"]]
    context = {
        "found": found,
        "orders": orders,
        "status": STATUS,
        "payment": PAYMENT,
        "cancellable": CANCELLABLE,
        "complainable": COMPLAINABLE,
        "reasons": REASONS,
        "complaint_status": COMPLAINT_STATUS,
        "open_complaint": OPEN_COMPLAINT,
        # An unanswered complaint may be escalated once the seller's time is up.
        "escalatable": {
            order["id"]
            for order in orders
            if (c := order["complaint"])
            and (
                c["status"] == "REJECTED"
                or (c["status"] == "OPEN" and datetime.fromisoformat(c["respondBy"]) < now)
            )
        },
        "errors": session.take_errors(request, "complaint"),
        "review_errors": session.take_errors(request, "review"),
    }
    return render(request, "orders.html", context)


async def qris_image(request: Request) -> Response:
    """The QR code of an unpaid QRIS order, as SVG: an image, so it loads lazily on its own."""
    variables = {"id": request.query_params.get("id", "")[:200]}
    data = await api(request).run("OrderQris", variables, token=signed_in_token(request))
    payload = ((data["node"] or {}).get("payment") or {}).get("qrisPayload")
    if not payload:
        raise HTTPException(404)
    return Response(
        qr_svg(payload),
        media_type="image/svg+xml",
        headers={"Cache-Control": "private, max-age=3600"},
    )


async def nota(request: Request) -> Response:
    """The order's nota (PDF): a redirect to the API's signed, short-lived link, asked for
    when the visitor clicks, so a page left open never holds an expired one."""
    variables = {"id": request.query_params.get("id", "")[:200]}
    data = await api(request).run("OrderNota", variables, token=signed_in_token(request))
    link = (data["node"] or {}).get("nota")
    if not link:
        raise HTTPException(404)
    return redirect(link["url"])


def qr_svg(payload: str) -> bytes:
    out = io.BytesIO()
    segno.make(payload, error="m").save(out, kind="svg", scale=6, border=2, xmldecl=False)
    return out.getvalue()


async def cancel(request: Request) -> Response:
    form = await session.checked_form(request)
    token = signed_in_token(request)
    variables = {"id": str(form.get("order_id", "")), "reason": "Dibatalkan oleh pembeli"}
    data = await api(request).run("CancelOrder", variables, token=token)
    errors = [error["message"] for error in data["cancelOrder"]["errors"]]
    session.flash(request, errors[0] if errors else "Pesanan dibatalkan.")
    return redirect("/pesanan")


async def _step(request: Request, operation: str, variables: dict, done: str) -> Response:
    """Run one of the buyer's steps on an order or its complaint; its error goes back to the
    order's card, its success to the page's notice."""
    token = signed_in_token(request)
    data = await api(request).run(operation, variables, token=token)
    result = next(iter(data.values()))
    if result["errors"]:
        key = str(variables.get("id") or variables.get("input", {}).get("orderId", ""))
        session.keep_errors(request, "complaint", {key: result["errors"][0]["message"]})
    else:
        session.flash(request, done)
    return redirect("/pesanan")


async def confirm_receipt(request: Request) -> Response:
    form = await session.checked_form(request)
    variables = {"id": str(form.get("order_id", ""))}
    return await _step(request, "ConfirmReceipt", variables, "Pesanan diterima. Terima kasih!")


async def open_complaint(request: Request) -> Response:
    form = await session.checked_form(request)
    reason = str(form.get("reason", ""))
    body = {
        "orderId": str(form.get("order_id", "")),
        "reason": reason if reason in REASONS else "OTHER",
        "text": str(form.get("text", "")),
    }
    done = "Komplain terkirim. Penjual akan menjawabnya."
    return await _step(request, "OpenComplaint", {"input": body}, done)


async def ship_return(request: Request) -> Response:
    form = await session.checked_form(request)
    variables = {
        "id": str(form.get("complaint_id", "")),
        "trackingNumber": str(form.get("trackingNumber", "")),
    }
    return await _step(request, "ShipComplaintReturn", variables, "Nomor resi retur terkirim.")


async def escalate(request: Request) -> Response:
    form = await session.checked_form(request)
    variables = {"id": str(form.get("complaint_id", "")), "note": str(form.get("note", ""))}
    done = "Komplain diteruskan ke admin marketplace."
    return await _step(request, "EscalateComplaint", variables, done)


routes = [
    Route("/pesanan", orders, name="orders"),
    Route("/pesanan/qris.svg", qris_image, name="order_qris"),
    Route("/pesanan/nota", nota, name="order_nota"),
    Route("/pesanan/batal", cancel, methods=["POST"], name="order_cancel"),
    Route("/pesanan/diterima", confirm_receipt, methods=["POST"], name="order_received"),
    Route("/pesanan/komplain", open_complaint, methods=["POST"], name="complaint_open"),
    Route("/pesanan/komplain/retur", ship_return, methods=["POST"], name="complaint_return"),
    Route("/pesanan/komplain/eskalasi", escalate, methods=["POST"], name="complaint_escalate"),
]
