"""The built-in sandbox payout provider: every payout flow works with no outside service.

Deterministic and stateless: answers depend only on the request, so every worker answers
alike. The last two digits of the account number choose the behaviour:

| ends in | behaviour |
| --- | --- |
| 00 | unknown account: the inquiry is refused (NOT_FOUND) |
| 03 | pending: the disbursement is PENDING, every re-check COMPLETED |
| 05 | failure: the disbursement FAILED at once |
| any other | the holder is named; the disbursement COMPLETED at once |

Notifications are signed like the sandbox payment provider's (HMAC-SHA256 over the
timestamp and the raw body) with a secret of their own (`PAYOUT_WEBHOOK_SECRET`), so tests
and demos can send them; an `amount` in one is checked against the payout it names.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Mapping

from resolvers.platform import ErrorCode, UserError
from resolvers.providers.payouts.base import (
    AccountHolder,
    Bank,
    Disbursement,
    DisbursementRequest,
    DisbursementStatus,
    InvalidPayoutNotification,
    account_number,
)
from resolvers.providers.signature import is_authentic

BANKS = (
    Bank("bca", "Bank Central Asia (BCA)"),
    Bank("bni", "Bank Negara Indonesia (BNI)"),
    Bank("bri", "Bank Rakyat Indonesia (BRI)"),
    Bank("mandiri", "Bank Mandiri"),
    Bank("bsi", "Bank Syariah Indonesia (BSI)"),
    Bank("btn", "Bank Tabungan Negara (BTN)"),
    Bank("bjb", "Bank BJB"),
    Bank("cimb", "CIMB Niaga"),
    Bank("permata", "Bank Permata"),
    Bank("danamon", "Bank Danamon"),
)
HOLDERS = (
    "SITI AMINAH",
    "BUDI SANTOSO",
    "DEWI LESTARI",
    "AHMAD FAUZI",
    "RINA MARLINA",
    "JOKO SUSILO",
    "NURHAYATI",
    "AGUS SETIAWAN",
)
UNKNOWN, PENDING, FAILURE = "00", "03", "05"
FAILURE_REASON = "Rekening tujuan menolak transfer."
TIMESTAMP_HEADER = "x-sandbox-timestamp"
SIGNATURE_HEADER = "x-sandbox-signature"


def _digest(*parts: object) -> int:
    return int(hashlib.sha256(":".join(map(str, parts)).encode()).hexdigest(), 16)


class SandboxPayouts:
    name = "sandbox"

    def __init__(self, webhook_secret: str = "sandbox") -> None:
        self.webhook_secret = webhook_secret

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> SandboxPayouts:
        """Notifications are signed with the payout webhook's own secret."""
        return cls(env.get("PAYOUT_WEBHOOK_SECRET") or "sandbox")

    async def banks(self) -> list[Bank]:
        return list(BANKS)

    async def inquire(self, bank_code: str, account_number_text: str) -> AccountHolder:
        number = account_number(account_number_text)
        if number.endswith(UNKNOWN):
            raise UserError(ErrorCode.NOT_FOUND, "Rekening tidak ditemukan.", "accountNumber")
        holder = HOLDERS[_digest(bank_code, number) % len(HOLDERS)]
        return AccountHolder(bank_code, number, holder)

    async def disburse(self, request: DisbursementRequest) -> Disbursement:
        return self._answer(request, recheck=False)

    async def status(self, request: DisbursementRequest) -> Disbursement:
        return self._answer(request, recheck=True)

    def _answer(self, request: DisbursementRequest, *, recheck: bool) -> Disbursement:
        behaviour = request.account_number[-2:]
        provider_reference = f"SBX-PO-{_digest(request.reference) % 10**12:012d}"
        if behaviour == FAILURE:
            return Disbursement(
                request.reference,
                DisbursementStatus.FAILED,
                provider_reference,
                failure_reason=FAILURE_REASON,
            )
        if behaviour == PENDING and not recheck:
            return Disbursement(request.reference, DisbursementStatus.PENDING, provider_reference)
        return Disbursement(request.reference, DisbursementStatus.COMPLETED, provider_reference)

    def read_notification(self, body: bytes, headers: Mapping[str, str]) -> Disbursement:
        timestamp = headers.get(TIMESTAMP_HEADER, "")
        signature = headers.get(SIGNATURE_HEADER, "")
        if not is_authentic(self.webhook_secret, timestamp, body, signature, time.time()):
            raise InvalidPayoutNotification("bad or stale signature")
        try:
            data = json.loads(body)
            return Disbursement(
                reference=str(data["reference"]),
                status=DisbursementStatus(data["status"]),
                provider_reference=data.get("providerReference"),
                failure_reason=data.get("failureReason"),
                amount=_amount(data.get("amount")),
            )
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            raise InvalidPayoutNotification(f"unreadable notification: {error}") from None


def _amount(value: object) -> int | None:
    """A notification's optional amount: whole rupiah, or absent."""
    if value is None or type(value) is int:
        return value
    raise TypeError(f"amount {value!r}")
