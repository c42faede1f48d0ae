"""Outside bills through Digiflazz, written from its published buyer API documentation
(https://developer.digiflazz.com/api/buyer/):

- Prepaid (PLN tokens): `POST /v1/transaction` with `buyer_sku_code`, `customer_no`,
  `ref_id`; the meter's owner first from `POST /v1/inquiry-pln`.
- Postpaid (PLN, PDAM, BPJS): `POST /v1/transaction` with `commands` `inq-pasca` (the bill),
  `pay-pasca` (with the ref_id of its inquiry) and `status-pasca`.
- Every request is signed: `sign` = md5(username + API key + ref_id), or + customer_no for
  the PLN inquiry. Every answer comes wrapped in `data`, its `status` Sukses, Pending or Gagal
  with an `rc`. A Pending one is asked about again by posting the same request with the same
  `ref_id` (Digiflazz never pays one ref_id twice), and Digiflazz calls back (its webhook) when
  the status changes, signed by `X-Hub-Signature` = "sha1=" + HMAC-SHA1(webhook secret, body).

Our `ref_id` for a bill is made at its inquiry and kept as the bill's `inquiry_id`, since a
postpaid payment must name its inquiry's. A member pays Digiflazz's `selling_price` (the
bill, fines included, and its admin fee); a token, its denomination and our admin fee.
A payment Digiflazz does not answer (down, slow, unreadable) is PENDING, never FAILED: the
money may have moved.

Settings: DIGIFLAZZ_USERNAME and DIGIFLAZZ_API_KEY (required), DIGIFLAZZ_WEBHOOK_SECRET (the
webhook's secret; without it every callback is refused and only the re-check settles),
DIGIFLAZZ_BASE_URL (default https://api.digiflazz.com), DIGIFLAZZ_TESTING (on: Digiflazz's
development mode, `testing: true`), DIGIFLAZZ_TIMEOUT_SECONDS (default 15), the product codes
DIGIFLAZZ_SKU_PLN_POSTPAID (pln), DIGIFLAZZ_SKU_PDAM (pdam), DIGIFLAZZ_SKU_BPJS (bpjs) and
DIGIFLAZZ_SKU_PLN_TOKEN (pln: a token's code is it and the denomination in thousands, pln20),
DIGIFLAZZ_TOKEN_ADMIN_FEE (default 2500).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import secrets
from collections.abc import Callable, Mapping
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

import httpx

from models.bills import BillKind
from resolvers.platform import JAKARTA, ErrorCode, UserError, now
from resolvers.providers.billers.biller import (
    BillerCallback,
    BillerPayment,
    BillerStatus,
    BillerUnavailable,
    Inquiry,
    InvalidCallback,
    customer_number,
    end_of_day,
    token_denomination,
)

logger = logging.getLogger("satupintu.bills")

DEFAULT_BASE_URL = "https://api.digiflazz.com"
DEFAULT_SKUS = {
    BillKind.PLN_POSTPAID: "pln",
    BillKind.PDAM: "pdam",
    BillKind.BPJS: "bpjs",
    BillKind.PLN_TOKEN: "pln",
}
STATUSES = {
    "sukses": BillerStatus.PAID,
    "success": BillerStatus.PAID,
    "pending": BillerStatus.PENDING,
    "gagal": BillerStatus.FAILED,
    "failed": BillerStatus.FAILED,
}
UNKNOWN_NUMBER = frozenset({"51", "52", "54", "57", "59"})  # blocked, wrong or foreign number
NO_BILL = "60"  # no bill yet for the period: paid already, or not issued
NO_ANSWER = "Biller belum menjawab; status pembayaran dicek ulang."
REFUSED = "Pembayaran ditolak biller."


def sign(username: str, api_key: str, text: str) -> str:
    return hashlib.md5(f"{username}{api_key}{text}".encode()).hexdigest()


def whole(value: object) -> int:
    """Digiflazz's amounts as whole rupiah: 25000 or 25000.0, never 25000.5, "25000" or true."""
    if type(value) is int:
        return value
    if type(value) is float and value.is_integer():
        return int(value)
    raise ValueError(f"amount {value!r}")


class DigiflazzBiller:
    def __init__(
        self,
        username: str,
        api_key: str,
        base_url: str = DEFAULT_BASE_URL,
        *,
        webhook_secret: str = "",
        skus: Mapping[BillKind, str] = DEFAULT_SKUS,
        token_admin_fee: int = 2_500,
        testing: bool = False,
        timeout: float = 15.0,
        clock: Callable[[], datetime] = now,
    ) -> None:
        self.username = username
        self.api_key = api_key
        self.base_url = base_url.rstrip("/")
        self.webhook_secret = webhook_secret
        self.skus = dict(skus)
        self.token_admin_fee = token_admin_fee
        self.testing = testing
        self.timeout = timeout
        self.clock = clock

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> DigiflazzBiller:
        username = (env.get("DIGIFLAZZ_USERNAME") or "").strip()
        api_key = (env.get("DIGIFLAZZ_API_KEY") or "").strip()
        if not (username and api_key):
            raise ValueError("BILLER=digiflazz needs DIGIFLAZZ_USERNAME and DIGIFLAZZ_API_KEY")
        skus = {
            kind: (env.get(f"DIGIFLAZZ_SKU_{kind.value}") or default).strip()
            for kind, default in DEFAULT_SKUS.items()
        }
        return cls(
            username,
            api_key,
            env.get("DIGIFLAZZ_BASE_URL") or DEFAULT_BASE_URL,
            webhook_secret=env.get("DIGIFLAZZ_WEBHOOK_SECRET") or "",
            skus=skus,
            token_admin_fee=int(env.get("DIGIFLAZZ_TOKEN_ADMIN_FEE") or 2_500),
            testing=(env.get("DIGIFLAZZ_TESTING") or "off") == "on",
            timeout=float(env.get("DIGIFLAZZ_TIMEOUT_SECONDS") or 15),
        )

    async def inquire(
        self, kind: BillKind, customer_number_text: str, denomination: int | None = None
    ) -> Inquiry:
        number = customer_number(customer_number_text)
        ref_id = f"SPI{secrets.token_hex(8).upper()}"
        moment = self.clock()
        if kind == BillKind.PLN_TOKEN:
            amount = token_denomination(denomination)
            name = await self._meter_owner(number)
            return Inquiry(
                kind, number, name, None, amount, self.token_admin_fee, end_of_day(moment), ref_id
            )
        if denomination is not None:
            raise UserError(ErrorCode.INVALID, "Nominal hanya untuk token listrik.", "denomination")
        data = await self._post("/v1/transaction", self._request("inq-pasca", kind, number, ref_id))
        status, rc = _status(data), data.get("rc")
        if status == BillerStatus.FAILED:
            raise _inquiry_refused(rc, data.get("message"))
        if status != BillerStatus.PAID:
            raise BillerUnavailable(f"inquiry {ref_id}: {status} {rc}")
        try:
            total, admin = whole(data["selling_price"]), whole(data["admin"])
            name = str(data["customer_name"]).strip()
            if total <= admin or admin < 0 or not name:
                raise ValueError(f"selling_price {total}, admin {admin}, name {name!r}")
        except (KeyError, TypeError, ValueError) as error:
            raise BillerUnavailable(f"unreadable inquiry {ref_id}: {error!r}") from None
        period = _period(data) or f"{moment.astimezone(JAKARTA):%Y-%m}"
        return Inquiry(kind, number, name, period, total - admin, admin, end_of_day(moment), ref_id)

    async def pay(self, reference: str, inquiry: Inquiry) -> BillerPayment:
        if inquiry.expired(self.clock()):
            return BillerPayment(
                reference,
                BillerStatus.FAILED,
                message="Tagihan sudah kedaluwarsa; cek tagihan lagi.",
            )
        return await self._transact(reference, inquiry, "pay-pasca")

    async def status(self, reference: str, inquiry: Inquiry) -> BillerPayment:
        return await self._transact(reference, inquiry, "status-pasca")

    def read_callback(self, body: bytes, headers: Mapping[str, str]) -> BillerCallback:
        given = headers.get("x-hub-signature", "")
        expected = "sha1=" + hmac.new(self.webhook_secret.encode(), body, hashlib.sha1).hexdigest()
        if not self.webhook_secret or not hmac.compare_digest(expected.encode(), given.encode()):
            raise InvalidCallback("bad X-Hub-Signature")
        try:
            data = json.loads(body)["data"]
            ref_id = data["ref_id"]
            if not isinstance(ref_id, str) or not ref_id:
                raise ValueError(f"ref_id {ref_id!r}")
            return BillerCallback(ref_id, _payment(ref_id, data, token=_is_token_sn(data)))
        except (ValueError, KeyError, TypeError) as error:
            raise InvalidCallback(f"unreadable callback: {error!r}") from None

    async def _transact(self, reference: str, inquiry: Inquiry, command: str) -> BillerPayment:
        """Pay (or ask about) the inquiry's payment; its ref_id, so never twice."""
        ref_id = inquiry.inquiry_id
        if inquiry.kind == BillKind.PLN_TOKEN:
            sku = f"{self.skus[BillKind.PLN_TOKEN]}{inquiry.amount // 1000}"
            body = self._request(None, inquiry.kind, inquiry.customer_number, ref_id, sku)
        else:
            body = self._request(command, inquiry.kind, inquiry.customer_number, ref_id)
        try:
            data = await self._post("/v1/transaction", body)
            if data.get("ref_id") != ref_id:
                raise BillerUnavailable(f"answer about {data.get('ref_id')!r}")
            answer = _payment(reference, data, token=inquiry.kind == BillKind.PLN_TOKEN)
        except (BillerUnavailable, KeyError, TypeError, ValueError) as error:
            logger.warning("digiflazz: %s %s: %r", command, ref_id, error)
            return BillerPayment(reference, BillerStatus.PENDING, message=NO_ANSWER)
        return answer

    async def _meter_owner(self, number: str) -> str:
        body = {
            "username": self.username,
            "customer_no": number,
            "sign": sign(self.username, self.api_key, number),
        }
        data = await self._post("/v1/inquiry-pln", body)
        name = data.get("name")
        if not isinstance(name, str) or not name.strip():
            if data.get("rc") in UNKNOWN_NUMBER:
                raise UserError(
                    ErrorCode.NOT_FOUND, "Nomor meter tidak ditemukan.", "customerNumber"
                )
            raise BillerUnavailable(f"inquiry-pln: rc {data.get('rc')!r}")
        return name.strip()

    def _request(
        self, command: str | None, kind: BillKind, number: str, ref_id: str, sku: str = ""
    ) -> dict[str, Any]:
        body: dict[str, Any] = {
            "username": self.username,
            "buyer_sku_code": sku or self.skus[kind],
            "customer_no": number,
            "ref_id": ref_id,
            "sign": sign(self.username, self.api_key, ref_id),
        }
        if command is not None:
            body["commands"] = command
        if self.testing:
            body["testing"] = True
        return body

    async def _post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        try:
            async with httpx.AsyncClient(base_url=self.base_url, timeout=self.timeout) as http:
                response = await http.post(path, json=body)
        except httpx.HTTPError as error:
            raise BillerUnavailable(f"{path}: {type(error).__name__}") from None
        if response.status_code >= 500:
            raise BillerUnavailable(f"{path}: status {response.status_code}")
        try:
            data = response.json()["data"]
        except (ValueError, KeyError, TypeError):
            raise BillerUnavailable(f"{path}: not Digiflazz's answer") from None
        if not isinstance(data, dict):
            raise BillerUnavailable(f"{path}: data is not an object")
        return data


def _status(data: dict[str, Any]) -> BillerStatus | None:
    status = data.get("status")
    return STATUSES.get(status.lower()) if isinstance(status, str) else None


def _inquiry_refused(rc: object, message: object) -> Exception:
    if rc in UNKNOWN_NUMBER:
        return UserError(ErrorCode.NOT_FOUND, "Nomor pelanggan tidak ditemukan.", "customerNumber")
    if rc == NO_BILL:
        return UserError(
            ErrorCode.INVALID_STATE,
            "Tidak ada tagihan untuk periode ini (sudah dibayar atau belum terbit).",
            "customerNumber",
        )
    return BillerUnavailable(f"inquiry refused: {rc} {message}")


def _period(data: dict[str, Any]) -> str | None:
    """The latest billed month of `desc.detail`, "202612" as "2026-12"."""
    try:
        months = [str(sheet["periode"]) for sheet in data["desc"]["detail"]]
    except (KeyError, TypeError):
        return None
    months = [m for m in months if len(m) == 6 and m.isascii() and m.isdigit()]
    return f"{max(months)[:4]}-{max(months)[4:]}" if months else None


def _payment(reference: str, data: dict[str, Any], *, token: bool) -> BillerPayment:
    status = _status(data)
    if status is None:
        raise ValueError(f"status {data.get('status')!r}")
    if status == BillerStatus.PENDING:
        return BillerPayment(reference, status, message="Pembayaran sedang diproses biller.")
    if status == BillerStatus.FAILED:
        said = data.get("message")
        reason = said.strip().rstrip(".")[:150] if isinstance(said, str) else ""
        return BillerPayment(
            reference, status, message=f"{REFUSED[:-1]}: {reason}." if reason else REFUSED + "."
        )
    sn = str(data.get("sn") or "")
    # A token's serial number: "1234-5678-9012-3456-7890/NAME/R1/1300VA/34,6".
    parts = sn.split("/")
    digits = parts[0].replace("-", "").strip()
    if not (token and len(digits) == 20 and digits.isascii() and digits.isdigit()):
        if token:  # paid, so never refunded: the serial number is the member's receipt
            logger.warning("digiflazz: %s paid without a readable token", reference)
        return BillerPayment(reference, status, biller_reference=sn[:64])
    return BillerPayment(
        reference,
        status,
        biller_reference=str(data.get("trx_id") or digits)[:64],
        token="-".join(digits[i : i + 4] for i in range(0, 20, 4)),
        kwh=_kwh(parts[-1]) if len(parts) > 1 else None,
    )


def _kwh(text: str) -> Decimal | None:
    try:
        kwh = Decimal(text.strip().replace(",", "."))
    except InvalidOperation:
        return None
    return kwh.quantize(Decimal("0.01")) if kwh.is_finite() and kwh > 0 else None


def _is_token_sn(data: dict[str, Any]) -> bool:
    """A callback names no bill kind: a PLN token's serial number starts with its token."""
    head = str(data.get("sn") or "").split("/")[0].replace("-", "").strip()
    return len(head) == 20 and head.isascii() and head.isdigit() and "/" in str(data.get("sn"))
