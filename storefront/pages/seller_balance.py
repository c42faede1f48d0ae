"""Penjual: a shop's balance (available, held with when each order releases it, payouts in
progress, the payout limits) and one month's statement with its CSV, xlsx and PDF files."""

from __future__ import annotations

import re
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from storefront.formatting import this_month
from storefront.web import api, render, signed_in_token

PERIOD = re.compile(r"\d{4}-(0[1-9]|1[0-2])")
KINDS = {
    "SALE": "Penjualan",
    "PLATFORM_FEE": "Biaya platform",
    "PAYOUT": "Penarikan",
    "PAYOUT_RETURNED": "Penarikan dikembalikan",
}


async def owned_shop(request: Request, operation: str, variables: dict[str, Any]) -> dict[str, Any]:
    """The page's shop with what `operation` reads of it; a stranger (the API's null balance)
    gets the refusal as a page."""
    slug = request.path_params["slug"][:200]
    token = signed_in_token(request)
    data = await api(request).run(operation, {"slug": slug, **variables}, token=token)
    if data["shop"] is None:
        raise HTTPException(404)
    if data["shop"]["balance"] is None:
        raise HTTPException(403)
    return data


async def balance(request: Request) -> Response:
    period = request.query_params.get("bulan", "")[:7]
    if not PERIOD.fullmatch(period) or period > this_month():
        period = this_month()
    after = request.query_params.get("setelah", "")[:200] or None
    shop = (await owned_shop(request, "SellerMoney", {"period": period, "after": after}))["shop"]
    context = {
        "shop": shop,
        "balance": shop["balance"],
        "statement": shop["balanceStatement"],
        "file": shop["statementFile"],
        "period": period,
        "kinds": KINDS,
    }
    return render(request, "seller/balance.html", context)


routes = [Route("/penjual/toko/{slug}/saldo", balance, name="seller_balance")]
