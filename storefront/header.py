"""The header's unread notification count: one small API query (`UnreadCount`) per page a
signed-in visitor opens, made before the page so every template reads it as `unread`."""

from __future__ import annotations

from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from storefront import session
from storefront.api import Api, ApiUnavailable, QueryFailed

# Responses without the header: files and the live feeds' event streams.
NO_HEADER = ("/static/",)
EVENT_STREAM = "text/event-stream"


class UnreadCount:
    def __init__(self, app: ASGIApp, api: Api) -> None:
        self.app = app
        self.api = api

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "GET":
            request = Request(scope)
            token = session.token(request)
            if (
                token is not None
                and not request.url.path.startswith(NO_HEADER)
                and EVENT_STREAM not in request.headers.get("accept", "")
            ):
                scope.setdefault("state", {})["unread"] = await self._count(token)
        await self.app(scope, receive, send)

    async def _count(self, token: str) -> int | None:
        """None when the API cannot say (down, or the session ended): no count shown."""
        try:
            found = await self.api.run("UnreadCount", token=token)
        except (ApiUnavailable, QueryFailed):
            return None
        return int(found["notifications"]["unreadCount"])
