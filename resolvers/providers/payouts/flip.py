"""Seller payouts through Flip for Business (Money Transfer), written from its published API
documentation (https://docs.flip.id):

- Banks: `GET /v2/general/banks` (`bank_code`, `name`).
- Bank account inquiry: `POST /v2/disbursement/bank-account-inquiry` (form: `account_number`,
  `bank_code`, `inquiry_key`). SUCCESS names the holder (SUSPECTED_ACCOUNT too: Flip still
  transfers to it); INVALID_ACCOUNT_NUMBER, BLACK_LISTED and CLOSED are accounts no payout may
  go to (NOT_FOUND); PENDING means Flip has not cached the account yet and answers by
  callback, so it is asked again a few times (once cached the answer is immediate), then
  PayoutsUnavailable, as is FAILED (Flip asks for a retry).
- Money transfer: `POST /v3/disbursement` (form: `account_number`, `bank_code`, `amount`,
  `remark` of at most 18 characters) with our payout reference as the `idempotency-key`
  header, so a retried request never pays twice: Flip answers the same key with the first
  transfer. Its `status`: PENDING, DONE (COMPLETED) or CANCELLED (FAILED, with `reason`).
- Status: `GET /v3/get-disbursement?idempotency-key=...`. A transfer Flip does not know
  (404: the first request never reached it) is requested again with the same key.
- Callback: a form-encoded POST with `data` (the transfer as JSON) and `token`, Flip's
  validation token from the dashboard, compared in constant time with ours. Its `amount` and
  `id` are read too: the payout it names takes it only when they are the payout's own.

Every request authenticates with HTTP Basic: the secret key as the user, an empty password.
A time-out, an error status, a refused key or a reply that is not the documented shape is
PayoutsUnavailable: the payout stays PENDING and the sweep asks again. A transfer whose
answer names another amount or account is never taken for ours.

Settings: FLIP_SECRET_KEY and FLIP_VALIDATION_TOKEN (required), FLIP_BASE_URL (default the
sandbox, https://bigflip.id/big_sandbox_api; production is https://bigflip.id/api),
FLIP_TIMEOUT_SECONDS (default 10), FLIP_INQUIRY_ATTEMPTS (default 3, a second apart).
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs

import httpx

from resolvers.platform import ErrorCode, UserError
from resolvers.providers.payouts.base import (
    AccountHolder,
    Bank,
    Disbursement,
    DisbursementRequest,
    DisbursementStatus,
    InvalidPayoutNotification,
    PayoutsUnavailable,
    account_number,
)

logger = logging.getLogger("satupintu.payouts")

SANDBOX_URL = "https://bigflip.id/big_sandbox_api"
REMARK_LENGTH = 18
HOLDER_KNOWN = {"SUCCESS", "SUSPECTED_ACCOUNT"}
NO_PAYOUTS = {
    "INVALID_ACCOUNT_NUMBER": "Rekening tidak ditemukan.",
    "BLACK_LISTED": "Rekening ini tidak dapat menerima pencairan.",
    "CLOSED": "Rekening ini sudah ditutup.",
}
STATUSES = {
    "PENDING": DisbursementStatus.PENDING,
    "DONE": DisbursementStatus.COMPLETED,
    "CANCELLED": DisbursementStatus.FAILED,
}
FAILED_REASON = "Transfer dibatalkan oleh Flip"
UNKNOWN_ACCOUNT = "Bank atau nomor rekening tidak dikenali penyedia pencairan."
INQUIRY = "/v2/disbursement/bank-account-inquiry"


class FlipPayouts:
    name = "flip"

    def __init__(
        self,
        secret_key: str,
        validation_token: str,
        base_url: str = SANDBOX_URL,
        timeout: float = 10.0,
        inquiry_attempts: int = 3,
        inquiry_pause: float = 1.0,
    ) -> None:
        self.secret_key = secret_key
        self.validation_token = validation_token
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.inquiry_attempts = max(1, inquiry_attempts)
        self.inquiry_pause = inquiry_pause
        self._banks: list[Bank] | None = None

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> FlipPayouts:
        secret_key = (env.get("FLIP_SECRET_KEY") or "").strip()
        token = (env.get("FLIP_VALIDATION_TOKEN") or "").strip()
        if not secret_key or not token:
            raise ValueError("PAYOUTS=flip needs FLIP_SECRET_KEY and FLIP_VALIDATION_TOKEN")
        return cls(
            secret_key,
            token,
            env.get("FLIP_BASE_URL") or SANDBOX_URL,
            float(env.get("FLIP_TIMEOUT_SECONDS") or 10),
            int(env.get("FLIP_INQUIRY_ATTEMPTS") or 3),
        )

    async def banks(self) -> list[Bank]:
        if self._banks is None:
            answer = await self._call("/v2/general/banks", "GET")
            try:
                self._banks = [Bank(str(b["bank_code"]), str(b["name"])) for b in answer]
            except (KeyError, TypeError) as error:
                raise _unavailable(f"unreadable banks: {error!r}") from None
        return list(self._banks)

    async def inquire(self, bank_code: str, account_number_text: str) -> AccountHolder:
        number = account_number(account_number_text)
        form = {"account_number": number, "bank_code": bank_code, "inquiry_key": number}
        for attempt in range(self.inquiry_attempts):
            if attempt:
                await asyncio.sleep(self.inquiry_pause)
            try:
                answer = await self._call(INQUIRY, data=form)
            except _Refused:
                raise UserError(ErrorCode.INVALID, UNKNOWN_ACCOUNT, "accountNumber") from None
            if not isinstance(answer, dict):
                raise _unavailable("unreadable inquiry")
            status = answer.get("status")
            if status in HOLDER_KNOWN and answer.get("account_holder"):
                return AccountHolder(bank_code, number, str(answer["account_holder"]))
            if status in NO_PAYOUTS:
                raise UserError(ErrorCode.NOT_FOUND, NO_PAYOUTS[status], "accountNumber")
            if status != "PENDING":
                raise _unavailable(f"inquiry status {status!r}")
        raise _unavailable("inquiry still PENDING")

    async def disburse(self, request: DisbursementRequest) -> Disbursement:
        form = {
            "account_number": request.account_number,
            "bank_code": request.bank_code,
            "amount": str(request.amount),
            "remark": request.description[:REMARK_LENGTH],
        }
        headers = {
            "idempotency-key": request.reference,
            "X-TIMESTAMP": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        try:
            answer = await self._call("/v3/disbursement", data=form, headers=headers)
        except _Refused as refused:  # Flip made no transfer of it
            return Disbursement(
                request.reference, DisbursementStatus.FAILED, failure_reason=refused.reason
            )
        return _disbursement(request, answer)

    async def status(self, request: DisbursementRequest) -> Disbursement:
        params = {"idempotency-key": request.reference}
        try:
            answer = await self._call("/v3/get-disbursement", "GET", params=params)
        except _Unknown:
            return await self.disburse(request)
        return _disbursement(request, answer)

    def read_notification(self, body: bytes, headers: Mapping[str, str]) -> Disbursement:
        try:
            form = parse_qs(body.decode(), strict_parsing=True)
            token, data = form["token"][0], json.loads(form["data"][0])
        except (UnicodeDecodeError, ValueError, KeyError, IndexError) as error:
            raise InvalidPayoutNotification(f"unreadable callback: {error!r}") from None
        if not hmac.compare_digest(token.encode(), self.validation_token.encode()):
            raise InvalidPayoutNotification("wrong validation token")
        try:
            reference = data["idempotency_key"]
            if not isinstance(reference, str) or not reference:
                raise TypeError(f"idempotency_key {reference!r}")
            return Disbursement(
                reference=reference,
                status=STATUSES[data["status"]],
                provider_reference=str(data["id"]),
                failure_reason=_reason(data) if data["status"] == "CANCELLED" else None,
                amount=_whole(data["amount"]),
            )
        except (KeyError, TypeError, ValueError) as error:
            raise InvalidPayoutNotification(f"unreadable callback: {error!r}") from None

    async def _call(self, path: str, method: str = "POST", **sent: Any) -> Any:
        async with httpx.AsyncClient(
            base_url=self.base_url, timeout=self.timeout, auth=(self.secret_key, "")
        ) as http:
            try:
                response = await http.request(method, path, **sent)
            except httpx.HTTPError as error:
                raise _unavailable(f"{path}: {type(error).__name__}") from None
        if response.status_code == 404:
            raise _Unknown(path)
        try:
            answer = response.json()
        except ValueError:
            raise _unavailable(f"{path}: status {response.status_code}, not JSON") from None
        if response.status_code == 422:
            raise _Refused(_refusal(answer))
        if response.status_code != 200:
            raise _unavailable(f"{path}: status {response.status_code}")
        return answer


class _Unknown(PayoutsUnavailable):
    """Flip knows no such transfer (404)."""


class _Refused(PayoutsUnavailable):
    """Flip refused the request's content (422): nothing was made of it."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _unavailable(reason: str) -> PayoutsUnavailable:
    logger.warning("flip: %s", reason)
    return PayoutsUnavailable(reason)


def _refusal(answer: object) -> str:
    """Flip's 422 body lists its `errors`, each with a `message`."""
    errors = answer.get("errors") if isinstance(answer, dict) else None
    messages = [str(e.get("message")) for e in errors or [] if isinstance(e, dict)]
    detail = "; ".join(m for m in messages if m)
    return f"Transfer ditolak Flip ({detail})." if detail else "Transfer ditolak Flip."


def _reason(data: Mapping[str, Any]) -> str:
    reason = str(data.get("reason") or "").strip()
    return f"{FAILED_REASON} ({reason})." if reason else f"{FAILED_REASON}."


def _whole(value: object) -> int:
    """Flip writes amounts as whole rupiah, a number or a string of digits."""
    if type(value) is int:
        return value
    if isinstance(value, str) and value.isascii() and value.isdigit():
        return int(value)
    raise ValueError(f"amount {value!r}")


def _disbursement(request: DisbursementRequest, answer: object) -> Disbursement:
    try:
        if not isinstance(answer, dict):
            raise TypeError("not an object")
        status = STATUSES[answer["status"]]
        ours = (
            _whole(answer["amount"]) == request.amount
            and str(answer["account_number"]) == request.account_number
            and answer.get("idempotency_key") in (None, request.reference)
        )
        provider_reference = str(answer["id"])
    except (KeyError, TypeError, ValueError) as error:
        raise _unavailable(f"unreadable transfer: {error!r}") from None
    if not ours:
        raise _unavailable(f"transfer {provider_reference} is not {request.reference}")
    failed = status == DisbursementStatus.FAILED
    return Disbursement(
        request.reference, status, provider_reference, _reason(answer) if failed else None
    )
