"""Pengurus: the cooperatives the user runs, applications to decide and the teller's
deposits (the books are in pengurus_books)."""

from __future__ import annotations

from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from storefront import session
from storefront.formatting import parse_rupiah, rupiah
from storefront.pages.members import ACCOUNTS
from storefront.web import (
    api,
    field_errors,
    page_errors,
    posted_key,
    redirect,
    render,
    signed_in_token,
)

DEPOSIT_FIELDS = {"membershipId", "account", "amount", "note"}


async def home(request: Request) -> Response:
    data = await api(request).run("AdministeredCooperatives", token=signed_in_token(request))
    return render(
        request, "pengurus/home.html", {"cooperatives": data["me"]["administeredCooperatives"]}
    )


async def administered(request: Request, token: str) -> dict[str, Any]:
    """The cooperative of the path, when the user is one of its pengurus."""
    data = await api(request).run("AdministeredCooperatives", token=token)
    slug = request.path_params["slug"]
    found = next((c for c in data["me"]["administeredCooperatives"] if c["slug"] == slug), None)
    if found is None:
        raise HTTPException(404)
    return found


async def members(request: Request) -> Response:
    token = signed_in_token(request)
    return await _members_page(request, token, {"account": "SUKARELA"}, {})


async def decide(request: Request) -> Response:
    form = await session.checked_form(request)
    token = signed_in_token(request)
    cooperative = await administered(request, token)
    approve = form.get("decision") == "terima"
    variables = {
        "id": str(form.get("membership_id", ""))[:200],
        "approve": approve,
        "reason": None if approve else str(form.get("reason", "")).strip()[:500] or None,
    }
    result = (await api(request).run("DecideApplication", variables, token=token))[
        "decideMembership"
    ]
    if result["errors"]:
        session.flash(request, result["errors"][0]["message"])
    else:
        found = result["membership"]
        name = found["user"]["name"]
        session.flash(
            request,
            f"{name} diterima sebagai anggota no. {found['number']}."
            if approve
            else f"Permohonan {name} ditolak.",
        )
    return redirect(f"/pengurus/{cooperative['slug']}")


async def deposit(request: Request) -> Response:
    form = await session.checked_form(request)
    token = signed_in_token(request)
    values = {name: str(form.get(name, "")).strip() for name in DEPOSIT_FIELDS}
    amount = parse_rupiah(values["amount"])
    errors = {}
    if values["account"] not in ACCOUNTS:
        errors["account"] = "Pilih simpanan."
    if amount is None:
        errors["amount"] = "Jumlah harus berupa rupiah bulat, misalnya 50.000."
    if errors:
        return await _members_page(request, token, values, errors, 400)
    variables = {
        "membershipId": values["membershipId"],
        "account": values["account"],
        "amount": amount,
        "note": values["note"] or None,
        "idempotencyKey": posted_key(form),
    }
    result = (await api(request).run("TellerDeposit", variables, token=token))["recordDeposit"]
    if result["errors"]:
        return await _members_page(request, token, values, field_errors(result["errors"]), 400)
    moved = result["transaction"]
    session.flash(
        request,
        f"Setoran {rupiah(moved['amount']['amount'])} ke {ACCOUNTS[moved['account']].lower()}"
        f" tercatat. Saldo kini {rupiah(moved['balanceAfter']['amount'])}.",
    )
    return redirect(f"/pengurus/{request.path_params['slug']}")


async def _members_page(
    request: Request, token: str, values: dict[str, str], errors: dict[str, str], status: int = 200
) -> Response:
    cooperative = await administered(request, token)
    found = (await api(request).run("PengurusMembers", {"id": cooperative["id"]}, token=token))[
        "node"
    ]
    context = {
        "cooperative": found,
        "pending": [edge["node"] for edge in found["pending"]["edges"]],
        "active": [edge["node"] for edge in found["active"]["edges"]],
        "accounts": ACCOUNTS,
        "values": values,
        "errors": errors,
        "page_errors": page_errors(errors, DEPOSIT_FIELDS),
    }
    return render(request, "pengurus/members.html", context, status)


routes = [
    Route("/pengurus", home, name="pengurus"),
    Route("/pengurus/{slug}", members, name="pengurus_members"),
    Route("/pengurus/{slug}/keputusan", decide, methods=["POST"], name="pengurus_decide"),
    Route("/pengurus/{slug}/setoran", deposit, methods=["POST"], name="pengurus_deposit"),
]
