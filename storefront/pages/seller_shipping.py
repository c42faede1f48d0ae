"""Penjual: a shop's shipping settings: pickup at the shop with its opening hours, the shop's
own courier with a fee per kecamatan and a free-shipping threshold, and couriers."""

from __future__ import annotations

from typing import Any

from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from storefront import session
from storefront.formatting import parse_rupiah
from storefront.web import api, redirect, render, signed_in_token

KINDS = {
    "PICKUP": "Ambil di toko",
    "SHOP_COURIER": "Kurir toko sendiri",
    "COURIER": "Kurir ekspedisi",
}
FEE = "fee-"  # the own courier's fee to a kecamatan is the field FEE + its code


async def settings(request: Request) -> Response:
    return await _page(request, {}, None)


async def save(request: Request) -> Response:
    form = await session.checked_form(request)
    token = signed_in_token(request)
    kind = str(form.get("kind", ""))
    data = await _owned(request, token)
    if kind not in KINDS:
        raise HTTPException(400)
    shop = data["shop"]
    input_, problems = _method_input(kind, form)
    if not problems:
        variables = {"shopId": shop["id"], "input": input_}
        result = (await api(request).run("SetShippingMethod", variables, token=token))[
            "setShippingMethod"
        ]
        problems = [error["message"] for error in result["errors"]]
    if problems:
        return await _page(request, {kind: problems}, data, status=400)
    session.flash(request, f"Pengaturan {KINDS[kind].lower()} disimpan.")
    return redirect(f"/penjual/toko/{shop['slug']}/pengiriman")


def _method_input(kind: str, form: FormData) -> tuple[dict[str, Any], list[str]]:
    """The ShippingMethodInput the form asks for, or what cannot be read of it."""
    body: dict[str, Any] = {
        "kind": kind,
        "name": str(form.get("name", "")).strip() or None,
        "isActive": form.get("isActive") == "1",
    }
    problems: list[str] = []
    if kind == "PICKUP":
        body["openingHours"] = str(form.get("openingHours", ""))
    elif kind == "SHOP_COURIER":
        body["fees"] = []
        for name, value in form.multi_items():
            text = str(value).strip()
            if name.startswith(FEE) and text:
                fee = parse_rupiah(text)
                if fee is None:
                    problems.append(f"Ongkir {text!r} bukan jumlah rupiah.")
                body["fees"].append({"kecamatanCode": name.removeprefix(FEE), "fee": fee or 0})
        minimum = str(form.get("freeShippingMinimum", "")).strip()
        body["freeShippingMinimum"] = parse_rupiah(minimum) if minimum else None
        if minimum and body["freeShippingMinimum"] is None:
            problems.append("Batas gratis ongkir bukan jumlah rupiah.")
    else:
        body["couriers"] = [str(code) for code in form.getlist("couriers")]
    return body, problems


async def _owned(request: Request, token: str) -> dict[str, Any]:
    """The shop of the page's slug with its settings, when the signed-in user owns it."""
    slug = request.path_params["slug"][:200]
    data = await api(request).run("SellerShipping", {"slug": slug}, token=token)
    if data["shop"] is None or slug not in {s["slug"] for s in data["me"]["shops"]}:
        raise HTTPException(404)
    return data


async def _page(
    request: Request,
    errors: dict[str, list[str]],
    data: dict[str, Any] | None,
    status: int = 200,
) -> Response:
    token = signed_in_token(request)
    data = data or await _owned(request, token)
    methods = {m["kind"]: m for m in data["shop"]["shippingMethods"]}
    courier = methods.get("SHOP_COURIER")
    context = {
        "shop": data["shop"],
        "methods": methods,
        "kinds": KINDS,
        "kecamatan": data["kecamatan"],
        "fees": {f["kecamatan"]["code"]: f["fee"]["amount"] for f in courier["fees"]}
        if courier
        else {},
        "couriers": data["shippingCouriers"],
        "errors": errors,
    }
    return render(request, "seller/shipping.html", context, status)


routes = [
    Route("/penjual/toko/{slug}/pengiriman", settings, name="seller_shipping"),
    Route("/penjual/toko/{slug}/pengiriman", save, methods=["POST"], name="seller_shipping_save"),
]
