"""Pengurus: a closed year's SHU, previewed from the figures the RAT decided, then distributed
once (the API refuses a second time, and says so)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from starlette.datastructures import FormData, QueryParams
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from storefront import session
from storefront.api import QueryFailed
from storefront.formatting import JAKARTA, parse_percent, parse_rupiah, rupiah
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

# The form's Indonesian names (the page's query parameters) for the API's inputs.
PARAMS = {
    "tahun": "year",
    "shu": "surplus",
    "cadangan": "reservePercent",
    "jasa_modal": "capitalServicePercent",
    "jasa_anggota": "memberServicePercent",
}
PERCENTS = ("cadangan", "jasa_modal", "jasa_anggota")
PARAM_OF = {field: param for param, field in PARAMS.items()}
DESTINATIONS = {"SUKARELA": "Simpanan sukarela", "PAYABLE": "Utang SHU (sudah keluar)"}


def shu_variables(
    fields: QueryParams | FormData, cooperative_id: str
) -> tuple[dict[str, str], dict[str, Any] | None, dict[str, str]]:
    """(the values as typed, the API's variables or None, the errors by form field)."""
    values = {name: str(fields.get(name, "")).strip()[:20] for name in PARAMS}
    errors = {}
    if not values["tahun"].isdigit() or len(values["tahun"]) != 4:
        errors["tahun"] = "Tulis tahun buku, misalnya 2025."
    surplus = parse_rupiah(values["shu"])
    if surplus is None:
        errors["shu"] = "SHU harus berupa rupiah bulat, misalnya 10.000.000."
    percents = typed_percents(values, PERCENTS, errors)
    if errors:
        return values, None, errors
    given = {PARAMS[name]: percent for name, percent in percents.items()}
    variables = {
        "cooperativeId": cooperative_id,
        "year": int(values["tahun"]),
        "input": {"surplus": surplus, **given},
    }
    return values, variables, {}


def typed_percents(
    values: dict[str, str], names: tuple[str, ...], errors: dict[str, str]
) -> dict[str, float]:
    """The percentages typed in the fields `names`; an error in `errors` for each that is
    none."""
    percents = {}
    for name in names:
        percent = parse_percent(values[name])
        if percent is None:
            errors[name] = "Tulis persen, misalnya 25 atau 12,5."
        else:
            percents[name] = float(percent)
    return percents


def api_errors(errors: list[dict[str, Any]]) -> dict[str, str]:
    """The API's errors by the form field that holds what they name."""
    return {PARAM_OF.get(name, name): message for name, message in field_errors(errors).items()}


async def shu(request: Request) -> Response:
    """The form; with its figures in the query, the preview and the button to distribute."""
    token = signed_in_token(request)
    cooperative = await administered(request, token)
    if "tahun" not in request.query_params:
        last_year = str(datetime.now(JAKARTA).year - 1)
        return _page(request, cooperative, {"tahun": last_year}, {}, None)
    values, variables, errors = shu_variables(request.query_params, cooperative["id"])
    if variables is None:
        return _page(request, cooperative, values, errors, None, 400)
    try:
        preview = (await api(request).run("ShuPreview", variables, token=token))["shuPreview"]
    except QueryFailed as refused:
        if refused.code != "BAD_USER_INPUT":
            raise
        return _page(request, cooperative, values, api_errors(refused.errors), None, 400)
    return _page(request, cooperative, values, {}, preview)


async def distribute(request: Request) -> Response:
    form = await session.checked_form(request)
    token = signed_in_token(request)
    cooperative = await administered(request, token)
    values, variables, errors = shu_variables(form, cooperative["id"])
    if variables is not None and form.get("confirm") != "ya":
        errors = {"confirm": "Centang konfirmasi untuk membagikan SHU."}
    if variables is None or errors:
        return _page(request, cooperative, values, errors, None, 400)
    variables["idempotencyKey"] = posted_key(form)
    result = (await api(request).run("DistributeShu", variables, token=token))["distributeShu"]
    if result["errors"]:
        return _page(request, cooperative, values, api_errors(result["errors"]), None, 400)
    session.flash(
        request,
        f"SHU tahun {values['tahun']} dibagikan: {rupiah(result['distributed']['amount'])}"
        " ke anggota.",
    )
    return redirect(f"/pengurus/{cooperative['slug']}/shu")


def _page(
    request: Request,
    cooperative: dict[str, Any],
    values: dict[str, str],
    errors: dict[str, str],
    preview: dict[str, Any] | None,
    status: int = 200,
) -> Response:
    context = {
        "cooperative": cooperative,
        "values": values,
        "errors": errors,
        "page_errors": page_errors(errors, {*PARAMS, "confirm"}),
        "preview": preview,
        "destinations": DESTINATIONS,
    }
    return render(request, "pengurus/shu.html", context, status)


routes = [
    Route("/pengurus/{slug}/shu", shu, name="pengurus_shu"),
    Route("/pengurus/{slug}/shu/bagikan", distribute, methods=["POST"], name="pengurus_shu_go"),
]
