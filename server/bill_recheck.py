"""Asks the biller again about outside bills left PENDING, every `BILL_RECHECK_INTERVAL`
seconds, for as long as the server runs.

Every worker runs it; settling a bill is a conditional update of a PENDING bill, so workers
never settle one twice.
"""

from __future__ import annotations

import logging

from resolvers.bills import recheck_pending_bills
from resolvers.providers import Services
from server.periodic import sweep_periodically

logger = logging.getLogger("satupintu.bills")


async def recheck_periodically(services: Services, interval: float) -> None:
    await sweep_periodically(
        lambda: recheck_pending_bills(services), interval, logger, "settling pending outside bills"
    )
