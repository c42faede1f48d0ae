"""Every HTTP request is an edge of work that may notify: once it is answered, the live
feeds of whoever it told are woken (`resolvers.platform.telling`)."""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

from resolvers.platform import Broker, telling


class TellingMiddleware:
    def __init__(self, app: ASGIApp, events: Broker) -> None:
        self.app = app
        self.events = events

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":  # a WebSocket's operations are edges of their own
            await self.app(scope, receive, send)
            return
        async with telling(self.events):
            await self.app(scope, receive, send)
