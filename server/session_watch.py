"""Open WebSockets by the token and API key they were opened with, so that a revocation
on any worker (published on the broker's `sessions` channel) closes them at once."""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from collections.abc import Callable

from resolvers.platform import SESSIONS_CHANNEL, Broker, digest
from server.auth import Identity

logger = logging.getLogger("satupintu.sessions")
RETRY_SECONDS = 1.0


class SessionWatch:
    def __init__(self, events: Broker) -> None:
        self.events = events
        self._tokens: dict[str, set[Callable[[], None]]] = defaultdict(set)
        self._keys: dict[int, set[Callable[[], None]]] = defaultdict(set)
        self.listening = asyncio.Event()

    def watch(self, identity: Identity, revoked: Callable[[], None]) -> Callable[[], None]:
        """Call `revoked` when the identity's token or key is revoked; returns the unwatch."""
        token = digest(identity.token) if identity.token else None
        key = identity.api_key_id
        if token:
            self._tokens[token].add(revoked)
        if key is not None:
            self._keys[key].add(revoked)

        def unwatch() -> None:
            if token:
                _discard(self._tokens, token, revoked)
            if key is not None:
                _discard(self._keys, key, revoked)

        return unwatch

    async def run(self) -> None:
        """Listen until cancelled; a broker that fails is subscribed to again."""
        while True:
            try:
                async with self.events.subscribe(SESSIONS_CHANNEL) as events:
                    self.listening.set()
                    async for event in events:
                        self._revoked(event)
            except asyncio.CancelledError:
                raise
            except Exception:
                self.listening.clear()
                logger.exception("session revocations not received; retrying")
                await asyncio.sleep(RETRY_SECONDS)

    def _revoked(self, event: dict) -> None:
        for token in event.get("tokens", ()):
            for revoked in list(self._tokens.get(token, ())):
                revoked()
        for key in event.get("apiKeys", ()):
            for revoked in list(self._keys.get(key, ())):
                revoked()


def _discard(watchers: dict, name: object, revoked: Callable[[], None]) -> None:
    found = watchers.get(name)
    if found is not None:
        found.discard(revoked)
        if not found:
            del watchers[name]
