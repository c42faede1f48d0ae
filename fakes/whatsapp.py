"""A local server that speaks the WhatsApp Business Cloud API's send endpoint
(`POST /{version}/{phone-number-id}/messages`, a bearer token, template messages) and its
Graph API error replies, chosen by `mode`."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from fakes.loopback import LoopbackServer, Recording

TOKEN = "EAAG-fake-token-for-tests"
PHONE_NUMBER_ID = "106540352242922"
# mode: (HTTP status, Graph API error code, message), as Meta documents them.
ERRORS = {
    "expired_token": (401, 190, "Error validating access token: Session has expired"),
    "rate_limited": (400, 130429, "(#130429) Rate limit hit"),
    "no_template": (404, 132001, "(#132001) Template name does not exist in the translation"),
    "re_engagement": (400, 131047, "(#131047) Re-engagement message"),
    "unavailable": (503, 2, "Service temporarily unavailable"),
}


class FakeWhatsApp(Recording):
    def app(self) -> Starlette:
        return Starlette(
            routes=[Route("/{version}/{number}/messages", self.send, methods=["POST"])]
        )

    async def send(self, request: Request) -> Response:
        body = await request.json()
        self.requests.append({"path": request.url.path, "body": body})
        if request.headers.get("authorization") != f"Bearer {TOKEN}":
            return _error(401, 190, "Invalid OAuth access token - Cannot parse access token")
        if request.path_params["number"] != PHONE_NUMBER_ID:
            return _error(400, 100, "Unsupported post request. Object does not exist")
        if (odd := await self.misbehaving()) is not None:
            return odd
        if self.mode in ERRORS:
            return _error(*ERRORS[self.mode])
        if body.get("messaging_product") != "whatsapp" or body.get("type") != "template":
            return _error(400, 100, "(#100) Invalid parameter")
        return JSONResponse(
            {
                "messaging_product": "whatsapp",
                "contacts": [{"input": body["to"], "wa_id": body["to"]}],
                "messages": [{"id": f"wamid.HBgM{len(self.requests):06d}"}],
            }
        )


def _error(status: int, code: int, message: str) -> JSONResponse:
    return JSONResponse(
        {
            "error": {
                "message": message,
                "type": "OAuthException",
                "code": code,
                "error_data": {"messaging_product": "whatsapp", "details": message},
                "fbtrace_id": "AbCdEfGhIjK",
            }
        },
        status_code=status,
    )


class FakeWhatsAppServer(LoopbackServer[FakeWhatsApp]):
    def __init__(self) -> None:
        super().__init__(FakeWhatsApp())
