"""Fields that answer at once when their data is already at hand, and await it otherwise.

graphql-core awaits a field only when its resolver returns an awaitable, and every awaited
field costs a task and a gather; a page of 20 product cards has about a hundred fields that
look something up. Pages load what their cards need first (`prefetch_cards`), so those
fields can answer synchronously.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable, Callable
from typing import TypeVar, cast

T = TypeVar("T")
R = TypeVar("R")


def then(pending: T | Awaitable[T], wrap: Callable[[T], R]) -> R:
    """`wrap` of the value now if it is at hand (a finished future, or no awaitable at all),
    else once it is ready.

    Typed as `R`: a field's annotation names its GraphQL type, and graphql-core awaits
    whatever a resolver returns that is awaitable."""
    if isinstance(pending, asyncio.Future) and pending.done():
        return wrap(pending.result())
    if not inspect.isawaitable(pending):
        return wrap(pending)

    async def later() -> R:
        return wrap(await pending)

    return cast(R, later())
