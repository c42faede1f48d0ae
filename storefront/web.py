"""What every page handler uses: the API, rendering, signing in, and field errors."""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote, urlsplit

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from storefront import session
from storefront.api import Api

LOCAL_PATH = re.compile(r"/(?![/\\])[^\\\s\x00-\x1f\x7f]*")


class SignInRequired(Exception):
    """The page is for signed-in visitors; they are sent to /masuk and back."""


def api(request: Request) -> Api:
    return request.app.state.api


def render(
    request: Request, template: str, context: dict[str, Any] | None = None, status: int = 200
) -> Response:
    return request.app.state.templates.TemplateResponse(
        request, template, context or {}, status_code=status
    )


def redirect(path: str) -> RedirectResponse:
    """After a POST: see the result with a GET."""
    return RedirectResponse(path, status_code=303)


def signed_in_token(request: Request) -> str:
    token = session.token(request)
    if token is None:
        raise SignInRequired()
    return token


def sign_in_url(request: Request) -> str:
    """/masuk, then back here; after a refused POST, back to the page that posted."""
    if request.method == "GET":
        back = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    else:
        referer = urlsplit(request.headers.get("referer", ""))
        same_site = referer.netloc == request.url.netloc
        back = referer.path + (f"?{referer.query}" if referer.query else "") if same_site else "/"
    return "/masuk?next=" + quote(local_path(back), safe="")


def local_path(target: str | None) -> str:
    """Where to go after signing in: a path on this site only, never another host.

    Browsers read a backslash as a slash and drop tabs and newlines, so a path holding any of
    them, or starting with two slashes, could lead off the site: it is refused.
    """
    return target if target and LOCAL_PATH.fullmatch(target) else "/"


def posted_key(form: Mapping[str, Any]) -> str:
    """The idempotency key a money form carries (`fresh_key()` when rendered), so that a
    double click or a retried post moves the money once; a new one if none came."""
    return str(form.get("idempotencyKey", ""))[:100] or fresh_key()


def fresh_key() -> str:
    return str(uuid.uuid4())


def field_errors(errors: list[dict[str, Any]]) -> dict[str, str]:
    """UserErrors by the form field they name (the last part of `field`); "" holds the rest."""
    found: dict[str, str] = {}
    for error in errors:
        name = (error.get("field") or "").rsplit(".", 1)[-1]
        found.setdefault(name, error["message"])
    return found


def page_errors(errors: dict[str, str], fields: set[str]) -> list[str]:
    """The messages no field of the form shows, for the top of the form."""
    return [message for name, message in errors.items() if name not in fields]
