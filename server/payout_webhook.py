"""The endpoint where the payout provider reports a disbursement: `POST /payouts/webhook`.

A verified notification settles a PENDING payout exactly once (a repeat, or one that comes
after the sweep settled it, changes nothing); a forged or stale one is 401, one about no
payout of ours 404, one whose amount or transfer id is not the payout's 422 (logged, nothing
moves)."""

from __future__ import annotations

import logging

from starlette.requests import Request
from starlette.responses import JSONResponse

from resolvers.payouts import withdrawals
from resolvers.payouts.withdrawals import Notified
from resolvers.providers import Services
from resolvers.providers.payouts import InvalidPayoutNotification
from server.auth import Door
from server.webhook_intake import intake

logger = logging.getLogger("satupintu.payouts")
STATUS = {
    Notified.SETTLED: 200,
    Notified.UNCHANGED: 200,
    Notified.UNKNOWN: 404,
    Notified.AMOUNT_MISMATCH: 422,
    Notified.REFERENCE_MISMATCH: 422,
}


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
        outcome = await withdrawals.apply_notification(answer)
        return JSONResponse({"outcome": outcome.value}, STATUS[outcome])
