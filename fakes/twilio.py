"""A local server that speaks Twilio's Programmable Messaging send endpoint
(`POST /2010-04-01/Accounts/{AccountSid}/Messages.json`, HTTP Basic auth, a form body) and
its REST error replies, chosen by `mode`."""

from __future__ import annotations

import base64

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from fakes.loopback import LoopbackServer, Recording

ACCOUNT_SID = "AC0123456789abcdef0123456789abcdef"
AUTH_TOKEN = "fake-auth-token-for-tests"
SENDER = "SatuPintu"
# mode: (HTTP status, Twilio error code, message), as Twilio documents them.
ERRORS = {
    "invalid_number": (400, 21211, "Invalid 'To' Phone Number"),
    "not_mobile": (400, 21614, "'To' number is not a valid mobile number"),
    "unsubscribed": (400, 21610, "Attempt to send to unsubscribed recipient"),
    "rate_limited": (429, 20429, "Too Many Requests"),
    "unavailable": (503, 20500, "Internal Server Error"),
}


class FakeTwilio(Recording):
    def app(self) -> Starlette:
        path = "/2010-04-01/Accounts/{sid}/Messages.json"
        return Starlette(routes=[Route(path, self.send, methods=["POST"])])

    async def send(self, request: Request) -> Response:
        form = dict(await request.form())
        self.requests.append({"path": request.url.path, "form": form})
        expected = base64.b64encode(f"{ACCOUNT_SID}:{AUTH_TOKEN}".encode()).decode()
        if request.headers.get("authorization") != f"Basic {expected}":
            return _error(401, 20003, "Authentication Error - invalid username")
        if (odd := await self.misbehaving()) is not None:
            return odd
        if self.mode in ERRORS:
            return _error(*ERRORS[self.mode])
        if not str(form.get("To", "")).startswith("+") or not form.get("Body"):
            return _error(400, 21604, "A 'To' phone number and a 'Body' are required.")
        sid = f"SM{len(self.requests):032d}"
        return JSONResponse(
            {"sid": sid, "account_sid": ACCOUNT_SID, "to": form["To"], "from": form.get("From"),
             "body": form["Body"], "status": "queued", "error_code": None,
             "uri": f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages/{sid}.json"},
            status_code=201,
        )  # fmt: skip


def _error(status: int, code: int, message: str) -> JSONResponse:
    return JSONResponse(
        {"code": code, "message": message, "status": status,
         "more_info": f"https://www.twilio.com/docs/errors/{code}"},
        status_code=status,
    )  # fmt: skip


class FakeTwilioServer(LoopbackServer[FakeTwilio]):
    def __init__(self) -> None:
        super().__init__(FakeTwilio())
