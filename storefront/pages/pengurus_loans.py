"""Pengurus: the cooperative's loans to decide, disburse and collect, its portfolio, and the
applicant's shop sales when shared (the capital view)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from storefront import session
from storefront.formatting import parse_percent, parse_rupiah, rupiah, short_month
from storefront.pages.members import METHODS
from storefront.pages.pengurus import administered
from storefront.web import (
    api,
    field_errors,
    page_errors,
    posted_key,
    redirect,
    render,
    signed_in_token,
)

KEY = "idempotencyKey"  # carried by the disbursement and repayment forms
CHART_HEIGHT = 120  # px of the tallest bar
BAR_STEP = 34  # px from one month's bar to the next
BAR_WIDTH = 26
METHOD_NOTES = {
    "FLAT": "bunga tetap dari pokok awal tiap bulan; angsuran sama setiap bulan",
    "EFEKTIF": "bunga dari sisa pokok; pokok sama tiap bulan, angsuran makin kecil",
    "ANUITAS": "bunga dari sisa pokok; angsuran sama setiap bulan, porsi pokok makin besar",
}
STATUSES = ("applied", "approved", "active")
LOAN_FIELDS = {"annualRateBps", "method", "reason", "amount", "id"}


@dataclass(frozen=True)
class SalesBar:
    """One month of the capital view's chart."""

    label: str
    x: int
    height: int
    revenue: int


def sales_bars(months: list[dict[str, Any]]) -> list[SalesBar]:
    """The months' revenue as bars scaled to the best month (all flat when nothing sold)."""
    best = max((m["revenue"]["amount"] for m in months), default=0)
    return [
        SalesBar(
            short_month(m["month"]),
            i * BAR_STEP,
            m["revenue"]["amount"] * CHART_HEIGHT // best if best else 0,
            m["revenue"]["amount"],
        )
        for i, m in enumerate(months)
    ]


async def loans(request: Request) -> Response:
    return await _page(request, signed_in_token(request), "", {}, {})


async def approve(request: Request) -> Response:
    token, loan_id, values = await _posted(request, "rate", "method")
    rate = parse_percent(values["rate"])
    if rate is None:
        errors = {"annualRateBps": "Bunga ditulis dalam persen per tahun, misalnya 12 atau 12,5."}
        return await _page(request, token, loan_id, values, errors, 400)
    variables = {"annualRateBps": int(rate * 100), "method": values["method"]}
    return await _decide(request, token, loan_id, values, "ApproveLoan", variables)


async def reject(request: Request) -> Response:
    token, loan_id, values = await _posted(request, "reason")
    variables = {"reason": values["reason"]}
    return await _decide(request, token, loan_id, values, "RejectLoan", variables)


async def disburse(request: Request) -> Response:
    token, loan_id, values = await _posted(request, KEY)
    variables = {KEY: posted_key(values)}
    return await _decide(request, token, loan_id, values, "DisburseLoan", variables)


async def repay(request: Request) -> Response:
    token, loan_id, values = await _posted(request, "amount", KEY)
    amount = parse_rupiah(values["amount"])
    if amount is None:
        errors = {"amount": "Jumlah harus berupa rupiah bulat, misalnya 450.000."}
        return await _page(request, token, loan_id, values, errors, 400)
    variables = {"amount": amount, KEY: posted_key(values)}
    return await _decide(request, token, loan_id, values, "RepayLoan", variables)


async def _posted(request: Request, *fields: str) -> tuple[str, str, dict[str, str]]:
    """A loan form's (token, loan id, values of `fields`), after its CSRF check."""
    form = await session.checked_form(request)
    token = signed_in_token(request)
    values = {name: str(form.get(name, "")).strip()[:500] for name in fields}
    return token, str(form.get("loan_id", ""))[:200], values


async def _decide(
    request: Request,
    token: str,
    loan_id: str,
    values: dict[str, str],
    operation: str,
    variables: dict[str, Any],
) -> Response:
    """Run `operation` on the loan; back to the loans page with a notice, or with the API's
    errors next to the loan's fields."""
    answer = await api(request).run(operation, {"id": loan_id, **variables}, token=token)
    result = next(iter(answer.values()))
    if result["errors"]:
        return await _page(request, token, loan_id, values, field_errors(result["errors"]), 400)
    session.flash(request, _notice(operation, result["loan"]))
    return redirect(f"/pengurus/{request.path_params['slug']}/pinjaman")


def _notice(operation: str, loan: dict[str, Any]) -> str:
    name = loan["membership"]["user"]["name"]
    if operation == "RepayLoan":
        left = rupiah(loan["outstanding"]["amount"])
        return f"Angsuran pinjaman {name} tercatat; sisa pokok {left}."
    done = {
        "ApproveLoan": "disetujui",
        "RejectLoan": "ditolak",
        "DisburseLoan": "dicairkan ke simpanan sukarela",
    }
    return f"Pinjaman {name} {done[operation]}."


async def _page(
    request: Request,
    token: str,
    failed: str,
    values: dict[str, str],
    errors: dict[str, str],
    status: int = 200,
) -> Response:
    """The loans page; `failed` is the loan whose form `errors` and `values` belong to."""
    cooperative = await administered(request, token)
    found = (await api(request).run("PengurusLoans", {"id": cooperative["id"]}, token=token))[
        "node"
    ]
    listed = {status: [edge["node"] for edge in found[status]["edges"]] for status in STATUSES}
    on_page = any(loan["id"] == failed for loans in listed.values() for loan in loans)
    context = {
        "cooperative": found,
        **listed,
        "charts": {
            loan["id"]: sales_bars(loan["shopSales"])
            for loan in listed["applied"]
            if loan["shopSales"] is not None
        },
        "chart": {"height": CHART_HEIGHT, "step": BAR_STEP, "bar": BAR_WIDTH},
        "methods": METHODS,
        "method_notes": METHOD_NOTES,
        "failed": failed,
        "values": values,
        "errors": errors,
        "page_errors": page_errors(errors, LOAN_FIELDS),
        # the API's refusal of a loan not listed here (another cooperative's, say)
        "top_errors": [] if on_page else list(errors.values()),
    }
    return render(request, "pengurus/loans.html", context, status)


routes = [
    Route("/pengurus/{slug}/pinjaman", loans, name="pengurus_loans"),
    Route("/pengurus/{slug}/pinjaman/setujui", approve, methods=["POST"]),
    Route("/pengurus/{slug}/pinjaman/tolak", reject, methods=["POST"]),
    Route("/pengurus/{slug}/pinjaman/cairkan", disburse, methods=["POST"]),
    Route("/pengurus/{slug}/pinjaman/angsuran", repay, methods=["POST"]),
]
