"""Penjual: the owner's shops, opening one, its incoming orders (live), moving them along and
answering complaints."""

from __future__ import annotations

import re
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from storefront import session
from storefront.formatting import rupiah
from storefront.live import event_stream
from storefront.pages.orders import COMPLAINT_STATUS, PAYMENT, REASONS, STATUS
from storefront.web import api, field_errors, page_errors, redirect, render, signed_in_token

SIZES = {"MIKRO": "Usaha mikro", "KECIL": "Usaha kecil", "MENENGAH": "Usaha menengah"}
SHOP_FIELDS = {"name", "sizeClass", "kelurahanCode", "whatsapp", "description", "address", "nib"}
# The seller's next move from each status: (target, button).
NEXT = {
    "PROCESSING": ("SHIPPED", "Kirim"),
    "SHIPPED": ("DELIVERED", "Tandai sudah sampai"),
    "DELIVERED": ("COMPLETED", "Selesaikan"),
}
EVENTS = {
    "CREATED": "Pesanan baru",
    "PAID": "Sudah dibayar",
    "STATUS_CHANGED": "Status berubah",
    "CANCELLED": "Dibatalkan",
    "COMPLAINT_CHANGED": "Komplain",
}
ANSWERS = {"REFUND": "Kembalikan dana", "RETURN": "Minta barang dikembalikan", "REJECT": "Tolak"}


async def home(request: Request) -> Response:
    data = await api(request).run("SellerHome", token=signed_in_token(request))
    return render(request, "seller/home.html", {"shops": data["me"]["shops"]})


async def shop_form(request: Request) -> Response:
    return await _shop_form(request, {"sizeClass": "MIKRO"}, {})


async def open_shop(request: Request) -> Response:
    form = await session.checked_form(request)
    token = signed_in_token(request)
    values = {name: str(form.get(name, "")).strip() for name in SHOP_FIELDS}
    body = {**values, "nib": values["nib"] or None}
    result = (await api(request).run("OpenShop", {"input": body}, token=token))["createShop"]
    if result["errors"]:
        return await _shop_form(request, values, field_errors(result["errors"]), status=400)
    session.flash(request, "Toko dibuka. Tambahkan produk pertama Anda.")
    return redirect(f"/penjual/toko/{result['shop']['slug']}")


async def _shop_form(
    request: Request, values: dict[str, str], errors: dict[str, str], status: int = 200
) -> Response:
    regions = (await api(request).run("ShopForm"))["kecamatan"]
    context = {
        "values": values,
        "errors": errors,
        "page_errors": page_errors(errors, SHOP_FIELDS),
        "regions": regions,
        "sizes": SIZES,
    }
    return render(request, "seller/shop_form.html", context, status)


async def dashboard(request: Request) -> Response:
    token = signed_in_token(request)
    status = request.query_params.get("status")
    variables = {
        "slug": request.path_params["slug"][:200],
        "status": status if status in STATUS else None,
    }
    data = await api(request).run("SellerShop", variables, token=token)
    shop = data["shop"]
    if shop is None:
        raise HTTPException(404)
    context = {
        "shop": shop,
        "products": [edge["node"] for edge in shop["products"]["edges"]],
        "orders": [edge["node"] for edge in shop["orders"]["edges"]],
        "complaints": [edge["node"] for edge in shop["complaints"]["edges"]],
        "errors": session.take_errors(request, "order"),
        "complaint_errors": session.take_errors(request, "complaint"),
        "review_errors": session.take_errors(request, "review"),
        "reviews": [edge["node"] for edge in shop["reviews"]["edges"]],
        "reasons": REASONS,
        "complaint_status": COMPLAINT_STATUS,
        "answers": ANSWERS,
        "status": STATUS,
        "payment": PAYMENT,
        "next_moves": NEXT,
    }
    return render(request, "seller/dashboard.html", context)


async def move_order(request: Request) -> Response:
    form = await session.checked_form(request)
    token = signed_in_token(request)
    order_id, target = str(form.get("order_id", "")), str(form.get("status", ""))
    slug = re.sub(r"[^a-z0-9-]", "", str(form.get("shop", "")))
    variables = {
        "id": order_id,
        "status": target if target in STATUS else "SHIPPED",
        "trackingNumber": str(form.get("trackingNumber", "")).strip() or None,
    }
    result = (await api(request).run("MoveOrder", variables, token=token))["updateOrderStatus"]
    if result["errors"]:
        errors = field_errors(result["errors"])
        session.keep_errors(request, "order", {order_id: next(iter(errors.values()))})
    else:
        order = result["order"]
        session.flash(request, f"Pesanan {order['number']}: {STATUS[order['status']]}.")
    return redirect(f"/penjual/toko/{slug}#pesanan")


async def answer_complaint(request: Request) -> Response:
    """The owner answers a complaint (refund, return, reject) or receives the returned goods."""
    form = await session.checked_form(request)
    token = signed_in_token(request)
    complaint_id = str(form.get("complaint_id", ""))
    slug = re.sub(r"[^a-z0-9-]", "", str(form.get("shop", "")))
    response = str(form.get("response", ""))
    if response == "RECEIVED":
        data = await api(request).run("ReceiveComplaintReturn", {"id": complaint_id}, token=token)
        result = data["receiveComplaintReturn"]
    else:
        amount = str(form.get("refundAmount", "")).replace(".", "").strip()
        answer = {
            "response": response if response in ANSWERS else "REJECT",
            "refundAmount": int(amount) if amount.isdecimal() and len(amount) < 16 else None,
            "reason": str(form.get("reason", "")).strip() or None,
        }
        variables = {"id": complaint_id, "input": answer}
        result = (await api(request).run("AnswerComplaint", variables, token=token))[
            "respondToComplaint"
        ]
    if result["errors"]:
        session.keep_errors(request, "complaint", {complaint_id: result["errors"][0]["message"]})
    else:
        complaint = result["complaint"]
        number = complaint["order"]["number"]
        session.flash(request, f"Komplain {number}: {COMPLAINT_STATUS[complaint['status']]}.")
    return redirect(f"/penjual/toko/{slug}#komplain")


async def live(request: Request) -> Response:
    """Order events of one of the owner's shops, relayed from the API as server-sent events."""
    token = signed_in_token(request)
    shops = (await api(request).run("SellerHome", token=token))["me"]["shops"]
    shop = next((s for s in shops if s["slug"] == request.path_params["slug"]), None)
    if shop is None:
        raise HTTPException(404)
    feed = api(request).subscribe("ShopOrderEvents", {"shopId": shop["id"]}, token=token)
    return event_stream(feed, lambda data: describe(data["orderEvents"]))


def describe(event: dict[str, Any]) -> dict[str, str]:
    """An order event as the line the seller reads."""
    order = event["order"]
    text = f"{EVENTS[event['type']]}: {order['number']} · {rupiah(order['total']['amount'])}"
    return {
        "type": event["type"],
        "number": order["number"],
        "text": f"{text} · {STATUS[order['status']]}",
    }


routes = [
    Route("/penjual", home, name="seller"),
    Route("/penjual/toko-baru", shop_form, name="seller_shop_new"),
    Route("/penjual/toko-baru", open_shop, methods=["POST"], name="seller_shop_open"),
    Route("/penjual/toko/{slug}", dashboard, name="seller_shop"),
    Route("/penjual/toko/{slug}/langsung", live, name="seller_live"),
    Route("/penjual/pesanan", move_order, methods=["POST"], name="seller_order_move"),
    Route("/penjual/komplain", answer_complaint, methods=["POST"], name="seller_complaint"),
]
