"""A local server that speaks Digiflazz's buyer API (`POST /v1/transaction` for prepaid
top-ups and `inq-pasca` / `pay-pasca` / `status-pasca`, `POST /v1/inquiry-pln`, answers
wrapped in `data`, every request signed md5(username + key + ref_id)), keeps its
transactions by ref_id, calls back signed as its webhook does, and fails on demand.

The customer number's last two digits choose the behaviour, as the sandbox biller's do:
00 unknown number (rc 54), 01 no bill to pay (rc 60), 03 payment Pending (settled by
`complete`), 05 payment Gagal; any other pays at once."""

from __future__ import annotations

import hashlib
import hmac
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
from resolvers.providers.billers.digiflazz import sign

USERNAME = "koperasitangerang"
API_KEY = "dev-fake-digiflazz-key"
WEBHOOK_SECRET = "fake-digiflazz-webhook-secret"
ADMIN = 2_500


def bill_of(number: str) -> int:
    return 50_000 + int(hashlib.sha256(number.encode()).hexdigest(), 16) % 200 * 500


def token_of(ref_id: str) -> str:
    digits = f"{int(hashlib.sha256(ref_id.encode()).hexdigest(), 16) % 10**20:020d}"
    return "-".join(digits[i : i + 4] for i in range(0, 20, 4))


@dataclass
class FakeDigiflazz(Recording):
    """`mode` chooses the answer: ok, down (500), slow (longer than any client waits),
    malformed (not JSON), wrong_shape (JSON without `data`)."""

    inquiries: dict[str, dict[str, Any]] = field(default_factory=dict)
    transactions: dict[str, dict[str, Any]] = field(default_factory=dict)
    charged: list[str] = field(default_factory=list)  # ref_ids, once per money taken

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/v1/transaction", self.transaction, methods=["POST"]),
                Route("/v1/inquiry-pln", self.inquiry_pln, methods=["POST"]),
            ]
        )

    def complete(self, ref_id: str, status: str = "Sukses") -> None:
        """A Pending transaction settles at Digiflazz."""
        self.transactions[ref_id] |= _outcome(ref_id, status, self.transactions[ref_id])

    def callback(self, ref_id: str, secret: str = WEBHOOK_SECRET) -> tuple[bytes, dict[str, str]]:
        """The webhook call Digiflazz makes about the transaction: its body and headers."""
        body = json.dumps({"data": self.transactions[ref_id]}).encode()
        signature = hmac.new(secret.encode(), body, hashlib.sha1).hexdigest()
        return body, {
            "content-type": "application/json",
            "user-agent": "Digiflazz-Hookshot",
            "x-digiflazz-event": "update",
            "x-digiflazz-delivery": str(uuid.uuid4()),
            "x-hub-signature": f"sha1={signature}",
        }

    async def call_back(self, target: str, ref_id: str, secret: str = WEBHOOK_SECRET):
        body, headers = self.callback(ref_id, secret)
        async with httpx.AsyncClient(timeout=30) as http:
            return await http.post(target, content=body, headers=headers)

    async def _trouble(self, request: Request) -> tuple[dict[str, Any], Response | None]:
        body = json.loads(await request.body())
        self.requests.append({"path": request.url.path, "body": body})
        if self.mode == "down":
            return body, JSONResponse({"message": "Internal Server Error"}, 500)
        if self.mode == "slow":
            await held(self.released)
        if self.mode == "malformed":
            return body, Response("<html>502 Bad Gateway</html>", media_type="text/html")
        if self.mode == "wrong_shape":
            return body, JSONResponse({"result": "ok"})
        return body, None

    async def inquiry_pln(self, request: Request) -> Response:
        body, trouble = await self._trouble(request)
        if trouble is not None:
            return trouble
        number = body["customer_no"]
        if body["sign"] != sign(USERNAME, API_KEY, number):
            return _data({"rc": "41", "message": "Signature Anda salah", "status": "Gagal"})
        if number.endswith("00"):
            return _data({"rc": "54", "message": "Nomor Tujuan Salah", "status": "Gagal"})
        return _data(
            {
                "customer_no": number,
                "meter_no": number,
                "subscriber_id": f"5{number[-11:]}",
                "name": "SITI AMINAH",
                "segment_power": "R1 /000001300",
            }
        )

    async def transaction(self, request: Request) -> Response:
        body, trouble = await self._trouble(request)
        if trouble is not None:
            return trouble
        ref_id, number = body["ref_id"], body["customer_no"]
        if body.get("username") != USERNAME or body["sign"] != sign(USERNAME, API_KEY, ref_id):
            return _data(
                {"ref_id": ref_id, "rc": "41", "status": "Gagal", "message": "Signature Anda salah"}
            )
        command = body.get("commands")
        if command == "inq-pasca":
            return _data(self._inquire(ref_id, number, body["buyer_sku_code"]))
        if command == "status-pasca" or ref_id in self.transactions:
            found = self.transactions.get(ref_id)
            if found is None:
                return _data(
                    {
                        "ref_id": ref_id,
                        "rc": "50",
                        "status": "Gagal",
                        "message": "Transaksi Tidak Ditemukan",
                    }
                )
            return _data(found)  # the same ref_id again: its transaction, never a second
        if command == "pay-pasca" and ref_id not in self.inquiries:
            return _data(
                {
                    "ref_id": ref_id,
                    "rc": "50",
                    "status": "Gagal",
                    "message": "Transaksi Tidak Ditemukan",
                }
            )
        return _data(self._transact(ref_id, number, body["buyer_sku_code"]))

    def _inquire(self, ref_id: str, number: str, sku: str) -> dict[str, Any]:
        if number.endswith("00"):
            return {
                "ref_id": ref_id,
                "rc": "54",
                "status": "Gagal",
                "message": "Nomor Tujuan Salah",
            }
        if number.endswith("01"):
            return {
                "ref_id": ref_id,
                "rc": "60",
                "status": "Gagal",
                "message": "Tagihan belum tersedia",
            }
        bill = bill_of(number)
        inquiry = {
            "ref_id": ref_id,
            "customer_no": number,
            "customer_name": "BUDI SANTOSO",
            "buyer_sku_code": sku,
            "admin": ADMIN,
            "message": "Transaksi Sukses",
            "status": "Sukses",
            "rc": "00",
            "buyer_last_saldo": 5_000_000,
            "price": bill + ADMIN - 500,
            "selling_price": bill + ADMIN,
            "desc": {
                "tarif": "R1",
                "daya": 1300,
                "lembar_tagihan": 1,
                "detail": [
                    {
                        "periode": "202611",
                        "nilai_tagihan": str(bill),
                        "admin": str(ADMIN),
                        "denda": "0",
                    }
                ],
            },
        }
        self.inquiries[ref_id] = inquiry
        return inquiry

    def _transact(self, ref_id: str, number: str, sku: str) -> dict[str, Any]:
        transaction = {
            "trx_id": uuid.uuid4().hex[:24],
            "ref_id": ref_id,
            "customer_no": number,
            "buyer_sku_code": sku,
            "price": 20_150,
            "buyer_last_saldo": 5_000_000,
        }
        status = {"03": "Pending", "05": "Gagal"}.get(number[-2:], "Sukses")
        transaction |= _outcome(ref_id, status, transaction)
        self.transactions[ref_id] = transaction
        if status != "Gagal":
            self.charged.append(ref_id)
        return transaction


def _outcome(ref_id: str, status: str, transaction: dict[str, Any]) -> dict[str, Any]:
    if status == "Pending":
        return {"status": "Pending", "rc": "03", "message": "Transaksi Pending", "sn": ""}
    if status == "Gagal":
        return {"status": "Gagal", "rc": "02", "message": "Transaksi Gagal", "sn": ""}
    sku = transaction["buyer_sku_code"]
    if sku.startswith("pln") and sku[3:].isdigit():  # a token: its digits lead the sn
        sn = f"{token_of(ref_id)}/SITI AMINAH/R1/1300VA/{int(sku[3:]) * 1000 / 1444.7:.1f}"
    else:
        sn = f"REF{int(hashlib.sha256(ref_id.encode()).hexdigest(), 16) % 10**16:016d}"
    return {
        "status": "Sukses",
        "rc": "00",
        "message": "Transaksi Sukses",
        "sn": sn.replace(".", ","),
    }


def _data(data: dict[str, Any]) -> JSONResponse:
    return JSONResponse({"data": data})


class FakeDigiflazzServer(LoopbackServer[FakeDigiflazz]):
    def __init__(self) -> None:
        super().__init__(FakeDigiflazz())
