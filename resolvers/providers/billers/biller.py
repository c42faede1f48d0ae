"""The one small interface outside bills are paid through, the way PPOB aggregators work.

Inquiry first: the customer number gives the customer's name, the period, the amount and
the admin fee, payable the same Jakarta day only (PLN_TOKEN: the meter and its owner, and
the denomination asked for). Then payment, once per our `reference`: PAID, PENDING or
FAILED; a PENDING one is re-checked with the same reference until it settles. A timeout is
PENDING, never FAILED, since the money may have moved.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Protocol

from models.bills import BillKind
from resolvers.platform import ErrorCode, UserError


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


class BillerUnavailable(Exception):
    """The biller did not answer an inquiry: nothing happened, and it may be asked again."""


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


def customer_number(text: str) -> str:
    """The customer number without spaces or dashes: 6-20 digits, or a UserError."""
    digits = "".join(text.split()).replace("-", "")
    if not (digits.isascii() and digits.isdigit() and 6 <= len(digits) <= 20):
        raise UserError(ErrorCode.INVALID, "Nomor pelanggan harus 6-20 angka.", "customerNumber")
    return digits
