"""The endpoint where the payout provider reports a disbursement: `POST /payouts/webhook`.

A verified notification settles a PENDING payout exactly once (a repeat, or one that comes
after the sweep settled it, changes nothing); a forged or stale one is 401."""

from __future__ import annotations

import logging

from starlette.requests import Request
from starlette.responses import JSONResponse

from resolvers.payouts import withdrawals
from resolvers.providers import Services
from resolvers.providers.payouts import InvalidPayoutNotification
from server.auth import Door
from server.webhook_intake import intake

logger = logging.getLogger("satupintu.payouts")


class PayoutWebhook:
    def __init__(self, services: Services, door: Door) -> None:
        self.services = services
        self.door = door

    async def handle(self, request: Request) -> JSONResponse:
        received = await intake(request, self.door, "payout-webhook")
        if isinstance(received, JSONResponse):
            return received
        address, body = received
        try:
            answer = self.services.payouts.read_notification(body, request.headers)
        except InvalidPayoutNotification as error:
            logger.warning("payout notification refused: %s", error)
            await self.door.failed(address)
            return JSONResponse({"outcome": "INVALID_SIGNATURE"}, 401)
        settled = await withdrawals.apply_notification(answer)
        return JSONResponse({"outcome": "SETTLED" if settled else "UNCHANGED"}, 200)
