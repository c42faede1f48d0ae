"""The sandbox's test clock at the edge: every HTTP request and WebSocket of an app with
`TEST_CLOCK` on reads the clock's offset afresh from the database (another worker or host
may have moved it) and runs on it."""

from __future__ import annotations

import logging

from starlette.types import ASGIApp, Receive, Scope, Send

from resolvers.platform import SharedOffset, following, is_outage

logger = logging.getLogger("satupintu.sweeps")


class TestClockMiddleware:
    __test__ = False  # not a pytest class

    def __init__(self, app: ASGIApp, offset: SharedOffset) -> None:
        self.app = app
        self.offset = offset

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket"):
            try:
                await self.offset.refresh()
            except Exception as error:
                # The last offset read stands; a database that does not answer is the
                # request's own trouble (503).
                if not is_outage(error):
                    logger.exception("reading the test clock failed")
        with following(self.offset):
            await self.app(scope, receive, send)
