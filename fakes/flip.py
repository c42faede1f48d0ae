"""A local server that speaks Flip for Business's Money Transfer protocol: the bank list, the
bank account inquiry, transfers keyed by `idempotency-key`, the look-up by that key, and the
form-encoded callback with its validation token; it fails on demand.

Accounts by their last two digits: 00 invalid, 07 closed, 08 not cached yet (the first
inquiry is PENDING, then SUCCESS), 09 an inquiry that FAILED; transfers: 03 stay PENDING until
`settle`, 05 CANCELLED at once, any other DONE at once."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from fakes.loopback import LoopbackServer, Recording, held

SECRET_KEY = "JDJ5JDEzJGZha2Utc2VjcmV0LWtleS1mb3ItdGVzdHM"
VALIDATION_TOKEN = "$2y$13$fake-validation-token-for-tests"
BANKS = (("bca", "BCA"), ("mandiri", "Mandiri"), ("bni", "BNI"), ("bri", "BRI"))
HOLDER = "SITI AMINAH"


@dataclass
class FakeFlip(Recording):
    """`mode` chooses the answer: ok, down (500), slow (longer than any client waits),
    malformed (not JSON), wrong_shape, refused (422)."""

    transfers: dict[str, dict[str, Any]] = field(default_factory=dict)  # by idempotency key
    inquired: set[str] = field(default_factory=set)

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/v2/general/banks", self.banks, methods=["GET"]),
                Route("/v2/disbursement/bank-account-inquiry", self.inquiry, methods=["POST"]),
                Route("/v3/disbursement", self.disburse, methods=["POST"]),
                Route("/v3/get-disbursement", self.get_disbursement, methods=["GET"]),
            ]
        )

    def settle(self, key: str, status: str = "DONE", reason: str = "") -> None:
        """What Flip does later to a PENDING transfer."""
        self.transfers[key].update(status=status, reason=reason)

    def callback(self, key: str, token: str = VALIDATION_TOKEN, **changes: Any) -> bytes:
        """The callback Flip sends about a transfer, as its raw body."""
        data = json.dumps({**self.transfers[key], **changes})
        return urlencode({"data": data, "token": token}).encode()

    async def _trouble(self, request: Request) -> Response | None:
        expected = "Basic " + base64.b64encode(f"{SECRET_KEY}:".encode()).decode()
        if request.headers.get("authorization") != expected:
            body = {"name": "Unauthorized", "message": "Invalid credentials.", "status": 401}
            return JSONResponse(body, status_code=401)
        if self.mode == "down":
            return JSONResponse({"name": "Internal Server Error", "status": 500}, 500)
        if self.mode == "slow":
            await held(self.released)
        if self.mode == "malformed":
            return Response("<html>502 Bad Gateway</html>", media_type="text/html")
        if self.mode == "refused":
            errors = [{"attribute": "account_number", "code": 1011, "message": "Invalid account"}]
            return JSONResponse({"code": "VALIDATION_ERROR", "errors": errors}, 422)
        return None

    async def banks(self, request: Request) -> Response:
        trouble = await self._trouble(request)
        if trouble is not None:
            return trouble
        return JSONResponse(
            [
                {"bank_code": code, "name": name, "fee": 4000, "queue": 0, "status": "OPERATIONAL"}
                for code, name in BANKS
            ]
        )

    async def inquiry(self, request: Request) -> Response:
        form = dict(await request.form())
        self.requests.append({"path": request.url.path, "form": form})
        trouble = await self._trouble(request)
        if trouble is not None:
            return trouble
        number, ending = str(form["account_number"]), str(form["account_number"])[-2:]
        status = {"00": "INVALID_ACCOUNT_NUMBER", "07": "CLOSED", "09": "FAILED"}.get(
            ending, "SUCCESS"
        )
        if ending == "08" and number not in self.inquired:
            self.inquired.add(number)
            status = "PENDING"
        holder = HOLDER if status == "SUCCESS" else ""
        answer = {"bank_code": form["bank_code"], "account_number": number,
                  "account_holder": holder, "status": status,
                  "inquiry_key": form.get("inquiry_key", "")}  # fmt: skip
        if self.mode == "wrong_shape":
            answer.pop("status")
        return JSONResponse(answer)

    async def disburse(self, request: Request) -> Response:
        form = dict(await request.form())
        key = request.headers.get("idempotency-key", "")
        self.requests.append({"path": request.url.path, "form": form, "key": key})
        trouble = await self._trouble(request)
        if trouble is not None:
            return trouble
        if not key:
            errors = [{"attribute": "idempotency-key", "code": 1099, "message": "Required"}]
            return JSONResponse({"code": "VALIDATION_ERROR", "errors": errors}, 422)
        if key not in self.transfers:  # the same key answers with the first transfer
            self.transfers[key] = self._transfer(key, form)
        answer = dict(self.transfers[key])
        if self.mode == "wrong_shape":
            answer["amount"] = answer["amount"] + 0.5
        return JSONResponse(answer)

    def _transfer(self, key: str, form: dict[str, Any]) -> dict[str, Any]:
        number = str(form["account_number"])
        status = {"03": "PENDING", "05": "CANCELLED"}.get(number[-2:], "DONE")
        return {
            "id": 10_000 + len(self.transfers), "user_id": 20, "amount": int(form["amount"]),
            "status": status, "reason": "Rekening tujuan menolak" if status == "CANCELLED" else "",
            "timestamp": "2026-12-07 10:00:00", "bank_code": form["bank_code"],
            "account_number": number, "recipient_name": HOLDER, "sender_bank": "bca",
            "remark": form.get("remark", ""), "receipt": "", "time_served": "(not set)",
            "bundle_id": 0, "company_id": 7, "recipient_city": 391, "created_from": "API",
            "direction": "DOMESTIC_TRANSFER", "sender": None, "fee": 4000,
            "beneficiary_email": "", "idempotency_key": key,
        }  # fmt: skip

    async def get_disbursement(self, request: Request) -> Response:
        key = request.query_params.get("idempotency-key", "")
        self.requests.append({"path": request.url.path, "key": key})
        trouble = await self._trouble(request)
        if trouble is not None:
            return trouble
        if key not in self.transfers:
            body = {"name": "Not Found", "message": "Disbursement not found", "status": 404}
            return JSONResponse(body, status_code=404)
        return JSONResponse(self.transfers[key])


class FakeFlipServer(LoopbackServer[FakeFlip]):
    def __init__(self) -> None:
        super().__init__(FakeFlip())
