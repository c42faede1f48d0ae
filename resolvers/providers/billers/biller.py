"""The one small interface outside bills are paid through, the way PPOB aggregators work.

Inquiry first: the customer number gives the customer's name, the period, the amount and
the admin fee, payable the same Jakarta day only (PLN_TOKEN: the meter and its owner, and
the denomination asked for). Then payment, once per our `reference`: PAID, PENDING or
FAILED; a PENDING one is re-checked with the same reference until it settles. A timeout is
PENDING, never FAILED, since the money may have moved.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Protocol

from models.bills import BillKind
from resolvers.platform import JAKARTA, ErrorCode, UserError

EXPIRED_MESSAGE = "Tagihan sudah kedaluwarsa; cek tagihan lagi."
TOKEN_DENOMINATIONS = (20_000, 50_000, 100_000, 200_000, 500_000, 1_000_000)


class BillerStatus(StrEnum):
    PAID = "PAID"
    PENDING = "PENDING"
    FAILED = "FAILED"


@dataclass(frozen=True)
class Inquiry:
    kind: BillKind  # one of OUTSIDE_BILL_KINDS
    customer_number: str
    customer_name: str
    period: str | None  # the billed month, YYYY-MM; None for PLN_TOKEN
    amount: int  # the bill, or the token's denomination
    admin_fee: int
    expires_at: datetime  # payable before this moment
    inquiry_id: str  # the biller's own id for it

    @property
    def total(self) -> int:
        return self.amount + self.admin_fee

    def expired(self, moment: datetime) -> bool:
        return moment >= self.expires_at


@dataclass(frozen=True)
class BillerPayment:
    reference: str  # ours, the same on every re-check
    status: BillerStatus
    biller_reference: str | None = None  # the biller's transaction id, for the receipt
    token: str | None = None  # PLN_TOKEN: twenty digits in groups of four
    kwh: Decimal | None = None  # PLN_TOKEN: the energy the token buys
    message: str | None = None  # why it is not PAID, in Bahasa Indonesia


@dataclass(frozen=True)
class BillerCallback:
    """What a biller's own call says about a payment it took: made from the inquiry
    `inquiry_id` names (the biller knows no other reference of ours)."""

    inquiry_id: str
    payment: BillerPayment


class BillerUnavailable(Exception):
    """The biller did not answer an inquiry: nothing happened, and it may be asked again."""


class InvalidCallback(Exception):
    """A call that is not signed by the biller, or that cannot be read."""


class Biller(Protocol):
    async def inquire(
        self, kind: BillKind, customer_number: str, denomination: int | None = None
    ) -> Inquiry:
        """The bill (or the token purchase) for the customer number.

        UserError NOT_FOUND for an unknown number, INVALID_STATE for a bill already paid,
        INVALID for a malformed number or a denomination not on offer; BillerUnavailable
        when the biller does not answer.
        """

    async def pay(self, reference: str, inquiry: Inquiry) -> BillerPayment:
        """Pay what the inquiry found; the same reference again never pays twice."""

    async def status(self, reference: str, inquiry: Inquiry) -> BillerPayment:
        """The payment made with `reference`, asked again with the same request."""

    def read_callback(self, body: bytes, headers: Mapping[str, str]) -> BillerCallback:
        """The payment a biller's signed call reports on, or InvalidCallback."""


def customer_number(text: str) -> str:
    """The customer number without spaces or dashes: 6-20 digits, or a UserError."""
    digits = "".join(text.split()).replace("-", "")
    if not (digits.isascii() and digits.isdigit() and 6 <= len(digits) <= 20):
        raise UserError(ErrorCode.INVALID, "Nomor pelanggan harus 6-20 angka.", "customerNumber")
    return digits


def end_of_day(moment: datetime) -> datetime:
    """Midnight after `moment` in Jakarta: until then an inquiry of that day is payable."""
    local = moment.astimezone(JAKARTA)
    return datetime.combine(local.date() + timedelta(days=1), time(), JAKARTA)


def token_denomination(denomination: int | None) -> int:
    """The PLN token's price asked for (the smallest unless asked), or a UserError."""
    if denomination is None:
        return TOKEN_DENOMINATIONS[0]
    if denomination not in TOKEN_DENOMINATIONS:
        offered = ", ".join(f"{amount:,}".replace(",", ".") for amount in TOKEN_DENOMINATIONS)
        raise UserError(ErrorCode.INVALID, f"Nominal token: {offered}.", "denomination")
    return denomination
