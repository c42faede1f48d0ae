"""Pesanan: the buyer's orders, how to pay the unpaid ones, their history, and cancelling."""

from __future__ import annotations

import io

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


async def orders(request: Request) -> Response:
    after = request.query_params.get("setelah") or None
    data = await api(request).run("OrderList", {"after": after}, token=signed_in_token(request))
    found = data["myOrders"]
    context = {
        "found": found,
        "orders": [edge["node"] for edge in found["edges"]],
        "status": STATUS,
        "payment": PAYMENT,
        "cancellable": CANCELLABLE,
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


routes = [
    Route("/pesanan", orders, name="orders"),
    Route("/pesanan/qris.svg", qris_image, name="order_qris"),
    Route("/pesanan/batal", cancel, methods=["POST"], name="order_cancel"),
]
