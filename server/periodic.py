"""Background sweeps that every worker runs for as long as the server runs."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from resolvers.platform import is_outage


async def sweep_periodically(
    sweep: Callable[[], Awaitable[int]],
    interval: float,
    logger: logging.Logger,
    what: str,
) -> None:
    """Run `sweep` every `interval` seconds; it returns how many `what` it handled. A failure
    is logged (an outage briefly) and the sweep runs again next time."""
    while True:
        try:
            done = await sweep()
            if done:
                logger.info("%s: %d", what, done)
        except Exception as error:
            if not is_outage(error):
                logger.exception("%s failed; trying again later", what)
            else:
                logger.warning("%s: %r; trying again later", what, error)
        await asyncio.sleep(interval)
