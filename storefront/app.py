"""The storefront: server-rendered pages in Bahasa Indonesia that use nothing but the API."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from storefront import session
from storefront.api import Api, ApiUnavailable, ForwardVisitor, QueryFailed
from storefront.header import UnreadCount
from storefront.pages import (
    accounts,
    auto_debit,
    bills,
    browse,
    cart,
    catalog,
    checkout,
    city,
    city_books,
    city_rat,
    cooperatives,
    loan_groups,
    member_deposits,
    members,
    notifications,
    orders,
    pengurus,
    pengurus_books,
    pengurus_entries,
    pengurus_loans,
    pengurus_shu,
    pengurus_year,
    reviews,
    seller_balance,
    seller_payouts,
    seller_products,
    seller_shipping,
    seller_shops,
    seller_variants,
    seller_vouchers,
    sitemap,
)
from storefront.rendering import make_templates
from storefront.security import SecurityHeaders
from storefront.session import Sessions
from storefront.static import HashedStatic
from storefront.timing import ServerTiming
from storefront.web import SignInRequired, render, sign_in_url

MESSAGES = {
    400: ("Permintaan tidak dapat diproses", "Alamat atau isian halaman ini tidak valid."),
    403: ("Akses ditolak", "Formulir kedaluwarsa atau Anda tidak berhak membuka halaman ini."),
    404: ("Halaman tidak ditemukan", "Halaman yang Anda cari tidak ada atau sudah dipindahkan."),
    405: ("Cara akses tidak didukung", "Halaman ini tidak menerima permintaan seperti itu."),
    413: ("Berkas terlalu besar", "Foto paling besar 10 MB."),
    429: ("Terlalu banyak permintaan", "Tunggu sebentar, lalu coba lagi."),
}


async def http_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, HTTPException)
    title, text = MESSAGES.get(error.status_code, ("Terjadi kesalahan", ""))
    template = "404.html" if error.status_code == 404 else "error.html"
    return render(request, template, {"title": title, "text": text}, error.status_code)


async def query_failed(request: Request, error: Exception) -> Response:
    assert isinstance(error, QueryFailed)
    if error.code == "UNAUTHENTICATED":  # the token expired or was revoked elsewhere
        session.sign_out(request)
        return RedirectResponse(sign_in_url(request), status_code=303)
    status = {"NOT_FOUND": 404, "FORBIDDEN": 403, "RATE_LIMITED": 429}.get(error.code, 400)
    return await http_error(request, HTTPException(status))


async def sign_in_required(request: Request, _error: Exception) -> Response:
    return RedirectResponse(sign_in_url(request), status_code=303)


async def api_unavailable(request: Request, _error: Exception) -> Response:
    return render(request, "unavailable.html", status=503)


async def server_error(request: Request, _error: Exception) -> Response:
    return request.app.state.templates.TemplateResponse(
        request, "500.html", {"visitor_name": None}, status_code=500
    )


def create_app(api_url: str, secret_key: str) -> Starlette:
    logging.getLogger("httpx").setLevel(logging.WARNING)  # not a log line per API call
    api = Api(api_url)
    static = HashedStatic()

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        yield
        await api.close()

    routes = [
        *browse.routes,
        *catalog.routes,
        *cart.routes,
        *checkout.routes,
        *orders.routes,
        *reviews.routes,
        *accounts.routes,
        *notifications.routes,
        *seller_shops.routes,
        *seller_shipping.routes,
        *seller_products.routes,
        *seller_vouchers.routes,
        *seller_variants.routes,
        *seller_balance.routes,
        *seller_payouts.routes,
        *cooperatives.routes,
        *bills.routes,
        *members.routes,
        *member_deposits.routes,
        *loan_groups.routes,
        *auto_debit.routes,
        *pengurus.routes,
        *pengurus_loans.routes,
        *pengurus_shu.routes,
        *pengurus_books.routes,
        *pengurus_entries.routes,
        *pengurus_year.routes,
        *city.routes,
        *city_rat.routes,
        *city_books.routes,
        *sitemap.routes,
        Route("/static/{name}", static.endpoint, name="static"),
    ]
    app = Starlette(
        routes=routes,
        middleware=[
            Middleware(ServerTiming),
            Middleware(ForwardVisitor),
            Middleware(SecurityHeaders, api_url=api_url),
            Middleware(GZipMiddleware, minimum_size=1000),
            Middleware(Sessions, secret_key=secret_key),
            Middleware(UnreadCount, api=api),
        ],
        exception_handlers={
            HTTPException: http_error,
            QueryFailed: query_failed,
            SignInRequired: sign_in_required,
            ApiUnavailable: api_unavailable,
            Exception: server_error,
        },
        lifespan=lifespan,
    )
    app.state.api = api
    app.state.templates = make_templates(api, static)
    return app
