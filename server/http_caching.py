"""HTTP caching of GraphQL answers: public anonymous GET reads only.

A query sent by GET without credentials (no Authorization, X-Api-Key or Cookie) that answers
200 without errors gets `Cache-Control: public, max-age=PUBLIC_MAX_AGE` and a strong `ETag`
(the SHA-256 of the body); a GET whose `If-None-Match` names the current ETag answers 304
without a body. Everything else is `no-store`. The server keeps no answers: every request,
revalidations included, runs the query afresh, so a cached answer outlives the write that
changes it by at most `max-age` seconds.
"""

from __future__ import annotations

import hashlib

from starlette.requests import Request
from starlette.responses import Response

CREDENTIALS = ("authorization", "x-api-key", "cookie")
VARY = "Accept, Authorization, X-Api-Key, Cookie"
NO_STORE = "no-store"


class HttpCaching:
    def __init__(self, max_age: int) -> None:
        self.max_age = max_age

    def finish(self, request: Request, response: Response, *, cacheable: bool) -> Response:
        """`response` with its caching headers, or 304 when the client's copy is current."""
        if not (cacheable and is_public_read(request) and response.status_code == 200):
            response.headers["Cache-Control"] = NO_STORE
            return response
        tag = etag(response.body)
        headers = {
            "Cache-Control": f"public, max-age={self.max_age}",
            "ETag": tag,
            "Vary": VARY,
        }
        matches = if_none_match(request)
        if tag in matches or "*" in matches:
            return Response(status_code=304, headers=headers)
        response.headers.update(headers)
        return response


def is_public_read(request: Request) -> bool:
    return request.method == "GET" and not any(h in request.headers for h in CREDENTIALS)


def etag(body: bytes | memoryview) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def if_none_match(request: Request) -> set[str]:
    """The entity tags of `If-None-Match`, weak ones compared as strong (RFC 9110 13.1.2)."""
    header = request.headers.get("if-none-match", "")
    return {tag.strip().removeprefix("W/") for tag in header.split(",") if tag.strip()}
