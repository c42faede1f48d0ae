"""The storefront: server-rendered pages in Bahasa Indonesia that use nothing but the API."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.templating import Jinja2Templates

from storefront.api import Api, ApiUnavailable

templates = Jinja2Templates(directory=Path(__file__).parent / "templates")

BERANDA = """
query Beranda {
  categories { slug name productCount }
  shops(first: 8) { edges { node { slug name isVerified kelurahan { name } } } }
}"""


async def beranda(request: Request) -> Response:
    api: Api = request.app.state.api
    try:
        data = await api.query(BERANDA)
    except ApiUnavailable:
        return templates.TemplateResponse(request, "unavailable.html", status_code=503)
    shops = [edge["node"] for edge in data["shops"]["edges"]]
    return templates.TemplateResponse(
        request, "beranda.html", {"categories": data["categories"], "shops": shops}
    )


def create_app(api_url: str) -> Starlette:
    api = Api(api_url)

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        yield
        await api.close()

    app = Starlette(routes=[Route("/", beranda)], lifespan=lifespan)
    app.state.api = api
    return app
