"""Cancels orders whose payment time ran out, every few seconds, for as long as the server runs.

Every worker runs it; a cancellation is a conditional update, so workers never cancel one
order twice.
"""

from __future__ import annotations

import logging

from resolvers.orders import expire_orders
from resolvers.providers import Services
from server.periodic import sweep_periodically

logger = logging.getLogger("satupintu.orders")


async def expire_periodically(services: Services, interval: float) -> None:
    await sweep_periodically(
        lambda: expire_orders(services),
        interval,
        logger,
        "cancelling unpaid orders past their payment time",
    )
