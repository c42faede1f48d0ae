"""What every provider webhook does before it reads a notification: count the caller against
the rate limit and read a body of bounded size."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse

from server.auth import Door, Refused, client_address
from server.request_body import BodyTooLarge, read_body

MAX_BODY = 64 * 1024


async def intake(request: Request, door: Door, scope: str) -> tuple[str, bytes] | JSONResponse:
    """The caller's address and the body, or the answer that refuses them (429, 413)."""
    address = client_address(request)
    try:
        await door.count(f"{scope}:{address}", address, door.limits.per_minute)
    except Refused as refused:
        headers = {"Retry-After": str(refused.retry_after)}
        return JSONResponse({"outcome": "RATE_LIMITED"}, 429, headers=headers)
    try:
        return address, await read_body(request, MAX_BODY)
    except BodyTooLarge:
        return JSONResponse({"outcome": "TOO_LARGE"}, 413)
