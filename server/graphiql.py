"""GraphiQL for browsers, served by the API with everything it loads (vendored from npm:
`graphiql_assets/vendor/README.md`), under a Content-Security-Policy that allows nothing else,
so that it works on a closed network."""

from __future__ import annotations

from pathlib import Path

from starlette.responses import HTMLResponse
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

ASSETS = Path(__file__).parent / "graphiql_assets"
ASSETS_PATH = "/graphiql"  # index.html refers to its files relative to /graphql
CSP = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "font-src 'self' data:",  # the fonts are data: URLs inside graphiql.min.css
        "img-src 'self' data:",
        "connect-src 'self'",  # queries over HTTP, subscriptions over WebSocket
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
    ]
)


class GraphiQL:
    def __init__(self) -> None:
        self.html = (ASSETS / "index.html").read_text()

    def page(self) -> HTMLResponse:
        return HTMLResponse(self.html, headers={"Content-Security-Policy": CSP})

    @staticmethod
    def assets() -> Mount:
        return Mount(ASSETS_PATH, StaticFiles(directory=ASSETS), name="graphiql")
