"""Waking the `newNotifications` subscriptions of those just told, once their notifications
are committed.

`notify` runs inside the transaction of the change it tells of, which may still roll back,
so it only writes down whom it told (`told`). The edge of the work (an HTTP request, a
WebSocket operation, a sweep's run) runs inside `telling`: when the work is over, every
transaction in it has committed or rolled back, and each recipient whose notification is
in the database gets one event on their own channel. A subscription woken reads what is new
from the database, so an event lost (a Redis outage) delays notifications to the next one
and never loses them."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from contextvars import ContextVar

from models.platform import Notification
from resolvers.platform.events import Broker

logger = logging.getLogger("satupintu.notifications")
# event -> the user ids told of it, within the innermost `telling`.
_told: ContextVar[dict[str, set[int]] | None] = ContextVar("told", default=None)


def channel_of(user_id: int) -> str:
    return f"notifications:user:{user_id}"


def told(event: str, user_ids: Iterable[int]) -> None:
    """Inside the transaction: these users were told of `event` (if it commits)."""
    found = _told.get()
    if found is not None:
        found.setdefault(event, set()).update(user_ids)


@asynccontextmanager
async def telling(events: Broker) -> AsyncIterator[None]:
    """Around work that may notify (outside any transaction): afterwards, wake whoever has a
    notification of it in the database. Nested, the outermost wakes."""
    if _told.get() is not None:
        yield
        return
    found: dict[str, set[int]] = {}
    token = _told.set(found)
    try:
        yield
    finally:
        _told.reset(token)
        if found:
            await _wake(events, found)


async def _wake(events: Broker, found: dict[str, set[int]]) -> None:
    try:
        committed = await (
            Notification.filter(
                event__in=list(found), user_id__in={u for us in found.values() for u in us}
            )
            .distinct()
            .values_list("user_id", "event")
        )
        for user_id in sorted({u for u, event in committed if u in found[event]}):
            await events.publish(channel_of(user_id), {"notifications": True})
    except Exception:  # the subscriber hears of it with its next event
        logger.exception("could not wake the subscribers of %d events", len(found))
