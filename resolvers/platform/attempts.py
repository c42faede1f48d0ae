"""Attempts at a secret (a password, a reset code): each failure makes the next try wait
longer, per account, so that guessing one account's password takes years."""

from __future__ import annotations

from typing import Protocol

FREE_FAILURES = 5  # typing a password wrong a few times costs nothing
MAX_DELAY = 15 * 60


def delay_after(failures: int) -> int:
    """Seconds to wait after `failures` failures in a row: none for the first few, then
    1, 2, 4, ... up to 15 minutes."""
    if failures < FREE_FAILURES:
        return 0
    return min(MAX_DELAY, 2 ** (failures - FREE_FAILURES))


class Attempts(Protocol):
    """What the composition root counts attempts with, for one client address."""

    async def wait(self, account: str) -> int:
        """Seconds before `account` may be tried again; 0 when it may be now."""

    async def failed(self, account: str) -> None:
        """A wrong secret for `account`: counted for the account and the address."""

    async def succeeded(self, account: str) -> None:
        """The right secret: the account's failures are forgotten."""
