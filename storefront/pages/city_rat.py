"""Kota: for the Dinas, whether each cooperative held last year's RAT and when (the first
thing a cooperative is judged aktif by). The API refuses anyone else: its 403 page."""

from __future__ import annotations

from datetime import datetime

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from storefront.formatting import JAKARTA
from storefront.web import api, render, signed_in_token


async def rat_status(request: Request) -> Response:
    data = await api(request).run("RatStatus", token=signed_in_token(request))
    context = {
        "cooperatives": data["cooperativeHealth"],
        "stats": data["cityStats"],
        "previous_year": datetime.now(JAKARTA).year - 1,
    }
    return render(request, "city_rat.html", context)


routes = [Route("/kota/rat", rat_status, name="city_rat")]
