"""The built-in sandbox payment provider: every flow works with no outside service.

Virtual accounts and QRIS strings are made here; payments are confirmed by notifications
signed with the webhook secret, which anyone holding the secret (tests, demos, an
operator's script) can send.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Mapping

from models.orders import PaymentMethod
from resolvers.platform import JAKARTA, format_rupiah
from resolvers.providers.payments import (
    InvalidNotification,
    Notification,
    PaymentDetails,
    PaymentRequest,
)
from resolvers.providers.qris import qris_payload
from resolvers.providers.signature import is_authentic

BANK = "Bank Sandbox"
VA_PREFIX = "8808"
MERCHANT_ID = "ID1026000000001"
MERCHANT_CITY = "TANGERANG"
TIMESTAMP_HEADER = "x-sandbox-timestamp"
SIGNATURE_HEADER = "x-sandbox-signature"


def virtual_account(reference: str) -> str:
    digits = int(hashlib.sha256(reference.encode()).hexdigest(), 16) % 10**12
    return f"{VA_PREFIX}{digits:012d}"


def _whole_rupiah(amount: object) -> int:
    """The notified amount, only when it is a JSON integer: 389500.9 or "389500" is no amount
    of rupiah, and truncating it would confirm a payment that was never made in full."""
    if type(amount) is not int:
        raise ValueError(f"amount is not whole rupiah: {amount!r}")
    return amount


class SandboxProvider:
    def __init__(self, webhook_secret: str) -> None:
        self.webhook_secret = webhook_secret

    async def open(self, request: PaymentRequest) -> PaymentDetails:
        deadline = f"{request.expires_at.astimezone(JAKARTA):%d-%m-%Y %H.%M} WIB"
        if request.method == PaymentMethod.QRIS:
            return PaymentDetails(
                instructions=f"Pindai kode QRIS dengan aplikasi pembayaran sebelum {deadline}.",
                qris_payload=qris_payload(
                    merchant_name=request.merchant_name,
                    merchant_city=MERCHANT_CITY,
                    merchant_id=MERCHANT_ID,
                    amount=request.amount,
                    reference=request.reference,
                ),
            )
        return PaymentDetails(
            instructions=(
                f"Transfer tepat {format_rupiah(request.amount)} ke virtual account {BANK} "
                f"{virtual_account(request.reference)} sebelum {deadline}."
            )
        )

    async def read_notification(self, body: bytes, headers: Mapping[str, str]) -> Notification:
        timestamp = headers.get(TIMESTAMP_HEADER, "")
        signature = headers.get(SIGNATURE_HEADER, "")
        if not is_authentic(self.webhook_secret, timestamp, body, signature, time.time()):
            raise InvalidNotification("bad or stale signature")
        try:
            data = json.loads(body)
            if data["status"] != "PAID":
                raise ValueError(data["status"])
            return Notification(
                id=str(data["id"]),
                reference=str(data["reference"]),
                amount=_whole_rupiah(data["amount"]),
            )
        except (ValueError, KeyError, TypeError) as error:
            raise InvalidNotification(f"unreadable notification: {error}") from None

    async def status(self, reference: str) -> Notification | None:
        """The sandbox keeps no payments: only its notifications confirm them."""
        return None

    async def expire(self, reference: str) -> None:
        """Nothing to stop: the sandbox takes no money."""

    async def refund(self, reference: str, amount: int) -> None:
        """The sandbox holds no money: a refund always succeeds."""
