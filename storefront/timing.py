"""A `Server-Timing` header on every page: the storefront's whole time and its wait on the API."""

from __future__ import annotations

import time
from contextvars import ContextVar

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# Seconds spent waiting on the API for the request being served, one entry per call.
API_CALLS: ContextVar[list[float] | None] = ContextVar("api_calls", default=None)


def record_api_call(seconds: float) -> None:
    """Count one API call's round trip against the current request (if any is timed)."""
    calls = API_CALLS.get()
    if calls is not None:
        calls.append(seconds)


def server_timing(total: float, calls: list[float]) -> str:
    """The header value: `app` the whole time, `api` the sum of the calls, in milliseconds."""
    return f'app;dur={total * 1000:.1f}, api;dur={sum(calls) * 1000:.1f};desc="{len(calls)}"'


class ServerTiming:
    """Middleware: times each request until its response starts (by then a page is rendered)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        calls: list[float] = []
        token = API_CALLS.set(calls)

        async def send_timed(message: Message) -> None:
            if message["type"] == "http.response.start":
                total = time.perf_counter() - started
                MutableHeaders(scope=message).append("Server-Timing", server_timing(total, calls))
            await send(message)

        try:
            await self.app(scope, receive, send_timed)
        finally:
            API_CALLS.reset(token)
