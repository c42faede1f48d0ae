"""What the platform asks of a payment provider: a virtual account or a QR code for an
amount, the notifications that confirm payments, the payment's state asked again, expiry
and refunds."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from models.orders import PaymentMethod


@dataclass(frozen=True)
class PaymentRequest:
    reference: str
    method: PaymentMethod
    amount: int
    merchant_name: str
    expires_at: datetime


@dataclass(frozen=True)
class PaymentDetails:
    instructions: str | None = None
    qris_payload: str | None = None


@dataclass(frozen=True)
class Notification:
    id: str
    reference: str
    amount: int


class InvalidNotification(Exception):
    """A notification that is not signed by the provider, is stale, or cannot be read."""


class PaymentUnavailable(Exception):
    """The provider did not answer usably (down, slow, unreadable): nothing is decided, and
    it may be asked again."""


class PaymentProvider(Protocol):
    async def open(self, request: PaymentRequest) -> PaymentDetails:
        """Ask the provider for a virtual account or a QR code for the request."""

    async def read_notification(
        self, body: bytes, headers: Mapping[str, str]
    ) -> Notification | None:
        """The payment a webhook call confirms; None when the call is the provider's but
        confirms no payment (still pending, denied, expired); InvalidNotification when it is
        not the provider's; PaymentUnavailable when the provider cannot confirm it now."""

    async def status(self, reference: str) -> Notification | None:
        """The payment as the provider knows it now: paid (a Notification) or not (None);
        PaymentUnavailable when the provider does not answer."""

    async def expire(self, reference: str) -> None:
        """Stop an unpaid payment from being paid (its order was cancelled or ran out)."""

    async def refund(self, reference: str, amount: int) -> None:
        """Give a paid amount back to the payer."""
