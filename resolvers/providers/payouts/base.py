"""The one small interface seller payouts go through, the way disbursement providers work.

Account inquiry first: a bank code and an account number give the holder's name, shown
before the account is added. Then a disbursement, once per our `reference` (the provider's
idempotency key: the same reference again never pays twice): COMPLETED, PENDING or FAILED.
A PENDING one is asked about again with the same request, or settled by the provider's
signed notification. A timeout of a disbursement is PENDING, never FAILED, since the money
may have moved.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from resolvers.platform import ErrorCode, UserError


class DisbursementStatus(StrEnum):
    PENDING = "PENDING"
    COMPLETED = "COMPLETED"
    FAILED = "FAILED"


@dataclass(frozen=True)
class Bank:
    code: str  # what `checkBankAccount` takes, e.g. "bca"
    name: str  # what the seller reads, e.g. "Bank Central Asia (BCA)"


@dataclass(frozen=True)
class AccountHolder:
    bank_code: str
    account_number: str
    holder_name: str


@dataclass(frozen=True)
class DisbursementRequest:
    reference: str  # ours, unique per payout: the provider's idempotency key
    bank_code: str
    account_number: str
    holder_name: str
    amount: int  # whole rupiah
    description: str


@dataclass(frozen=True)
class Disbursement:
    reference: str
    status: DisbursementStatus
    provider_reference: str | None = None  # the provider's own id for the transfer
    failure_reason: str | None = None  # why it FAILED, in Bahasa Indonesia
    amount: int | None = None  # what a notification says was sent; None when it does not say


class PayoutsUnavailable(Exception):
    """The provider did not answer usably (down, slow, refused our key, unreadable)."""


class InvalidPayoutNotification(Exception):
    """A notification that is not signed by the provider, is stale, or cannot be read."""


class PayoutProvider(Protocol):
    name: str  # as the `PAYOUTS` setting names it, kept on each payout

    async def banks(self) -> list[Bank]:
        """Every bank a payout may go to, by name; PayoutsUnavailable when it does not answer."""

    async def inquire(self, bank_code: str, account_number: str) -> AccountHolder:
        """The holder of a well-formed account (see `account_number`) at a known bank.

        UserError NOT_FOUND when the provider knows no such account; PayoutsUnavailable
        when it does not answer.
        """

    async def disburse(self, request: DisbursementRequest) -> Disbursement:
        """Send the transfer; the same reference again returns the first one's outcome."""

    async def status(self, request: DisbursementRequest) -> Disbursement:
        """The transfer made with `request.reference`, asked again; PayoutsUnavailable when
        the provider does not answer."""

    def read_notification(self, body: bytes, headers: Mapping[str, str]) -> Disbursement:
        """The transfer a webhook call reports, or InvalidPayoutNotification."""


def account_number(text: str) -> str:
    """The account number without spaces or dashes: 6-20 digits, or a UserError."""
    digits = "".join(text.split()).replace("-", "")
    if not (digits.isascii() and digits.isdigit() and 6 <= len(digits) <= 20):
        raise UserError(ErrorCode.INVALID, "Nomor rekening harus 6-20 angka.", "accountNumber")
    return digits
