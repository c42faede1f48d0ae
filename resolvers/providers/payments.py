"""What the platform asks of a payment provider: a virtual account or a QR code for an
amount, the notifications that confirm payments, and refunds."""

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


class PaymentProvider(Protocol):
    async def open(self, request: PaymentRequest) -> PaymentDetails:
        """Ask the provider for a virtual account or a QR code for the request."""

    def read_notification(self, body: bytes, headers: Mapping[str, str]) -> Notification:
        """The payment a webhook call confirms, or InvalidNotification."""

    async def refund(self, reference: str, amount: int) -> None:
        """Give a paid amount back to the payer."""
