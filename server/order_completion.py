"""Completes delivered orders whose autoCompleteAt has passed with no complaint open, every
`ORDER_EXPIRY_INTERVAL` seconds, for as long as the server runs.

Every worker runs it; a completion is a conditional update of a DELIVERED order, so workers
never complete one order twice.
"""

from __future__ import annotations

import logging

from resolvers.orders import complete_due_orders
from resolvers.providers import Services
from server.periodic import sweep_periodically

logger = logging.getLogger("satupintu.orders")


async def complete_periodically(services: Services, interval: float) -> None:
    await sweep_periodically(
        lambda: complete_due_orders(services),
        interval,
        logger,
        "completing delivered orders past their autoCompleteAt",
    )
