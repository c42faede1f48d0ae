"""Pembukuan: the chart of accounts with balances, one account's ledger with its running
balance, and one entry with the form that reverses it. The API decides who reads the books
(the cooperative's pengurus and the Dinas); anyone else gets its refusal as a page."""

from __future__ import annotations

from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from storefront import session
from storefront.web import api, field_errors, page_errors, redirect, render, signed_in_token

KINDS = {
    "ASSET": "Aset",
    "LIABILITY": "Kewajiban",
    "EQUITY": "Ekuitas",
    "INCOME": "Pendapatan",
    "EXPENSE": "Beban",
}
ENTRY_KINDS = {
    "MEMBER": "Transaksi anggota",
    "CASH_RECEIPT": "Penerimaan kas",
    "CASH_PAYMENT": "Pengeluaran kas",
    "GENERAL": "Jurnal umum",
    "REVERSAL": "Pembalikan",
    "OPENING": "Saldo awal",
    "ALLOWANCE": "Penyisihan piutang",
    "WRITE_OFF": "Penghapusan piutang",
    "CLOSING": "Tutup buku",
}
# Undone by their own operations (MEMBER) or never undone: no reversal form for these.
NOT_REVERSIBLE = {"MEMBER", "OPENING", "CLOSING", "REVERSAL"}
REFUSED = {"PERMISSION_DENIED": 403, "NOT_FOUND": 404}


async def cooperative_id(request: Request) -> str:
    """The id of the path's cooperative (public), or the 404 page."""
    data = await api(request).run("CooperativeBySlug", {"slug": request.path_params["slug"]})
    if data["cooperative"] is None:
        raise HTTPException(404)
    return str(data["cooperative"]["id"])


async def readable_node(
    request: Request, operation: str, variables: dict[str, Any], field: str
) -> dict[str, Any]:
    """The node a query of the books reads; the API answers it null, or `field` null, to
    whoever may not read them (a member, another cooperative's pengurus): the 403 page."""
    found = (await api(request).run(operation, variables, token=signed_in_token(request)))["node"]
    if found is None or found.get(field) is None:
        raise HTTPException(403)
    return dict(found)


async def books_node(
    request: Request, operation: str, field: str, variables: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The path's cooperative as a query of its books reads it (`readable_node`)."""
    variables = {"id": await cooperative_id(request), **(variables or {})}
    return await readable_node(request, operation, variables, field)


def refusal(request: Request, errors: list[dict[str, Any]]) -> Response | None:
    """The API's refusal of the caller (not of what they typed) as a page of its own."""
    for error in errors:
        if error["code"] in REFUSED:
            context = {"title": "Akses ditolak", "text": error["message"]}
            return render(request, "error.html", context, REFUSED[error["code"]])
    return None


async def home(request: Request) -> Response:
    cooperative = await books_node(request, "BooksChart", "chartOfAccounts")
    accounts = cooperative["chartOfAccounts"]
    sections = {
        label: [account for account in accounts if account["kind"] == kind]
        for kind, label in KINDS.items()
    }
    totals = kind_totals(accounts)
    context = {
        "cooperative": cooperative,
        "sections": sections,
        "totals": totals,
        "surplus": totals["INCOME"] - totals["EXPENSE"],
        "balanced": totals["ASSET"]
        == totals["LIABILITY"] + totals["EQUITY"] + totals["INCOME"] - totals["EXPENSE"],
    }
    return render(request, "pengurus/books.html", context)


def kind_totals(accounts: list[dict[str, Any]]) -> dict[str, int]:
    """Each kind's balance: the sum of its accounts' own balances (a parent's excludes its
    sub-accounts')."""
    totals = dict.fromkeys(KINDS, 0)
    for account in accounts:
        totals[account["kind"]] += account["balance"]["amount"]
    return totals


async def ledger(request: Request) -> Response:
    query = request.query_params
    variables = {
        "accountId": query.get("id", "")[:200],
        "from": query.get("dari") or None,
        "to": query.get("sampai") or None,
        "after": query.get("setelah") or None,
    }
    account = await readable_node(request, "BooksLedger", variables, "ledger")
    context = {
        "slug": request.path_params["slug"],
        "account": account,
        "kinds": KINDS,
        "entry_kinds": ENTRY_KINDS,
        "values": {"dari": variables["from"] or "", "sampai": variables["to"] or ""},
        "lines": [edge["node"] for edge in account["ledger"]["edges"]],
        "paged": bool(variables["after"]),
    }
    return render(request, "pengurus/ledger.html", context)


async def entry(request: Request) -> Response:
    return await _entry_page(request, request.query_params.get("id", "")[:200], {}, {})


async def reverse(request: Request) -> Response:
    form = await session.checked_form(request)
    token = signed_in_token(request)
    entry_id = str(form.get("id", ""))[:200]
    reason = str(form.get("reason", "")).strip()[:500]
    if not reason:
        return await _entry_page(request, entry_id, {"reason": "Tulis alasan pembalikan."}, {})
    answer = await api(request).run("BooksReverse", {"id": entry_id, "reason": reason}, token=token)
    result = answer["reverseJournalEntry"]
    if refused := refusal(request, result["errors"]):
        return refused
    if result["errors"]:
        return await _entry_page(
            request, entry_id, field_errors(result["errors"]), {"reason": reason}
        )
    session.flash(request, "Entri dibalik dengan entri pembalikan ini.")
    slug = request.path_params["slug"]
    return redirect(f"/pengurus/{slug}/buku/entri?id={result['journalEntry']['id']}")


async def _entry_page(
    request: Request, entry_id: str, errors: dict[str, str], values: dict[str, str]
) -> Response:
    journal_entry = await readable_node(request, "BooksEntry", {"id": entry_id}, "lines")
    context = {
        "slug": request.path_params["slug"],
        "entry": journal_entry,
        "entry_kinds": ENTRY_KINDS,
        "reversible": journal_entry["kind"] not in NOT_REVERSIBLE
        and journal_entry["reversedBy"] is None,
        "values": values,
        "errors": errors,
        "page_errors": page_errors(errors, {"reason"}),
    }
    return render(request, "pengurus/entry.html", context, 400 if errors else 200)


routes = [
    Route("/pengurus/{slug}/buku", home, name="pengurus_books"),
    Route("/pengurus/{slug}/buku/akun", ledger, name="pengurus_ledger"),
    Route("/pengurus/{slug}/buku/entri", entry, name="pengurus_entry"),
    Route("/pengurus/{slug}/buku/balik", reverse, methods=["POST"], name="pengurus_reverse"),
]
