"""Kota: the city's figures for the Dinas and the public, the kelurahan rollout as a table and
a chart drawn on the server, and recording a socialisation (CITY_ADMIN)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from storefront import session
from storefront.web import api, field_errors, page_errors, redirect, render, signed_in_token

SOCIALISATION_FIELDS = {"kelurahanCode", "date", "note"}
# The chart's geometry, in SVG user units: a label column, then the bar.
LABEL_WIDTH, BAR_WIDTH, ROW_HEIGHT = 130, 170, 26


@dataclass(frozen=True)
class Bar:
    """One kecamatan's row of the rollout chart."""

    name: str
    y: int
    done: int
    total: int

    @property
    def done_width(self) -> float:
        return round(BAR_WIDTH * self.done / self.total, 1) if self.total else 0.0


def rollout_bars(kecamatan_stats: list[dict[str, Any]]) -> list[Bar]:
    return [
        Bar(k["kecamatan"]["name"], i * ROW_HEIGHT, k["kelurahanSocialized"], k["kelurahanTotal"])
        for i, k in enumerate(kecamatan_stats)
    ]


async def city(request: Request) -> Response:
    return await _page(request, {}, {})


async def record(request: Request) -> Response:
    form = await session.checked_form(request)
    token = signed_in_token(request)
    values = {name: str(form.get(name, "")).strip() for name in SOCIALISATION_FIELDS}
    if not values["date"]:
        return await _page(request, values, {"date": "Isi tanggal sosialisasi."}, 400)
    variables = {
        "kelurahanCode": values["kelurahanCode"],
        "date": values["date"],
        "note": values["note"] or None,
    }
    answer = await api(request).run("RecordSocialisation", variables, token=token)
    result = answer["recordSocialization"]
    if result["errors"]:
        return await _page(request, values, field_errors(result["errors"]), 400)
    session.flash(request, "Sosialisasi tercatat.")
    return redirect("/kota#sebaran")


async def _page(
    request: Request, values: dict[str, str], errors: dict[str, str], status: int = 200
) -> Response:
    chosen = request.query_params.get("kecamatan", "")[:20]
    data = await api(request).run("CityPage", {"kecamatan": chosen or None})
    city_admin = False
    if token := session.token(request):
        me = (await api(request).run("MyRoles", token=token))["me"]
        city_admin = bool(me) and "CITY_ADMIN" in me["roles"]
    bars = rollout_bars(data["kecamatanStats"])
    context = {
        "stats": data["cityStats"],
        "kecamatan_stats": data["kecamatanStats"],
        "rollout": data["kelurahanRollout"],
        "regions": data["kecamatan"],
        "chosen": chosen,
        "bars": bars,
        "chart": {
            "label": LABEL_WIDTH,
            "bar": BAR_WIDTH,
            "row": ROW_HEIGHT,
            "height": ROW_HEIGHT * len(bars),
        },
        "city_admin": city_admin,
        "values": values,
        "errors": errors,
        "page_errors": page_errors(errors, SOCIALISATION_FIELDS),
    }
    return render(request, "city.html", context, status)


routes = [
    Route("/kota", city, name="city"),
    Route("/kota/sosialisasi", record, methods=["POST"], name="city_socialisation"),
]
