"""The visitor's session: a signed, httpOnly, SameSite=Lax cookie holding the API token.

It is marked Secure whenever the request came over https (directly or, with uvicorn's
`--proxy-headers`, through a trusted proxy), and only then.
"""

from __future__ import annotations

import hmac
import secrets
from typing import Any

from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

COOKIE = "satupintu"
TWO_WEEKS = 14 * 24 * 3600


class Sessions:
    """Starlette's signed-cookie sessions, with the Secure flag chosen per request."""

    def __init__(self, app: ASGIApp, *, secret_key: str) -> None:
        options: dict[str, Any] = {
            "secret_key": secret_key,
            "session_cookie": COOKIE,
            "max_age": TWO_WEEKS,
        }
        self.plain = SessionMiddleware(app, same_site="lax", https_only=False, **options)
        self.secure = SessionMiddleware(app, same_site="lax", https_only=True, **options)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        https = scope.get("scheme") in ("https", "wss")
        await (self.secure if https else self.plain)(scope, receive, send)


def token(request: Request) -> str | None:
    return request.session.get("token")


def sign_in(request: Request, api_token: str, name: str) -> None:
    """Keep the token; a new CSRF token too, so one learnt before signing in is worthless."""
    request.session.clear()
    request.session.update(token=api_token, name=name, csrf=secrets.token_urlsafe(32))


def sign_out(request: Request) -> None:
    request.session.clear()


def csrf_token(request: Request) -> str:
    """This session's CSRF token, for the hidden `csrf_token` field of every form."""
    if "csrf" not in request.session:
        request.session["csrf"] = secrets.token_urlsafe(32)
    return request.session["csrf"]


async def checked_form(request: Request) -> FormData:
    """The posted form, refused with 403 unless it carries this session's CSRF token."""
    form = await request.form()
    sent, expected = form.get("csrf_token"), request.session.get("csrf")
    if not isinstance(sent, str) or not expected or not hmac.compare_digest(sent, expected):
        raise HTTPException(403, "Formulir kedaluwarsa. Muat ulang halaman lalu coba lagi.")
    return form


def flash(request: Request, message: str) -> None:
    """A one-time notice for the next page."""
    request.session["flash"] = message


def take_flash(request: Request) -> str | None:
    return request.session.pop("flash", None)


def keep_errors(request: Request, form: str, errors: dict[str, str]) -> None:
    """Field errors of `form` for the page a POST redirects to (after an upload, say)."""
    request.session["errors"] = {"form": form, "fields": errors}


def take_errors(request: Request, form: str) -> dict[str, str]:
    kept = request.session.get("errors")
    if not kept or kept.get("form") != form:
        return {}
    del request.session["errors"]
    return kept["fields"]
