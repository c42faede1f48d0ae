"""Payments through Midtrans's Core API, written from its published documentation:

- Charge: https://docs.midtrans.com/reference/charge-transactions-1 (`POST /v2/charge`),
  `payment_type` `qris` (the answer's `qr_string`) or `bank_transfer` with a bank (the
  answer's `va_numbers`, or `permata_va_number`), `custom_expiry` for our payment time.
- Status: https://docs.midtrans.com/reference/get-transaction-status (`GET /v2/{id}/status`).
- Expire: https://docs.midtrans.com/reference/expire-transaction (`POST /v2/{id}/expire`).
- Refund: https://docs.midtrans.com/reference/refund-transaction (`POST /v2/{id}/refund`),
  which Midtrans offers for QRIS but not for bank transfers.
- Notifications: https://docs.midtrans.com/reference/receiving-notifications; each carries
  `signature_key` = SHA512(order_id + status_code + gross_amount + server key).

Every request is authenticated by HTTP Basic with the server key as the user name and no
password. Our payment reference is Midtrans's `order_id`. A notification only says when to
look: its signature is checked first, then the status API is asked, and only its answer
(`settlement`, or `capture` with `fraud_status` `accept`) confirms a payment; `pending`,
`deny`, `cancel`, `expire`, `failure` and the refunds confirm none. A Midtrans that is down,
slow or unreadable is PaymentUnavailable: the payment stays PENDING and is asked again.

Settings: MIDTRANS_SERVER_KEY (required), MIDTRANS_BASE_URL (default the sandbox,
https://api.sandbox.midtrans.com; production is https://api.midtrans.com),
MIDTRANS_BANK (the virtual accounts' bank: bca, bni, bri, cimb or permata; default bca),
MIDTRANS_QRIS_ACQUIRER (gopay or airpay shopee; default gopay),
MIDTRANS_TIMEOUT_SECONDS (default 10).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import math
from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

import httpx

from models.orders import PaymentMethod
from resolvers.platform import JAKARTA, ErrorCode, UserError, format_rupiah, now
from resolvers.providers.payments import (
    InvalidNotification,
    Notification,
    PaymentDetails,
    PaymentRequest,
    PaymentUnavailable,
)

logger = logging.getLogger("satupintu.payments")

SANDBOX_BASE_URL = "https://api.sandbox.midtrans.com"
BANKS = {"bca": "BCA", "bni": "BNI", "bri": "BRI", "cimb": "CIMB Niaga", "permata": "Permata"}
ACQUIRERS = ("gopay", "airpay shopee")
PAID = frozenset({"settlement"})


def signature_key(order_id: str, status_code: str, gross_amount: str, server_key: str) -> str:
    text = order_id + status_code + gross_amount + server_key
    return hashlib.sha512(text.encode()).hexdigest()


def whole_rupiah(gross_amount: object) -> int:
    """Midtrans's "10000.00" as 10000; anything that is not a whole, positive amount of
    rupiah is a ValueError, never rounded into a payment that was not made in full."""
    if not isinstance(gross_amount, str):
        raise ValueError(f"gross_amount {gross_amount!r}")
    try:
        amount = Decimal(gross_amount)
    except InvalidOperation:
        raise ValueError(f"gross_amount {gross_amount!r}") from None
    if not amount.is_finite() or amount != amount.to_integral_value() or amount <= 0:
        raise ValueError(f"gross_amount {gross_amount!r}")
    return int(amount)


class MidtransPayments:
    def __init__(
        self,
        server_key: str,
        base_url: str = SANDBOX_BASE_URL,
        bank: str = "bca",
        acquirer: str = "gopay",
        timeout: float = 10.0,
    ) -> None:
        self.server_key = server_key
        self.base_url = base_url.rstrip("/")
        self.bank = bank
        self.acquirer = acquirer
        self.timeout = timeout

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> MidtransPayments:
        server_key = (env.get("MIDTRANS_SERVER_KEY") or "").strip()
        if not server_key:
            raise ValueError("PAYMENT_PROVIDER=midtrans needs MIDTRANS_SERVER_KEY")
        bank = (env.get("MIDTRANS_BANK") or "bca").strip().lower()
        if bank not in BANKS:
            raise ValueError(f"MIDTRANS_BANK must be one of {', '.join(BANKS)}")
        acquirer = (env.get("MIDTRANS_QRIS_ACQUIRER") or "gopay").strip().lower()
        if acquirer not in ACQUIRERS:
            raise ValueError(f"MIDTRANS_QRIS_ACQUIRER must be one of {', '.join(ACQUIRERS)}")
        return cls(
            server_key,
            env.get("MIDTRANS_BASE_URL") or SANDBOX_BASE_URL,
            bank,
            acquirer,
            float(env.get("MIDTRANS_TIMEOUT_SECONDS") or 10),
        )

    async def open(self, request: PaymentRequest) -> PaymentDetails:
        minutes = math.ceil((request.expires_at - now()).total_seconds() / 60)
        body: dict[str, Any] = {
            "transaction_details": {"order_id": request.reference, "gross_amount": request.amount},
            "item_details": [
                {
                    "id": request.reference,
                    "price": request.amount,
                    "quantity": 1,
                    "name": request.merchant_name[:50],
                }
            ],
            "custom_expiry": {
                # Midtrans's clock, not a sandbox's moved one: the duration is what counts.
                "order_time": f"{datetime.now(JAKARTA):%Y-%m-%d %H:%M:%S %z}",
                "expiry_duration": max(1, minutes),
                "unit": "minute",
            },
        }
        if request.method == PaymentMethod.QRIS:
            body |= {"payment_type": "qris", "qris": {"acquirer": self.acquirer}}
        else:
            body |= {"payment_type": "bank_transfer", "bank_transfer": {"bank": self.bank}}
        try:
            answer = await self._call("POST", "/v2/charge", json=body)
            if answer.get("status_code") != "201" or answer.get("order_id") != request.reference:
                raise PaymentUnavailable(f"charge refused: {answer.get('status_message')!r}")
            return self._details(request, answer)
        except PaymentUnavailable as error:
            logger.warning("midtrans: charge %s: %s", request.reference, error)
            raise UserError(
                ErrorCode.SERVICE_UNAVAILABLE,
                "Layanan pembayaran sedang tidak menjawab; coba lagi sebentar lagi.",
                "paymentMethod",
            ) from None

    def _details(self, request: PaymentRequest, answer: dict[str, Any]) -> PaymentDetails:
        deadline = f"{request.expires_at.astimezone(JAKARTA):%d-%m-%Y %H.%M} WIB"
        if request.method == PaymentMethod.QRIS:
            payload = answer.get("qr_string")
            if not isinstance(payload, str) or not payload:
                raise PaymentUnavailable("no qr_string")
            return PaymentDetails(
                instructions=f"Pindai kode QRIS dengan aplikasi pembayaran sebelum {deadline}.",
                qris_payload=payload,
            )
        try:
            if self.bank == "permata":
                number = answer["permata_va_number"]
            else:
                (account,) = [x for x in answer["va_numbers"] if x["bank"] == self.bank]
                number = account["va_number"]
        except (KeyError, TypeError, ValueError):
            raise PaymentUnavailable("no virtual account number") from None
        if not (isinstance(number, str) and number.isascii() and number.isdigit()):
            raise PaymentUnavailable(f"virtual account {number!r}")
        return PaymentDetails(
            instructions=(
                f"Transfer tepat {format_rupiah(request.amount)} ke virtual account "
                f"{BANKS[self.bank]} {number} sebelum {deadline}."
            )
        )

    async def read_notification(
        self, body: bytes, headers: Mapping[str, str]
    ) -> Notification | None:
        try:
            data = json.loads(body)
            order_id, status_code, gross_amount, given = (
                data[name] for name in ("order_id", "status_code", "gross_amount", "signature_key")
            )
        except (ValueError, KeyError, TypeError) as error:
            raise InvalidNotification(f"unreadable notification: {error!r}") from None
        if not all(isinstance(x, str) for x in (order_id, status_code, gross_amount, given)):
            raise InvalidNotification("a signed field is not a string")
        expected = signature_key(order_id, status_code, gross_amount, self.server_key)
        if not hmac.compare_digest(expected.encode(), given.encode()):
            raise InvalidNotification("bad signature_key")
        # Signed, but only Midtrans's own answer about the order confirms a payment.
        return await self.status(order_id)

    async def status(self, reference: str) -> Notification | None:
        answer = await self._call("GET", f"/v2/{reference}/status")
        if answer.get("status_code") == "404":
            return None
        try:
            if answer["order_id"] != reference:
                raise ValueError(f"order_id {answer['order_id']!r}")
            state = answer["transaction_status"]
            paid = state in PAID or (state == "capture" and answer["fraud_status"] == "accept")
            if not paid:
                return None
            return Notification(
                id=f"midtrans:{answer['transaction_id']}",
                reference=reference,
                amount=whole_rupiah(answer["gross_amount"]),
            )
        except (KeyError, TypeError, ValueError) as error:
            raise PaymentUnavailable(f"unreadable status of {reference}: {error!r}") from None

    async def expire(self, reference: str) -> None:
        answer = await self._call("POST", f"/v2/{reference}/expire")
        if answer.get("status_code") not in ("407", "200", "404"):
            logger.warning("midtrans: expiring %s: %s", reference, answer.get("status_message"))

    async def refund(self, reference: str, amount: int) -> None:
        """QRIS through Midtrans's refund API; Midtrans refunds no bank transfer, so those
        are logged for the operator to transfer back by hand. While Midtrans does not take
        the refund, a UserError: the caller's transaction (a cancellation, a complaint's
        refund) is undone and may be tried again."""
        try:
            await self._refund(reference, amount)
        except PaymentUnavailable as error:
            logger.warning("midtrans: refund of %s: %s", reference, error)
            raise UserError(
                ErrorCode.SERVICE_UNAVAILABLE,
                "Layanan pembayaran sedang tidak menjawab; pengembalian dana belum bisa "
                "dilakukan. Coba lagi sebentar lagi.",
            ) from None

    async def _refund(self, reference: str, amount: int) -> None:
        current = await self._call("GET", f"/v2/{reference}/status")
        if current.get("payment_type") != "qris":
            logger.warning(
                "midtrans: %s was paid by %s, which Midtrans cannot refund: transfer %d back",
                reference,
                current.get("payment_type"),
                amount,
            )
            return
        refunds = current.get("refunds")
        body = {
            "refund_key": f"{reference}-R{len(refunds) + 1 if isinstance(refunds, list) else 1}",
            "amount": amount,
            "reason": "Pengembalian dana SatuPintu",
        }
        answer = await self._call("POST", f"/v2/{reference}/refund", json=body)
        if answer.get("status_code") != "200":
            raise PaymentUnavailable(f"refund of {reference}: {answer.get('status_message')!r}")

    async def _call(self, method: str, path: str, **sent: Any) -> dict[str, Any]:
        try:
            async with httpx.AsyncClient(
                base_url=self.base_url,
                timeout=self.timeout,
                auth=(self.server_key, ""),
                headers={"accept": "application/json"},
            ) as http:
                response = await http.request(method, path, **sent)
        except httpx.HTTPError as error:
            raise PaymentUnavailable(f"{path}: {type(error).__name__}") from None
        if response.status_code in (401, 403):
            raise PaymentUnavailable(f"{path}: the server key was refused")
        if response.status_code >= 500:
            raise PaymentUnavailable(f"{path}: status {response.status_code}")
        try:
            answer = response.json()
        except ValueError:
            raise PaymentUnavailable(f"{path}: not JSON") from None
        if not isinstance(answer, dict):
            raise PaymentUnavailable(f"{path}: not an object")
        if answer.get("status_code") in ("401", "500", "502", "503", "504"):
            raise PaymentUnavailable(f"{path}: {answer.get('status_message')!r}")
        return answer
