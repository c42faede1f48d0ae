"""Simpanan berjangka on the member's page: opening one from SUKARELA and withdrawing one
before its maturity date; the API's refusal comes back as the page's notice."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from storefront import session
from storefront.formatting import parse_rupiah, rupiah
from storefront.pages.members import membership_in_path
from storefront.web import api, redirect, signed_in_token


def _back(request: Request, result: dict[str, Any], done: str) -> Response:
    errors = result["errors"]
    session.flash(request, errors[0]["message"] if errors else done)
    return redirect(f"/anggota/{request.path_params['slug']}#berjangka")


async def open_deposit(request: Request) -> Response:
    """The member opens a deposit of the chosen product from their SUKARELA."""
    form = await session.checked_form(request)
    token = signed_in_token(request)
    amount = parse_rupiah(str(form.get("amount", "")).strip()[:30])
    if amount is None:
        session.flash(request, "Jumlah simpanan berjangka harus rupiah bulat, misalnya 5.000.000.")
        return redirect(f"/anggota/{request.path_params['slug']}#berjangka")
    membership = await membership_in_path(request, token, "MyMemberships")
    maturity = "ROLL_OVER" if form.get("maturityInstruction") == "ROLL_OVER" else "PAY_OUT"
    variables = {
        "input": {
            "membershipId": membership["id"],
            "productId": str(form.get("productId", ""))[:100],
            "amount": amount,
            "maturityInstruction": maturity,
            "idempotencyKey": str(form.get("idempotencyKey", ""))[:100] or None,
        }
    }
    result = (await api(request).run("OpenTimeDeposit", variables, token=token))["openTimeDeposit"]
    return _back(request, result, f"Simpanan berjangka {rupiah(amount)} dibuka.")


async def withdraw_early(request: Request) -> Response:
    """The member withdraws a deposit before its maturity date, less the penalty."""
    form = await session.checked_form(request)
    token = signed_in_token(request)
    variables = {"id": str(form.get("depositId", ""))[:100]}
    found = await api(request).run("WithdrawTimeDepositEarly", variables, token=token)
    result = found["withdrawTimeDepositEarly"]
    paid = result["timeDeposit"]["closingAmount"]["amount"] if result["timeDeposit"] else 0
    return _back(request, result, f"Simpanan berjangka dicairkan: {rupiah(paid)} ke sukarela.")


routes = [
    Route("/anggota/{slug}/berjangka", open_deposit, methods=["POST"], name="deposit_open"),
    Route(
        "/anggota/{slug}/berjangka/cairkan",
        withdraw_early,
        methods=["POST"],
        name="deposit_withdraw",
    ),
]
