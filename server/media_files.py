"""Serves the local media backend; keys are content-addressed, so responses never change.

A cash movement's nota (receipt photo) is the cooperative's books: its files are served only
behind a signed, short-lived link (`resolvers.cooperatives.downloads.signed_path`), never
cached by a shared cache; without a valid one, 404."""

from collections.abc import Awaitable, Callable
from urllib.parse import parse_qsl

from starlette.responses import PlainTextResponse, Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

from resolvers.cooperatives import downloads
from resolvers.platform import now

IMMUTABLE = "public, max-age=31536000, immutable"
PRIVATE = "private, no-store"


class ImmutableFiles(StaticFiles):
    def __init__(
        self, *, directory: str, secret: str, private: Callable[[str], Awaitable[bool]]
    ) -> None:
        super().__init__(directory=directory)
        self.secret = secret
        self.private = private

    async def get_response(self, path: str, scope: Scope) -> Response:
        parts = path.split("/")
        hidden = len(parts) == 4 and parts[0] == "img" and await self.private(parts[2])
        if hidden:
            params = dict(parse_qsl(scope.get("query_string", b"").decode()))
            full = f"{scope.get('root_path', '')}/{path}"
            if not downloads.path_verified(self.secret, full, params, now()):
                return PlainTextResponse("Tidak ditemukan.", 404)
        response = await super().get_response(path, scope)
        if response.status_code in (200, 304):
            response.headers["Cache-Control"] = PRIVATE if hidden else IMMUTABLE
            response.headers["X-Content-Type-Options"] = "nosniff"
        return response
