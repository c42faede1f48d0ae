"""Checkout: where to send it and how to pay, then one order per shop."""

from __future__ import annotations

from typing import Any

from starlette.datastructures import ImmutableMultiDict
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from storefront import session
from storefront.api import QueryFailed
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
# A shop's shipping choice is the form field SHIP + its id, holding a ShippingOption id.
SHIP = "ship-"
VOUCHER = "voucher-"


async def checkout_form(request: Request) -> Response:
    token = signed_in_token(request)
    return await _page(request, token, {"paymentMethod": "QRIS"}, {})


async def place(request: Request) -> Response:
    form = await session.checked_form(request)
    token = signed_in_token(request)
    values = {name: str(form.get(name, "")).strip() for name in FIELDS}
    values["idempotencyKey"] = posted_key(form)
    values.update(voucher_fields(form))
    choices = shop_choices(form)
    if form.get("hitung"):  # without JavaScript: the options and fees for this kelurahan
        return await _page(request, token, values, {}, choices=choices)
    if values["paymentMethod"] not in METHODS:
        errors = {"paymentMethod": "Pilih cara pembayaran."}
        return await _page(request, token, values, errors, status=400, choices=choices)
    from_savings = values["paymentMethod"] == SAVINGS
    data = await api(request).run(
        "Checkout",
        {
            "input": {
                "paymentMethod": values["paymentMethod"],
                "idempotencyKey": values["idempotencyKey"],
                "membershipId": (values["membershipId"] or None) if from_savings else None,
                # The total the form showed: charged only if it is still the total.
                "expectedTotal": parse_rupiah(str(form.get("expectedTotal", ""))),
                "shops": choices or None,
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
        errors = field_errors(result["errors"])
        return await _page(request, token, values, errors, status=400, choices=choices)
    numbers = ", ".join(order["number"] for order in result["orders"])
    session.flash(request, f"Terima kasih! Pesanan {numbers} sudah dibuat.")
    return redirect("/pesanan")


async def shipping_part(request: Request) -> Response:
    """The shipping options and totals for a kelurahan and choices: what the checkout page's
    script puts in place when either changes."""
    token = signed_in_token(request)
    params = request.query_params
    cart = (await api(request).run("CartView", token=token))["myCart"]
    found = await quote(request, token, params.get("kelurahanCode", ""), shop_choices(params))
    context = {"quote": found, "cart": cart, "values": voucher_fields(params), "errors": {}}
    return render(request, "checkout_shipping.html", context)


def shop_choices(fields: ImmutableMultiDict[str, Any]) -> list[dict[str, str]]:
    """The shops' shipping choices and voucher codes the form holds, as CheckoutShopInput."""
    by_shop: dict[str, dict[str, str]] = {}
    for name, value in fields.multi_items():
        given = str(value).strip()
        if given and name.startswith(SHIP):
            by_shop.setdefault(name.removeprefix(SHIP), {})["shippingOptionId"] = given
        elif given and name.startswith(VOUCHER):
            by_shop.setdefault(name.removeprefix(VOUCHER), {})["voucherCode"] = given[:40]
    return [{"shopId": shop_id, **chosen} for shop_id, chosen in by_shop.items()]


def voucher_fields(fields: ImmutableMultiDict[str, Any]) -> dict[str, str]:
    """The voucher codes as typed, to show them again."""
    return {
        name: str(value).strip()[:40] for name, value in fields.items() if name.startswith(VOUCHER)
    }


async def quote(
    request: Request, token: str, kelurahan: str, choices: list[dict[str, str]]
) -> dict[str, Any] | None:
    """The cart priced to the kelurahan with the choices; None before one is chosen."""
    if not kelurahan:
        return None
    variables = {"kelurahanCode": kelurahan[:20], "shops": choices or None}
    try:
        return (await api(request).run("CheckoutQuote", variables, token=token))["checkoutQuote"]
    except QueryFailed:  # an unknown kelurahan: the form says so beside its field
        return None


async def _page(
    request: Request,
    token: str,
    values: dict[str, str],
    errors: dict[str, str],
    status: int = 200,
    choices: list[dict[str, str]] | None = None,
) -> Response:
    data = await api(request).run("CheckoutPage", token=token)
    values.setdefault("idempotencyKey", fresh_key())
    paying = [m for m in data["me"]["memberships"] if m["status"] == "ACTIVE"]
    context = {
        "cart": data["myCart"],
        "regions": data["kecamatan"],
        # Savings pay only for a buyer with an active membership.
        "methods": METHODS if paying else {k: v for k, v in METHODS.items() if k != SAVINGS},
        "memberships": [(m, sukarela(m)) for m in paying],
        "values": values,
        "errors": errors,
        "page_errors": page_errors(errors, FIELDS | {"shops", "shippingOptionId", "voucherCode"}),
        "quote": await quote(request, token, values.get("kelurahanCode", ""), choices or []),
    }
    return render(request, "checkout.html", context, status)


def sukarela(membership: dict[str, Any]) -> int:
    """The membership's SUKARELA balance: what can pay a purchase."""
    found = [s for s in membership["savings"] if s["account"] == "SUKARELA"]
    return found[0]["balance"]["amount"] if found else 0


routes = [
    Route("/checkout", checkout_form, name="checkout"),
    Route("/checkout", place, methods=["POST"], name="checkout_place"),
    Route("/checkout/ongkir", shipping_part, name="checkout_shipping"),
]
