"""The endpoint where the outside biller reports on payments it held PENDING:
`POST /bills/biller-callback` (Digiflazz's webhook URL). A call the biller did not sign is
refused; a repeated one changes nothing."""

from __future__ import annotations

import logging

from starlette.requests import Request
from starlette.responses import JSONResponse

from resolvers.bills import settle_callback
from resolvers.providers import Services
from resolvers.providers.billers import InvalidCallback
from server.auth import Door
from server.webhook_intake import intake

logger = logging.getLogger("satupintu.bills")


class BillerCallbackEndpoint:
    def __init__(self, services: Services, door: Door) -> None:
        self.services = services
        self.door = door

    async def handle(self, request: Request) -> JSONResponse:
        received = await intake(request, self.door, "biller-callback")
        if isinstance(received, JSONResponse):
            return received
        address, body = received
        try:
            callback = self.services.biller.read_callback(body, request.headers)
        except InvalidCallback as error:
            logger.warning("biller callback refused: %s", error)
            await self.door.failed(address)
            return JSONResponse({"outcome": "INVALID_SIGNATURE"}, 401)
        settled = await settle_callback(callback, self.services)
        return JSONResponse({"outcome": "SETTLED" if settled else "NOT_PENDING"}, 200)
