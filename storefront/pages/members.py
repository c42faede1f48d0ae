"""Anggota: the signed-in user's memberships, each one's savings, bills, loans and movements,
and the cooperative's live feed."""

from __future__ import annotations

from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from storefront import session
from storefront.formatting import date_time, parse_rupiah, rupiah
from storefront.live import event_stream
from storefront.pages.cooperatives import MEMBERSHIP, most_present
from storefront.web import api, field_errors, page_errors, redirect, render, signed_in_token

ACCOUNTS = {"POKOK": "Simpanan pokok", "WAJIB": "Simpanan wajib", "SUKARELA": "Simpanan sukarela"}
KINDS = {
    "DEPOSIT": "Setoran",
    "WITHDRAWAL": "Penarikan",
    "LOAN_DISBURSEMENT": "Pencairan pinjaman",
    "LOAN_REPAYMENT": "Angsuran pinjaman",
    "BILL_PAYMENT": "Pembayaran tagihan",
    "PURCHASE": "Belanja",
    "REFUND": "Pengembalian dana",
    "SHU": "Pembagian SHU",
    "TIME_DEPOSIT": "Simpanan berjangka",
    "TIME_DEPOSIT_INTEREST": "Jasa simpanan berjangka",
}
DEPOSITS = {
    "ACTIVE": "Berjalan",
    "WITHDRAWN_EARLY": "Dicairkan sebelum jatuh tempo",
    "PAID_OUT": "Dicairkan saat jatuh tempo",
    "ROLLED_OVER": "Diperpanjang otomatis",
}
MATURITY = {"ROLL_OVER": "diperpanjang otomatis (ARO)", "PAY_OUT": "dicairkan ke sukarela"}
PAYOUT = {"MONTHLY": "jasa dibayar tiap bulan", "AT_MATURITY": "jasa dibayar saat jatuh tempo"}
LOANS = {
    "APPLIED": "Diajukan",
    "APPROVED": "Disetujui",
    "REJECTED": "Ditolak",
    "ACTIVE": "Berjalan",
    "PAID_OFF": "Lunas",
}
METHODS = {"FLAT": "Flat", "EFEKTIF": "Efektif", "ANUITAS": "Anuitas"}
LOAN_FIELDS = {"principal", "tenorMonths", "purpose", "shareShopSales"}


async def memberships(request: Request) -> Response:
    me = (await api(request).run("MyMemberships", token=signed_in_token(request)))["me"]
    context = {
        "memberships": me["memberships"],
        "administered": me["administeredCooperatives"],
        "membership_status": MEMBERSHIP,
    }
    return render(request, "member/home.html", context)


async def membership_in_path(request: Request, token: str, operation: str) -> dict[str, Any]:
    """The user's membership of the cooperative named in the path, the most present one, as
    `operation` (MemberPage or MyMemberships) tells it."""
    found = (await api(request).run(operation, token=token))["me"]["memberships"]
    slug = request.path_params["slug"]
    membership = most_present([m for m in found if m["cooperative"]["slug"] == slug])
    if membership is None:
        raise HTTPException(404)
    return membership


async def dashboard(request: Request) -> Response:
    return await _dashboard(request, signed_in_token(request), {"tenorMonths": "12"}, {})


async def _dashboard(
    request: Request, token: str, values: dict[str, str], errors: dict[str, str], status: int = 200
) -> Response:
    membership = await membership_in_path(request, token, "MemberPage")
    context = {
        "membership": membership,
        "values": values,
        "errors": errors,
        "page_errors": page_errors(errors, LOAN_FIELDS),
        "methods": METHODS,
        "transactions": [edge["node"] for edge in membership["transactions"]["edges"]],
        "accounts": ACCOUNTS,
        "kinds": KINDS,
        "loans": LOANS,
        "membership_status": MEMBERSHIP,
        "deposits": [edge["node"] for edge in membership["timeDeposits"]["edges"]],
        "deposit_status": DEPOSITS,
        "maturity": MATURITY,
        "payout": PAYOUT,
    }
    return render(request, "member/dashboard.html", context, status)


async def apply_loan(request: Request) -> Response:
    """The member's application for a loan, sharing their shops' sales only when ticked."""
    form = await session.checked_form(request)
    token = signed_in_token(request)
    values = {name: str(form.get(name, "")).strip()[:500] for name in LOAN_FIELDS}
    principal = parse_rupiah(values["principal"])
    errors = {}
    if principal is None:
        errors["principal"] = "Jumlah pinjaman harus berupa rupiah bulat, misalnya 5.000.000."
    if not values["tenorMonths"].isdigit() or len(values["tenorMonths"]) > 3:
        errors["tenorMonths"] = "Jangka waktu ditulis dalam bulan, misalnya 12."
    if errors:
        return await _dashboard(request, token, values, errors, 400)
    membership = await membership_in_path(request, token, "MyMemberships")
    variables = {
        "input": {
            "membershipId": membership["id"],
            "principal": principal,
            "tenorMonths": int(values["tenorMonths"]),
            "purpose": values["purpose"],
            "shareShopSales": values["shareShopSales"] == "ya",
        }
    }
    result = (await api(request).run("ApplyLoan", variables, token=token))["applyLoan"]
    if result["errors"]:
        return await _dashboard(request, token, values, field_errors(result["errors"]), 400)
    session.flash(request, "Pengajuan pinjaman terkirim. Pengurus akan memeriksanya.")
    return redirect(f"/anggota/{request.path_params['slug']}#pinjaman")


async def live(request: Request) -> Response:
    """The cooperative's movements as they are posted, for an active member."""
    token = signed_in_token(request)
    membership = await membership_in_path(request, token, "MyMemberships")
    if membership["status"] != "ACTIVE":
        raise HTTPException(404)
    variables = {"cooperativeId": membership["cooperative"]["id"]}
    feed = api(request).subscribe("CooperativeFeed", variables, token=token)
    return event_stream(feed, lambda data: describe(data["cooperativeTransactions"]))


def describe(line: dict[str, Any]) -> dict[str, Any]:
    """A movement as the member reads it; with the new balance when it is the member's own."""
    who = f"Anggota no. {line['membership']['number']}" if line["membership"] else "Anggota lain"
    text = (
        f"{date_time(line['createdAt'])} · {who} · {KINDS[line['kind']]}"
        f" {ACCOUNTS[line['account']].lower()} {rupiah(line['amount']['amount'])}"
    )
    event: dict[str, Any] = {"text": text, "account": line["account"]}
    if line["balanceAfter"] is not None:
        event["balance"] = line["balanceAfter"]["amount"]
        event["balanceText"] = rupiah(line["balanceAfter"]["amount"])
    return event


routes = [
    Route("/anggota", memberships, name="memberships"),
    Route("/anggota/{slug}", dashboard, name="membership"),
    Route("/anggota/{slug}/langsung", live, name="membership_live"),
    Route("/anggota/{slug}/pinjaman", apply_loan, methods=["POST"], name="membership_loan"),
]
