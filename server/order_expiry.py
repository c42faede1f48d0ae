"""Cancels orders whose payment time ran out, every few seconds, for as long as the server runs.

Every worker runs it; a cancellation is a conditional update, so workers never cancel one
order twice.
"""

from __future__ import annotations

import asyncio
import logging

from resolvers.errors import is_outage
from resolvers.orders import expire_orders
from resolvers.services import Services

logger = logging.getLogger("satupintu.orders")


async def expire_periodically(services: Services, interval: float) -> None:
    while True:
        try:
            expired = await expire_orders(services)
            if expired:
                logger.info("cancelled %d unpaid orders past their payment time", expired)
        except Exception as error:
            if not is_outage(error):
                logger.exception("expiring unpaid orders failed; trying again later")
            else:
                logger.warning("expiring unpaid orders: %r; trying again later", error)
        await asyncio.sleep(interval)
