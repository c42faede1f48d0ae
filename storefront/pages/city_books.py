"""Kota: for the Dinas as the platform's operator, the platform's own books: every account's
balance and, per cooperative, the clearing between them. The API refuses anyone else: its 403
page."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from storefront.pages.pengurus_books import KINDS
from storefront.web import api, render, signed_in_token


async def platform_books(request: Request) -> Response:
    books = (await api(request).run("PlatformLedger", token=signed_in_token(request)))[
        "platformBooks"
    ]
    return render(request, "city_books.html", {"books": books, "kinds": KINDS})


routes = [Route("/kota/pembukuan-platform", platform_books, name="city_platform_books")]
