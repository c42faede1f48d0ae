"""Anggota: the signed-in user's memberships, each one's savings, bills, loans and movements,
and the cooperative's live feed."""

from __future__ import annotations

from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from storefront.formatting import date_time, rupiah
from storefront.live import event_stream
from storefront.pages.cooperatives import MEMBERSHIP, most_present
from storefront.web import api, render, signed_in_token

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
}
LOANS = {
    "APPLIED": "Diajukan",
    "APPROVED": "Disetujui",
    "REJECTED": "Ditolak",
    "ACTIVE": "Berjalan",
    "PAID_OFF": "Lunas",
}


async def memberships(request: Request) -> Response:
    me = (await api(request).run("MyMemberships", token=signed_in_token(request)))["me"]
    context = {
        "memberships": me["memberships"],
        "administered": me["administeredCooperatives"],
        "membership_status": MEMBERSHIP,
    }
    return render(request, "member/home.html", context)


async def _membership(request: Request, token: str, operation: str) -> dict[str, Any]:
    """The user's membership of the cooperative named in the path, the most present one, as
    `operation` (MemberPage or MyMemberships) tells it."""
    found = (await api(request).run(operation, token=token))["me"]["memberships"]
    slug = request.path_params["slug"]
    membership = most_present([m for m in found if m["cooperative"]["slug"] == slug])
    if membership is None:
        raise HTTPException(404)
    return membership


async def dashboard(request: Request) -> Response:
    membership = await _membership(request, signed_in_token(request), "MemberPage")
    context = {
        "membership": membership,
        "transactions": [edge["node"] for edge in membership["transactions"]["edges"]],
        "accounts": ACCOUNTS,
        "kinds": KINDS,
        "loans": LOANS,
        "membership_status": MEMBERSHIP,
    }
    return render(request, "member/dashboard.html", context)


async def live(request: Request) -> Response:
    """The cooperative's movements as they are posted, for an active member."""
    token = signed_in_token(request)
    membership = await _membership(request, token, "MyMemberships")
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
]
