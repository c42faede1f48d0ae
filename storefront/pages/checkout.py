"""Checkout: where to send it and how to pay, then one order per shop."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from storefront import session
from storefront.formatting import parse_rupiah
from storefront.web import (
    api,
    field_errors,
    fresh_key,
    page_errors,
    posted_key,
    redirect,
    render,
    signed_in_token,
)

METHODS = {
    "QRIS": "QRIS (pindai dengan aplikasi bank atau dompet digital)",
    "BANK_TRANSFER": "Transfer ke virtual account",
    "COD": "Bayar di tempat (COD)",
    "COOPERATIVE_BALANCE": "Simpanan sukarela koperasi",
}
SAVINGS = "COOPERATIVE_BALANCE"
FIELDS = {"recipient", "phone", "street", "kelurahanCode", "paymentMethod", "membershipId"}


async def checkout_form(request: Request) -> Response:
    token = signed_in_token(request)
    return await _page(request, token, {"paymentMethod": "QRIS"}, {})


async def place(request: Request) -> Response:
    form = await session.checked_form(request)
    token = signed_in_token(request)
    values = {name: str(form.get(name, "")).strip() for name in FIELDS}
    values["idempotencyKey"] = posted_key(form)
    if values["paymentMethod"] not in METHODS:
        errors = {"paymentMethod": "Pilih cara pembayaran."}
        return await _page(request, token, values, errors, status=400)
    from_savings = values["paymentMethod"] == SAVINGS
    codes = _voucher_codes(form)
    data = await api(request).run(
        "Checkout",
        {
            "input": {
                "paymentMethod": values["paymentMethod"],
                "idempotencyKey": values["idempotencyKey"],
                "membershipId": (values["membershipId"] or None) if from_savings else None,
                # The total the form showed: charged only if it is still the total. A voucher's
                # discount is not in it; then the lines' prices the buyer took still hold.
                "expectedTotal": (
                    None if codes else parse_rupiah(str(form.get("expectedTotal", "")))
                ),
                "shops": [{"shopId": shop_id, "voucherCode": code} for shop_id, code in codes],
                "shippingAddress": {
                    "recipient": values["recipient"],
                    "phone": values["phone"],
                    "street": values["street"],
                    "kelurahanCode": values["kelurahanCode"],
                },
            }
        },
        token=token,
    )
    result = data["checkout"]
    if result["errors"]:
        values.update({f"voucher-{shop_id}": code for shop_id, code in codes})
        errors = field_errors(_by_voucher_field(result["errors"], codes))
        return await _page(request, token, values, errors, status=400)
    numbers = ", ".join(order["number"] for order in result["orders"])
    session.flash(request, f"Terima kasih! Pesanan {numbers} sudah dibuat.")
    return redirect("/pesanan")


async def _page(
    request: Request, token: str, values: dict[str, str], errors: dict[str, str], status: int = 200
) -> Response:
    data = await api(request).run("CheckoutPage", token=token)
    values.setdefault("idempotencyKey", fresh_key())
    paying = [m for m in data["me"]["memberships"] if m["status"] == "ACTIVE"]
    shops: dict[str, dict[str, Any]] = {}
    for line in data["myCart"]["lines"]:
        shops.setdefault(line["product"]["shop"]["id"], line["product"]["shop"])
    context = {
        "cart": data["myCart"],
        "shops": list(shops.values()),
        "regions": data["kecamatan"],
        # Savings pay only for a buyer with an active membership.
        "methods": METHODS if paying else {k: v for k, v in METHODS.items() if k != SAVINGS},
        "memberships": [(m, sukarela(m)) for m in paying],
        "values": values,
        "errors": errors,
        "page_errors": page_errors(errors, FIELDS | {f"voucher-{shop_id}" for shop_id in shops}),
    }
    return render(request, "checkout.html", context, status)


def _voucher_codes(form: Any) -> list[tuple[str, str]]:
    """(shop id, code) for each shop whose voucher field the buyer filled in."""
    return [
        (str(name).removeprefix("voucher-"), str(value).strip()[:40])
        for name, value in form.multi_items()
        if str(name).startswith("voucher-") and str(value).strip()
    ]


def _by_voucher_field(errors: list[dict[str, Any]], codes: list[tuple[str, str]]) -> list[dict]:
    """The API names a voucher by its entry (`shops.1.voucherCode`); the form by its shop."""
    named = []
    for error in errors:
        parts = (error.get("field") or "").split(".")
        if len(parts) == 3 and parts[0] == "shops" and parts[1].isdigit():
            index = int(parts[1])
            if index < len(codes):
                error = {**error, "field": f"voucher-{codes[index][0]}"}
        named.append(error)
    return named


def sukarela(membership: dict[str, Any]) -> int:
    """The membership's SUKARELA balance: what can pay a purchase."""
    found = [s for s in membership["savings"] if s["account"] == "SUKARELA"]
    return found[0]["balance"]["amount"] if found else 0


routes = [
    Route("/checkout", checkout_form, name="checkout"),
    Route("/checkout", place, methods=["POST"], name="checkout_place"),
]
