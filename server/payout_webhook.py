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
from server.auth import Door, Refused, client_address
from server.request_body import BodyTooLarge, read_body

MAX_BODY = 64 * 1024
logger = logging.getLogger("satupintu.payouts")


class PayoutWebhook:
    def __init__(self, services: Services, door: Door) -> None:
        self.services = services
        self.door = door

    async def handle(self, request: Request) -> JSONResponse:
        address = client_address(request)
        try:
            await self.door.count(f"payout-webhook:{address}", address, self.door.limits.per_minute)
        except Refused as refused:
            headers = {"Retry-After": str(refused.retry_after)}
            return JSONResponse({"outcome": "RATE_LIMITED"}, 429, headers=headers)
        try:
            body = await read_body(request, MAX_BODY)
        except BodyTooLarge:
            return JSONResponse({"outcome": "TOO_LARGE"}, 413)
        try:
            answer = self.services.payouts.read_notification(body, request.headers)
        except InvalidPayoutNotification as error:
            logger.warning("payout notification refused: %s", error)
            await self.door.failed(address)
            return JSONResponse({"outcome": "INVALID_SIGNATURE"}, 401)
        settled = await withdrawals.apply_notification(answer)
        return JSONResponse({"outcome": "SETTLED" if settled else "UNCHANGED"}, 200)
