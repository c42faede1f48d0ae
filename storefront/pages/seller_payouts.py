"""Penjual: where a shop's payouts go (a bank account, checked with the provider first, or the
owner's SUKARELA at a cooperative), taking the balance out, and the payouts made."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from storefront import session
from storefront.formatting import parse_rupiah, rupiah
from storefront.pages.seller_balance import owned_shop
from storefront.web import (
    api,
    field_errors,
    page_errors,
    posted_key,
    redirect,
    render,
    signed_in_token,
)

STATUS = {"PENDING": "Diproses", "COMPLETED": "Berhasil", "FAILED": "Gagal"}
# Each form of the page and the fields it shows its errors next to.
FORMS = {
    "bank": {"bankCode", "accountNumber"},
    "check": {"bankAccountCheckId"},
    "savings": {"membershipId"},
    "payout": {"amount", "destinationId"},
}


async def payouts(request: Request) -> Response:
    return await _page(request, "", {}, {})


async def check(request: Request) -> Response:
    """The provider's inquiry: the holder's name is shown before the account is added."""
    form = await session.checked_form(request)
    token = signed_in_token(request)
    values = {name: str(form.get(name, "")).strip()[:40] for name in FORMS["bank"]}
    data = await _data(request)
    answer = await api(request).run("CheckPayoutAccount", values, token=token)
    result = answer["checkBankAccount"]
    if result["errors"]:
        return await _page(request, "bank", values, field_errors(result["errors"]), data, 400)
    return await _page(request, "check", values, {}, data, check=result["check"])


async def add(request: Request) -> Response:
    form = await session.checked_form(request)
    token = signed_in_token(request)
    data = await _data(request)
    shop = data["shop"]
    kind = "check" if form.get("bankAccountCheckId") else "savings"
    values = {name: str(form.get(name, ""))[:200] for name in FORMS[kind]}
    body = {"shopId": shop["id"], **{name: value or None for name, value in values.items()}}
    if kind == "savings" and not values["membershipId"]:
        errors = {"membershipId": "Pilih keanggotaan koperasi."}
        return await _page(request, kind, values, errors, data, 400)
    answer = await api(request).run("AddPayoutDestination", {"input": body}, token=token)
    result = answer["createPayoutDestination"]
    if result["errors"]:
        form_name = "bank" if kind == "check" else kind
        return await _page(request, form_name, values, field_errors(result["errors"]), data, 400)
    session.flash(request, f"Tujuan penarikan {result['destination']['label']} ditambahkan.")
    return redirect(f"/penjual/toko/{shop['slug']}/tarik#tujuan")


async def remove(request: Request) -> Response:
    form = await session.checked_form(request)
    token = signed_in_token(request)
    shop = (await _data(request))["shop"]
    variables = {"id": str(form.get("destination_id", ""))[:200]}
    answer = await api(request).run("RemovePayoutDestination", variables, token=token)
    result = answer["deletePayoutDestination"]
    message = result["errors"][0]["message"] if result["errors"] else "Tujuan penarikan dihapus."
    session.flash(request, message)
    return redirect(f"/penjual/toko/{shop['slug']}/tarik#tujuan")


async def withdraw(request: Request) -> Response:
    form = await session.checked_form(request)
    token = signed_in_token(request)
    data = await _data(request)
    shop = data["shop"]
    values = {name: str(form.get(name, "")).strip()[:200] for name in FORMS["payout"]}
    amount = parse_rupiah(values["amount"])
    if amount is None:
        errors = {"amount": "Isi jumlah penarikan dalam rupiah."}
        return await _page(request, "payout", values, errors, data, 400)
    body = {"shopId": shop["id"], "destinationId": values["destinationId"], "amount": amount,
            "idempotencyKey": posted_key(form)}  # fmt: skip
    answer = await api(request).run("WithdrawBalance", {"input": body}, token=token)
    result = answer["requestPayout"]
    if result["errors"]:
        return await _page(request, "payout", values, field_errors(result["errors"]), data, 400)
    payout = result["payout"]
    reason = f": {payout['failureReason']}" if payout["failureReason"] else "."
    said = f"Penarikan {rupiah(payout['amount']['amount'])} {STATUS[payout['status']].lower()}"
    session.flash(request, said + reason)
    return redirect(f"/penjual/toko/{shop['slug']}/tarik#penarikan")


async def _data(request: Request) -> dict[str, Any]:
    after = request.query_params.get("setelah", "")[:200] or None
    return await owned_shop(request, "SellerPayoutPage", {"after": after})


async def _page(
    request: Request,
    form_name: str,
    values: dict[str, str],
    errors: dict[str, str],
    data: dict[str, Any] | None = None,
    status: int = 200,
    check: dict[str, Any] | None = None,
) -> Response:
    data = data or await _data(request)
    shop = data["shop"]
    memberships = [m for m in data["me"]["memberships"] if m["status"] == "ACTIVE"]
    context = {
        "shop": shop,
        "balance": shop["balance"],
        "destinations": shop["payoutDestinations"],
        "destination_options": [(d["id"], d["label"]) for d in shop["payoutDestinations"]],
        "payouts": shop["payouts"],
        "bank_options": [(bank["code"], bank["name"]) for bank in data["payoutBanks"]],
        "membership_options": [(m["id"], m["cooperative"]["name"]) for m in memberships],
        "status": STATUS,
        "form": form_name,
        "values": values,
        "errors": errors,
        "page_errors": page_errors(errors, FORMS.get(form_name, set())),
        "check": check,
    }
    return render(request, "seller/payouts.html", context, status)


routes = [
    Route("/penjual/toko/{slug}/tarik", payouts, name="seller_payouts"),
    Route("/penjual/toko/{slug}/tarik", withdraw, methods=["POST"], name="seller_withdraw"),
    Route("/penjual/toko/{slug}/tarik/cek", check, methods=["POST"], name="seller_bank_check"),
    Route("/penjual/toko/{slug}/tarik/tujuan", add, methods=["POST"], name="seller_destination"),
    Route(
        "/penjual/toko/{slug}/tarik/hapus", remove, methods=["POST"], name="seller_destination_drop"
    ),
]
