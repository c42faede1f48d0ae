"""The built-in sandbox biller: every bill flow works with no outside service.

Deterministic and stateless: answers depend only on the request and the clock, so every
worker answers alike. The last two digits of the customer number choose the behaviour:

| ends in | behaviour |
| --- | --- |
| 00 | unknown number: the inquiry is refused (NOT_FOUND) |
| 01 | already paid: the inquiry is refused (INVALID_STATE; PLN_TOKEN has no bill, so none) |
| 02 | expired inquiry: it expires the moment it is made, so paying it FAILS |
| 03 | pending, then paid: payment PENDING, every re-check PAID |
| 04 | pending, then failed: payment PENDING, every re-check FAILED |
| 05 | failure: payment FAILED |
| 06 | payment timeout: no answer in time, so PENDING; the re-check finds it PAID |
| 07 | inquiry timeout: BillerUnavailable |
| any other | paid at once |

Amounts are Rp25.000-Rp512.500 by a hash of kind, number and period; the admin fee is
Rp2.500. Any inquiry is payable until midnight in Jakarta. PLN_TOKEN comes in 20.000,
50.000, 100.000, 200.000, 500.000 and 1.000.000 (20.000 unless asked), its kWh at the R1/1300
VA tariff rounded down to 0.01, its token twenty digits from a hash of the reference.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from datetime import datetime
from decimal import ROUND_DOWN, Decimal

from models.bills import BillKind
from resolvers.platform import JAKARTA, ErrorCode, UserError, now
from resolvers.providers.billers.biller import (
    EXPIRED_MESSAGE,
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

ADMIN_FEE = 2_500
TARIFF_PER_KWH = Decimal("1444.70")  # R1/1300 VA
NAMES = (
    "SITI AMINAH",
    "BUDI SANTOSO",
    "DEWI LESTARI",
    "AHMAD FAUZI",
    "RINA MARLINA",
    "JOKO SUSILO",
    "NURHAYATI",
    "AGUS SETIAWAN",
)
UNKNOWN, ALREADY_PAID, EXPIRED = "00", "01", "02"
PENDING_THEN_PAID, PENDING_THEN_FAILED, FAILURE = "03", "04", "05"
PAYMENT_TIMEOUT, INQUIRY_TIMEOUT = "06", "07"
REFUSED_MESSAGE = "Pembayaran ditolak biller."
PENDING_MESSAGES = {
    PENDING_THEN_PAID: "Pembayaran sedang diproses biller.",
    PENDING_THEN_FAILED: "Pembayaran sedang diproses biller.",
    PAYMENT_TIMEOUT: "Biller belum menjawab; status pembayaran dicek ulang.",
}


def _digest(*parts: object) -> int:
    return int(hashlib.sha256(":".join(map(str, parts)).encode()).hexdigest(), 16)


class SandboxBiller:
    def __init__(self, clock: Callable[[], datetime] = now) -> None:
        self.clock = clock

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> SandboxBiller:
        """The sandbox needs no settings."""
        return cls()

    async def inquire(
        self, kind: BillKind, customer_number_text: str, denomination: int | None = None
    ) -> Inquiry:
        number = customer_number(customer_number_text)
        behaviour = number[-2:]
        if behaviour == INQUIRY_TIMEOUT:
            raise BillerUnavailable("sandbox biller: inquiry timed out")
        if behaviour == UNKNOWN:
            raise UserError(
                ErrorCode.NOT_FOUND, "Nomor pelanggan tidak ditemukan.", "customerNumber"
            )
        if behaviour == ALREADY_PAID and kind != BillKind.PLN_TOKEN:
            raise UserError(
                ErrorCode.INVALID_STATE, "Tagihan periode ini sudah dibayar.", "customerNumber"
            )
        moment = self.clock()
        local = moment.astimezone(JAKARTA)
        if kind == BillKind.PLN_TOKEN:
            amount, period = token_denomination(denomination), None
        elif denomination is not None:
            raise UserError(ErrorCode.INVALID, "Nominal hanya untuk token listrik.", "denomination")
        else:
            period = f"{local:%Y-%m}"
            amount = 25_000 + _digest(kind, number, period) % 976 * 500
        return Inquiry(
            kind=kind,
            customer_number=number,
            customer_name=NAMES[_digest(number) % len(NAMES)],
            period=period,
            amount=amount,
            admin_fee=ADMIN_FEE,
            expires_at=moment if behaviour == EXPIRED else end_of_day(moment),
            inquiry_id=f"SBX-INQ-{_digest(kind, number, amount, local.date()) % 10**12:012d}",
        )

    async def pay(self, reference: str, inquiry: Inquiry) -> BillerPayment:
        return self._answer(reference, inquiry, recheck=False)

    async def status(self, reference: str, inquiry: Inquiry) -> BillerPayment:
        """Stateless: a payment that settles at once is answered as `pay` did, clock aside."""
        return self._answer(reference, inquiry, recheck=True)

    def read_callback(self, body: bytes, headers: Mapping[str, str]) -> BillerCallback:
        """The sandbox answers every request at once: it never calls back."""
        raise InvalidCallback("the sandbox biller sends no callbacks")

    def _answer(self, reference: str, inquiry: Inquiry, *, recheck: bool) -> BillerPayment:
        behaviour = inquiry.customer_number[-2:]
        if behaviour == EXPIRED or (not recheck and inquiry.expired(self.clock())):
            return BillerPayment(reference, BillerStatus.FAILED, message=EXPIRED_MESSAGE)
        if behaviour == FAILURE or (recheck and behaviour == PENDING_THEN_FAILED):
            return BillerPayment(reference, BillerStatus.FAILED, message=REFUSED_MESSAGE)
        if not recheck and behaviour in PENDING_MESSAGES:
            return BillerPayment(
                reference, BillerStatus.PENDING, message=PENDING_MESSAGES[behaviour]
            )
        receipt = f"SBX-{_digest(reference) % 10**16:016d}"
        if inquiry.kind != BillKind.PLN_TOKEN:
            return BillerPayment(reference, BillerStatus.PAID, biller_reference=receipt)
        digits = f"{_digest('token', reference) % 10**20:020d}"
        return BillerPayment(
            reference,
            BillerStatus.PAID,
            biller_reference=receipt,
            token="-".join(digits[i : i + 4] for i in range(0, 20, 4)),
            kwh=(inquiry.amount / TARIFF_PER_KWH).quantize(Decimal("0.01"), ROUND_DOWN),
        )
