"""A local server that speaks Midtrans's Core API (`POST /v2/charge`, `GET /v2/{id}/status`,
`POST /v2/{id}/expire`, `POST /v2/{id}/refund`, HTTP Basic with the server key), keeps its
transactions, sends signed notifications as Midtrans does, and fails on demand."""

from __future__ import annotations

import base64
import json
import uuid
from dataclasses import dataclass, field
from typing import Any

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from fakes.loopback import LoopbackServer, Recording, held
from resolvers.providers.midtrans import signature_key
from resolvers.providers.qris import qris_payload

SERVER_KEY = "SB-Mid-server-fake-key-for-tests"
STATUS_CODES = {
    "pending": "201",
    "settlement": "200",
    "capture": "200",
    "deny": "202",
    "cancel": "200",
    "expire": "407",
    "refund": "200",
    "partial_refund": "200",
}


@dataclass
class FakeMidtrans(Recording):
    """`mode` chooses the answer: ok, down (500), slow (longer than any client waits),
    malformed (not JSON), wrong_shape (JSON without the documented fields)."""

    transactions: dict[str, dict[str, Any]] = field(default_factory=dict)

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/v2/charge", self.charge, methods=["POST"]),
                Route("/v2/{order_id}/status", self.status, methods=["GET"]),
                Route("/v2/{order_id}/expire", self.expire, methods=["POST"]),
                Route("/v2/{order_id}/refund", self.refund, methods=["POST"]),
            ]
        )

    def settle(self, order_id: str, state: str = "settlement", gross_amount: str = "") -> None:
        """The buyer pays (or the transaction moves to `state`), as Midtrans would record it."""
        transaction = self.transactions[order_id]
        transaction["transaction_status"] = state
        transaction["status_code"] = STATUS_CODES[state]
        if gross_amount:
            transaction["gross_amount"] = gross_amount
        if state == "settlement":
            transaction["settlement_time"] = "2026-12-07 10:00:00"

    def notification(self, order_id: str, key: str = SERVER_KEY) -> bytes:
        """The body Midtrans posts to the Payment Notification URL, signed with `key`."""
        transaction = self.transactions[order_id]
        body = {
            **{k: v for k, v in transaction.items() if k not in ("actions", "qr_string")},
            "signature_key": signature_key(
                order_id, transaction["status_code"], transaction["gross_amount"], key
            ),
        }
        return json.dumps(body).encode()

    async def notify(self, target: str, order_id: str, key: str = SERVER_KEY) -> httpx.Response:
        async with httpx.AsyncClient(timeout=30) as http:
            return await http.post(
                target,
                content=self.notification(order_id, key),
                headers={"content-type": "application/json"},
            )

    async def _guard(self, request: Request) -> Response | None:
        self.requests.append(
            {
                "method": request.method,
                "path": request.url.path,
                "body": json.loads(await request.body() or b"null"),
            }
        )
        expected = "Basic " + base64.b64encode(f"{SERVER_KEY}:".encode()).decode()
        if request.headers.get("authorization") != expected:
            return JSONResponse(
                {
                    "status_code": "401",
                    "status_message": "Transaction cannot be authorized with the current "
                    "client/server key.",
                },
                status_code=401,
            )
        if self.mode == "down":
            return JSONResponse(
                {"status_code": "500", "status_message": "Internal Server Error"}, 500
            )
        if self.mode == "slow":
            await held(self.released)
        if self.mode == "malformed":
            return Response("<html>502 Bad Gateway</html>", media_type="text/html")
        if self.mode == "wrong_shape":
            return JSONResponse({"status_code": "200", "message": "ok"})
        return None

    async def charge(self, request: Request) -> Response:
        refused = await self._guard(request)
        if refused is not None:
            return refused
        body = json.loads(await request.body())
        order_id = body["transaction_details"]["order_id"]
        amount = body["transaction_details"]["gross_amount"]
        if order_id in self.transactions:
            return JSONResponse(
                {
                    "status_code": "406",
                    "status_message": "The request could not be completed due to a conflict "
                    "with the current state of the target resource, please try again",
                }
            )
        transaction_id = str(uuid.uuid4())
        transaction: dict[str, Any] = {
            "status_code": "201",
            "status_message": "Success, transaction is found",
            "transaction_id": transaction_id,
            "order_id": order_id,
            "merchant_id": "G000000000",
            "gross_amount": f"{amount}.00",
            "currency": "IDR",
            "payment_type": body["payment_type"],
            "transaction_time": "2026-12-07 09:00:00",
            "transaction_status": "pending",
            "fraud_status": "accept",
            "expiry_time": "2026-12-08 09:00:00",
        }
        if body["payment_type"] == "qris":
            transaction["acquirer"] = body["qris"]["acquirer"]
            transaction["qr_string"] = qris_payload(
                merchant_name="SATUPINTU",
                merchant_city="JAKARTA",
                merchant_id="ID1020000000001",
                amount=amount,
                reference=order_id,
            )
            transaction["actions"] = [
                {
                    "name": "generate-qr-code",
                    "method": "GET",
                    "url": f"{self.url}/v2/qris/{transaction_id}/qr-code",
                }
            ]
        else:
            bank = body["bank_transfer"]["bank"]
            number = f"{abs(hash(order_id)) % 10**11:011d}"
            if bank == "permata":
                transaction["permata_va_number"] = number
            else:
                transaction["va_numbers"] = [{"bank": bank, "va_number": number}]
        self.transactions[order_id] = transaction
        return JSONResponse({**transaction, "status_message": "Success, transaction is created"})

    async def _found(self, request: Request) -> dict[str, Any] | Response:
        """The transaction the path names, or the answer when there is none to act on."""
        refused = await self._guard(request)
        if refused is not None:
            return refused
        transaction = self.transactions.get(request.path_params["order_id"])
        if transaction is None:
            return JSONResponse(
                {"status_code": "404", "status_message": "Transaction doesn't exist."}
            )
        return transaction

    async def status(self, request: Request) -> Response:
        transaction = await self._found(request)
        return transaction if isinstance(transaction, Response) else JSONResponse(transaction)

    async def expire(self, request: Request) -> Response:
        transaction = await self._found(request)
        if isinstance(transaction, Response):
            return transaction
        if transaction["transaction_status"] != "pending":
            return JSONResponse(
                {"status_code": "412", "status_message": "Merchant cannot modify the status"}
            )
        self.settle(transaction["order_id"], "expire")
        return JSONResponse({**transaction, "status_message": "Success, transaction is expired"})

    async def refund(self, request: Request) -> Response:
        transaction = await self._found(request)
        if isinstance(transaction, Response):
            return transaction
        body = json.loads(await request.body())
        refunds = transaction.setdefault("refunds", [])
        if any(r["refund_key"] == body["refund_key"] for r in refunds):
            return JSONResponse({"status_code": "412", "status_message": "Duplicate refund_key"})
        refunds.append({"refund_key": body["refund_key"], "refund_amount": body["amount"]})
        refunded = sum(r["refund_amount"] for r in refunds)
        state = "refund" if f"{refunded}.00" == transaction["gross_amount"] else "partial_refund"
        self.settle(transaction["order_id"], state)
        return JSONResponse(
            {
                **transaction,
                "status_message": "Success, refund request is approved",
                "refund_amount": f"{body['amount']}.00",
                "refund_key": body["refund_key"],
            }
        )


class FakeMidtransServer(LoopbackServer[FakeMidtrans]):
    def __init__(self) -> None:
        super().__init__(FakeMidtrans())
