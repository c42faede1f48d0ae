"""The endpoint where the payment provider confirms payments, of orders and of bill receipts
alike: `POST /payments/webhook` (Midtrans's "Payment Notification URL" too).

A notification that confirms no payment (still pending, denied, expired) is acknowledged and
changes nothing; one the provider cannot be asked about now is answered 503, so that the
provider sends it again, and the payment stays PENDING for the sweep to ask about."""

from __future__ import annotations

import logging

from starlette.requests import Request
from starlette.responses import JSONResponse

from resolvers.bills import confirm_bill_payment
from resolvers.orders import Outcome, confirm_payment
from resolvers.providers import InvalidNotification, PaymentUnavailable, Services
from server.auth import Door
from server.webhook_intake import intake

STATUS = {
    Outcome.CONFIRMED: 200,
    Outcome.DUPLICATE: 200,
    Outcome.UNKNOWN: 404,
    Outcome.AMOUNT_MISMATCH: 422,
    Outcome.NOT_PENDING: 409,
}
logger = logging.getLogger("satupintu.payments")


class PaymentWebhook:
    def __init__(self, services: Services, door: Door) -> None:
        self.services = services
        self.door = door

    async def handle(self, request: Request) -> JSONResponse:
        received = await intake(request, self.door, "webhook")
        if isinstance(received, JSONResponse):
            return received
        address, body = received
        try:
            notification = await self.services.payments.read_notification(body, request.headers)
        except InvalidNotification as error:
            logger.warning("payment notification refused: %s", error)
            await self.door.failed(address)
            return JSONResponse({"outcome": "INVALID_SIGNATURE"}, 401)
        except PaymentUnavailable as error:
            logger.warning("payment notification not confirmed now: %s", error)
            return JSONResponse({"outcome": "PROVIDER_UNAVAILABLE"}, 503)
        if notification is None:
            return JSONResponse({"outcome": "NOT_PAID"}, 200)
        # An order's payment, or else a bill receipt's (its own references, outside `payment`).
        outcome = await confirm_payment(notification, self.services.events)
        if outcome == Outcome.UNKNOWN:
            outcome = await confirm_bill_payment(notification, self.services)
        if STATUS[outcome] >= 400:
            logger.warning("payment notification %s: %s", notification.id, outcome)
        return JSONResponse({"outcome": outcome.value}, STATUS[outcome])
