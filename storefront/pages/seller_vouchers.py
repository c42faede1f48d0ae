"""Penjual: a shop's vouchers, with their uses; creating one and switching one on or off."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from storefront import session
from storefront.formatting import parse_rupiah
from storefront.web import api, field_errors, page_errors, redirect, render, signed_in_token

KINDS = {"FIXED": "Potongan rupiah", "PERCENT": "Diskon persen"}
FIELDS = {"code", "kind", "amount", "percent", "maxDiscount", "minSpend", "startsAt", "endsAt",
          "quota", "productIds"}  # fmt: skip
WIB = "+07:00"
# What the form must hold as a number or a date before the API is asked, and what it says.
MISSING = {
    "amount": "Isi potongan dalam rupiah.",
    "percent": "Isi persen 1 sampai 100.",
    "maxDiscount": "Isi potongan maksimal dalam rupiah.",
    "minSpend": "Isi minimal belanja dalam rupiah.",
    "startsAt": "Pilih tanggal mulai.",
    "endsAt": "Pilih tanggal berakhir.",
    "quota": "Isi kuota pemakaian.",
}
ALWAYS = ("minSpend", "startsAt", "endsAt", "quota")


async def vouchers(request: Request) -> Response:
    today = date.today()
    values = {"kind": "FIXED", "minSpend": "0", "quota": "100", "startsAt": today.isoformat(),
              "endsAt": (today + timedelta(days=30)).isoformat()}  # fmt: skip
    return await _page(request, values, {})


async def create(request: Request) -> Response:
    form = await session.checked_form(request)
    token = signed_in_token(request)
    values: dict[str, Any] = {name: str(form.get(name, "")).strip() for name in FIELDS}
    values["productIds"] = [str(p) for p in form.getlist("productIds")]
    shop = await _shop(request, token)
    percent = values["kind"] == "PERCENT"
    body = {
        "shopId": shop["id"],
        "code": values["code"],
        "kind": "PERCENT" if percent else "FIXED",
        "amount": None if percent else parse_rupiah(values["amount"]),
        "percent": _number(values["percent"]) if percent else None,
        "maxDiscount": parse_rupiah(values["maxDiscount"]) if percent else None,
        "minSpend": parse_rupiah(values["minSpend"] or "0"),
        "startsAt": _moment(values["startsAt"]),
        "endsAt": _moment(values["endsAt"], after=True),
        "quota": _number(values["quota"]),
        "productIds": values["productIds"],
    }
    needed = [*(("percent", "maxDiscount") if percent else ("amount",)), *ALWAYS]
    errors = {name: MISSING[name] for name in needed if body[name] is None}
    if errors:
        return await _page(request, values, errors, status=400)
    result = (await api(request).run("NewVoucher", {"input": body}, token=token))["createVoucher"]
    if result["errors"]:
        return await _page(request, values, field_errors(result["errors"]), status=400)
    session.flash(request, f"Voucher {result['voucher']['code']} dibuat.")
    return redirect(f"/penjual/toko/{shop['slug']}/voucher")


async def switch(request: Request) -> Response:
    """The owner switches a voucher off (or back on)."""
    form = await session.checked_form(request)
    token = signed_in_token(request)
    slug = re.sub(r"[^a-z0-9-]", "", str(form.get("shop", "")))
    variables = {"id": str(form.get("voucher_id", "")),
                 "input": {"isActive": form.get("isActive") == "1"}}  # fmt: skip
    result = (await api(request).run("SwitchVoucher", variables, token=token))["updateVoucher"]
    if result["errors"]:
        session.flash(request, result["errors"][0]["message"])
    else:
        voucher = result["voucher"]
        state = "aktif" if voucher["isActive"] else "nonaktif"
        session.flash(request, f"Voucher {voucher['code']} sekarang {state}.")
    return redirect(f"/penjual/toko/{slug}/voucher")


async def _shop(request: Request, token: str) -> dict[str, Any]:
    slug = request.path_params["slug"][:200]
    shop = (await api(request).run("SellerVouchers", {"slug": slug}, token=token))["shop"]
    if shop is None:
        raise HTTPException(404)
    return shop


async def _page(
    request: Request, values: dict[str, Any], errors: dict[str, str], status: int = 200
) -> Response:
    shop = await _shop(request, signed_in_token(request))
    context = {
        "shop": shop,
        "vouchers": [edge["node"] for edge in shop["vouchers"]["edges"]],
        "products": [edge["node"] for edge in shop["products"]["edges"]],
        "kinds": KINDS,
        "values": values,
        "errors": errors,
        "page_errors": page_errors(errors, FIELDS),
    }
    return render(request, "seller/vouchers.html", context, status)


def _number(text: str) -> int | None:
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 9 else None


def _moment(text: str, *, after: bool = False) -> str | None:
    """A date picked in the form as the instant it starts in WIB; `after`: the instant the day
    ends (the voucher is valid through that whole day)."""
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return None
    if after:
        day += timedelta(days=1)
    return datetime.combine(day, time()).isoformat() + WIB


routes = [
    Route("/penjual/toko/{slug}/voucher", vouchers, name="seller_vouchers"),
    Route("/penjual/toko/{slug}/voucher", create, methods=["POST"], name="seller_voucher_create"),
    Route("/penjual/voucher", switch, methods=["POST"], name="seller_voucher_switch"),
]
