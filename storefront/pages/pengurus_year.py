"""Tahun buku: the book years with the year-end close (tutup buku), recording the RAT of a
closed year, and the financial statements for a period with their xlsx and PDF files."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from storefront import session
from storefront.api import QueryFailed
from storefront.formatting import JAKARTA, is_iso_date, parse_rupiah, rupiah
from storefront.pages.pengurus_books import books_node, cooperative_id, refusal
from storefront.pages.pengurus_shu import typed_percents
from storefront.web import api, field_errors, page_errors, redirect, render, signed_in_token

RAT_FIELDS = {
    "heldOn",
    "membersPresent",
    "shuToDistribute",
    "reservePercent",
    "capitalServicePercent",
    "memberServicePercent",
    "notes",
}
PERCENTS = ("reservePercent", "capitalServicePercent", "memberServicePercent")


async def years(request: Request) -> Response:
    return await _years_page(request, {})


async def close(request: Request) -> Response:
    form = await session.checked_form(request)
    year = str(form.get("year", ""))[:4]
    if not year.isdigit():
        return await _years_page(request, {"": "Pilih tahun buku yang ditutup."})
    variables = {"cooperativeId": await cooperative_id(request), "year": int(year)}
    answer = await api(request).run("BooksCloseYear", variables, token=signed_in_token(request))
    result = answer["closeBookYear"]
    if refused := refusal(request, result["errors"]):
        return refused
    if result["errors"]:
        return await _years_page(request, {year: result["errors"][0]["message"]}, 400)
    surplus = rupiah(result["bookYear"]["surplus"]["amount"])
    session.flash(request, f"Buku tahun {year} ditutup. SHU tahun itu {surplus}.")
    return redirect(f"/pengurus/{request.path_params['slug']}/tahun-buku")


async def _years_page(request: Request, errors: dict[str, str], status: int = 200) -> Response:
    cooperative = await books_node(request, "BooksYears", "bookYears")
    context = {
        "cooperative": cooperative,
        "running_year": datetime.now(JAKARTA).year,
        "errors": errors,
    }
    return render(request, "pengurus/years.html", context, status)


async def rat(request: Request) -> Response:
    return await _rat_page(request, {}, {})


async def record_rat(request: Request) -> Response:
    form = await session.checked_form(request)
    values, rat_input, errors = rat_variables(form)
    if rat_input is None:
        return await _rat_page(request, values, errors, 400)
    variables = {
        "cooperativeId": await cooperative_id(request),
        "year": request.path_params["year"],
        "input": rat_input,
    }
    answer = await api(request).run("BooksRecordRat", variables, token=signed_in_token(request))
    result = answer["recordRat"]
    if refused := refusal(request, result["errors"]):
        return refused
    if result["errors"]:
        return await _rat_page(request, values, field_errors(result["errors"]), 400)
    session.flash(request, f"RAT tahun buku {variables['year']} tercatat.")
    return redirect(f"/pengurus/{request.path_params['slug']}/tahun-buku")


def rat_variables(form: FormData) -> tuple[dict[str, str], dict[str, Any] | None, dict[str, str]]:
    """(the values as typed, the API's RatInput or None, the errors by form field)."""
    values = {name: str(form.get(name, "")).strip()[:500] for name in RAT_FIELDS}
    errors = {}
    if not is_iso_date(values["heldOn"]):
        errors["heldOn"] = "Isi tanggal RAT."
    if not values["membersPresent"].isdigit():
        errors["membersPresent"] = "Tulis jumlah anggota yang hadir, misalnya 45."
    shu = parse_rupiah(values["shuToDistribute"])
    if shu is None:
        errors["shuToDistribute"] = "Tulis rupiah bulat, misalnya 10.000.000."
    percents = typed_percents(values, PERCENTS, errors)
    if errors:
        return values, None, errors
    rat_input = {
        "heldOn": values["heldOn"],
        "membersPresent": int(values["membersPresent"]),
        "shuToDistribute": shu,
        **percents,
        "notes": values["notes"] or None,
    }
    return values, rat_input, {}


async def _rat_page(
    request: Request, values: dict[str, str], errors: dict[str, str], status: int = 200
) -> Response:
    cooperative = await books_node(request, "BooksYears", "bookYears")
    year = request.path_params["year"]
    found = next((y for y in cooperative["bookYears"] if y["year"] == year), None)
    context = {
        "cooperative": cooperative,
        "year": year,
        "book_year": found,
        "values": values,
        "errors": errors,
        "page_errors": page_errors(errors, RAT_FIELDS),
    }
    return render(request, "pengurus/rat.html", context, status)


async def statements(request: Request) -> Response:
    running = datetime.now(JAKARTA).date()
    values = {
        "dari": request.query_params.get("dari") or date(running.year, 1, 1).isoformat(),
        "sampai": request.query_params.get("sampai") or running.isoformat(),
    }
    errors = {
        name: "Tulis tanggal seperti 2026-01-31."
        for name, text in values.items()
        if not is_iso_date(text)
    }
    if not errors and values["dari"] > values["sampai"]:
        errors["sampai"] = "Tanggal akhir tidak boleh sebelum tanggal awal."
    found = None
    if errors:  # no statements to read, but the books' readers only see the form
        await books_node(request, "BooksYears", "bookYears")
    else:
        variables = {"from": values["dari"], "to": values["sampai"]}
        try:
            found = await books_node(request, "BooksStatements", "financialStatements", variables)
        except QueryFailed as refused:
            if refused.code != "BAD_USER_INPUT":
                raise
            errors = {"sampai": str(refused)}
    context = {
        "slug": request.path_params["slug"],
        "cooperative": found,
        "report": found and found["financialStatements"],
        "values": values,
        "errors": errors,
    }
    return render(request, "pengurus/statements.html", context, 400 if errors else 200)


routes = [
    Route("/pengurus/{slug}/tahun-buku", years, name="pengurus_years"),
    Route("/pengurus/{slug}/tahun-buku/tutup", close, methods=["POST"], name="pengurus_close"),
    Route("/pengurus/{slug}/tahun-buku/{year:int}/rat", rat, name="pengurus_rat"),
    Route(
        "/pengurus/{slug}/tahun-buku/{year:int}/rat",
        record_rat,
        methods=["POST"],
        name="pengurus_rat_go",
    ),
    Route("/pengurus/{slug}/laporan", statements, name="pengurus_statements"),
]
