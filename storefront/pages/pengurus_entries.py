"""Pembukuan: recording what is not a member's movement, a cash or bank receipt or payment
(with the nota's photo) and a general journal entry of several lines, beside the journal."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from storefront import session
from storefront.formatting import JAKARTA, is_iso_date, parse_rupiah
from storefront.pages.pengurus_books import ENTRY_KINDS, books_node, cooperative_id, refusal
from storefront.pages.seller_products import MAX_UPLOAD
from storefront.web import api, field_errors, page_errors, redirect, render, signed_in_token

CASH_FIELDS = {"direction", "accountId", "cashAccountId", "amount", "date", "description"}
CASH_FORM = CASH_FIELDS | {"receiptPhoto"}
JOURNAL_FIELDS = {"date", "description", "lines"}
DIRECTIONS = {"RECEIPT": "Penerimaan (uang masuk)", "PAYMENT": "Pengeluaran (uang keluar)"}
LINE_ROWS = 4
ROW_FIELDS = {f"{part}{i}" for part in ("account", "debit", "credit") for i in range(LINE_ROWS)}
AMOUNT_ERROR = "Tulis rupiah bulat, misalnya 150.000."


def today() -> str:
    return datetime.now(JAKARTA).date().isoformat()


async def journal(request: Request) -> Response:
    return await _page(request, {"date": today()}, {}, "jurnal")


async def cash_form(request: Request) -> Response:
    return await _page(request, {"direction": "PAYMENT", "date": today()}, {}, "kas")


async def cash(request: Request) -> Response:
    if int(request.headers.get("content-length") or 0) > MAX_UPLOAD:
        raise HTTPException(413, "Foto paling besar 10 MB.")
    form = await session.checked_form(request)
    values = {name: str(form.get(name, "")).strip()[:255] for name in CASH_FIELDS}
    amount = parse_rupiah(values["amount"])
    errors = {}
    if values["direction"] not in DIRECTIONS:
        errors["direction"] = "Pilih penerimaan atau pengeluaran."
    if amount is None:
        errors["amount"] = AMOUNT_ERROR
    if not is_iso_date(values["date"]):
        errors["date"] = "Isi tanggal transaksi."
    if errors:
        return await _page(request, values, errors, "kas", 400)
    variables = {
        "input": {
            "cooperativeId": await cooperative_id(request),
            **values,
            "cashAccountId": values["cashAccountId"] or None,
            "amount": amount,
            "receiptPhoto": None,
        }
    }
    photo = form.get("receiptPhoto")
    token = signed_in_token(request)
    if isinstance(photo, UploadFile) and photo.filename:
        upload = (photo.filename, photo.file, photo.content_type or "application/octet-stream")
        answer = await api(request).upload(
            "BooksCashMovement", variables, upload, token=token, at="input.receiptPhoto"
        )
    else:
        answer = await api(request).run("BooksCashMovement", variables, token=token)
    return await _recorded(request, answer["recordCashMovement"], values, "kas")


async def general(request: Request) -> Response:
    form = await session.checked_form(request)
    values = {name: str(form.get(name, "")).strip()[:255] for name in ("date", "description")}
    lines, rows, errors = journal_lines(form)
    if not is_iso_date(values["date"]):
        errors["date"] = "Isi tanggal jurnal."
    if errors:
        return await _page(request, {**values, **rows}, errors, "jurnal", 400)
    entry = {
        "cooperativeId": await cooperative_id(request),
        "date": values["date"],
        "description": values["description"],
        "lines": lines,
    }
    token = signed_in_token(request)
    answer = await api(request).run("BooksJournalEntry", {"input": entry}, token=token)
    return await _recorded(request, answer["postJournalEntry"], {**values, **rows}, "jurnal")


def journal_lines(form: FormData) -> tuple[list[dict[str, Any]], dict[str, str], dict[str, str]]:
    """(the API's lines from the rows filled in, every row's values as typed, the errors by
    form field). A row with no account and no amount is left out."""
    lines, rows, errors = [], {}, {}
    for i in range(LINE_ROWS):
        row = {
            part: str(form.get(f"{part}{i}", "")).strip()[:255]
            for part in ("account", "debit", "credit", "memo")
        }
        rows.update({f"{part}{i}": text for part, text in row.items()})
        if not (row["account"] or row["debit"] or row["credit"]):
            continue
        debit, credit = (parse_rupiah(row[side] or "0") for side in ("debit", "credit"))
        for side, amount in (("debit", debit), ("credit", credit)):
            if amount is None:
                errors[f"{side}{i}"] = AMOUNT_ERROR
        if not row["account"]:
            errors[f"account{i}"] = "Pilih akun."
        line = {"accountId": row["account"], "debit": debit, "credit": credit}
        lines.append({**line, "memo": row["memo"] or None})
    return lines, rows, errors


async def _recorded(
    request: Request, result: dict[str, Any], values: dict[str, str], form: str
) -> Response:
    """After the API answered a form: its refusal as a page, its errors beside the form, or
    the new entry."""
    if refused := refusal(request, result["errors"]):
        return refused
    if result["errors"]:
        errors = field_errors(result["errors"])
        if "file" in errors:  # the image pipeline names the upload `file`
            errors["receiptPhoto"] = errors.pop("file")
        return await _page(request, values, errors, form, 400)
    session.flash(request, "Entri tercatat.")
    slug = request.path_params["slug"]
    return redirect(f"/pengurus/{slug}/buku/entri?id={result['journalEntry']['id']}")


async def _page(
    request: Request, values: dict[str, str], errors: dict[str, str], form: str, status: int = 200
) -> Response:
    after = request.query_params.get("setelah") or None
    cooperative = await books_node(request, "BooksJournal", "journalEntries", {"after": after})
    accounts = [a for a in cooperative["chartOfAccounts"] if not a["isControl"]]
    fields = CASH_FORM if form == "kas" else JOURNAL_FIELDS | ROW_FIELDS
    context = {
        "cooperative": cooperative,
        "entries": [edge["node"] for edge in cooperative["journalEntries"]["edges"]],
        "entry_kinds": ENTRY_KINDS,
        "cash_accounts": [a for a in accounts if a["isCash"]],
        "other_accounts": [a for a in accounts if not a["isCash"]],
        "accounts": accounts,
        "directions": DIRECTIONS,
        "rows": range(LINE_ROWS),
        "form": form,
        "values": values,
        "errors": errors,
        "page_errors": page_errors(errors, fields),
    }
    return render(request, "pengurus/journal.html", context, status)


routes = [
    Route("/pengurus/{slug}/buku/jurnal", journal, name="pengurus_journal"),
    Route("/pengurus/{slug}/buku/kas", cash_form, name="pengurus_cash_form"),
    Route("/pengurus/{slug}/buku/kas", cash, methods=["POST"], name="pengurus_cash"),
    Route("/pengurus/{slug}/buku/jurnal", general, methods=["POST"], name="pengurus_general"),
]
