"""The visitor's session: an encrypted, httpOnly, SameSite=Lax cookie holding the API token.

The cookie is Starlette's session cookie sealed with Fernet (`cryptography`: AES-128-CBC and
HMAC-SHA256, with its time of issue) under a key derived from the storefront's secret by
HKDF, so a copied cookie file shows neither the API token nor anything else of the session,
and a cookie changed by a single byte, or older than two weeks, is an empty session (the
visitor is signed out). It is marked Secure whenever the request came over https (directly
or, with uvicorn's `--proxy-headers`, through a trusted proxy), and only then.
"""

from __future__ import annotations

import base64
import hmac
import secrets
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from itsdangerous import BadSignature
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

COOKIE = "satupintu"
TWO_WEEKS = 14 * 24 * 3600


class Sealer:
    """Seals the session cookie in place of Starlette's signer (its `sign` and `unsign`)."""

    def __init__(self, secret_key: str) -> None:
        key = HKDF(
            algorithm=hashes.SHA256(), length=32, salt=None, info=b"satupintu storefront session"
        ).derive(secret_key.encode())
        self.fernet = Fernet(base64.urlsafe_b64encode(key))

    def sign(self, value: bytes) -> bytes:
        return self.fernet.encrypt(value)

    def unsign(self, value: bytes, max_age: int | None = None) -> bytes:
        try:
            return self.fernet.decrypt(value, ttl=max_age)
        except InvalidToken:
            raise BadSignature("the session cookie does not open") from None


class Sessions:
    """Starlette's cookie sessions, sealed, with the Secure flag chosen per request."""

    def __init__(self, app: ASGIApp, *, secret_key: str) -> None:
        options: dict[str, Any] = {
            "secret_key": secret_key,
            "session_cookie": COOKIE,
            "max_age": TWO_WEEKS,
        }
        self.plain = SessionMiddleware(app, same_site="lax", https_only=False, **options)
        self.secure = SessionMiddleware(app, same_site="lax", https_only=True, **options)
        sealer = Sealer(secret_key)
        for middleware in (self.plain, self.secure):
            middleware.signer = sealer  # type: ignore[assignment]

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
