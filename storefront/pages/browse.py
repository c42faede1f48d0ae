"""Beranda and cari: the catalogue from the top, and search with facets as links."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from storefront.web import api, render

SORTS = {
    "relevan": ("RELEVANCE", "Paling sesuai"),
    "terbaru": ("NEWEST", "Terbaru"),
    "termurah": ("PRICE_ASC", "Termurah"),
    "termahal": ("PRICE_DESC", "Termahal"),
    "terlaris": ("BEST_SELLING", "Terlaris"),
}
# A facet's API field, its query parameter here, and its heading.
FACETS = {"category": ("kategori", "Kategori"), "kecamatan": ("kecamatan", "Kecamatan")}
HALAL = {"true": True, "false": False}
PAGE_SIZE = 24


async def home(request: Request) -> Response:
    data = await api(request).run("HomePage")
    return render(
        request,
        "home.html",
        {
            "categories": data["categories"],
            "products": [edge["node"] for edge in data["products"]["edges"]],
            "shops": [edge["node"] for edge in data["shops"]["edges"]],
        },
    )


async def search(request: Request) -> Response:
    params = SearchParams(request)
    data = await api(request).run("SearchPage", params.variables())
    found = data["products"]
    facets = {facet["field"]: facet["values"] for facet in found["facets"]}
    return render(
        request,
        "search.html",
        {
            "params": params,
            "found": found,
            "products": [edge["node"] for edge in found["edges"]],
            "facets": [
                (heading, param, facets.get(field, []))
                for field, (param, heading) in FACETS.items()
            ],
            "halal": facets.get("halal", []),
            "sorts": SORTS,
        },
    )


async def suggest(request: Request) -> Response:
    """Completions for the search box's script, as JSON."""
    prefix = request.query_params.get("q", "").strip()[:100]
    if len(prefix) < 2:
        return JSONResponse([])
    data = await api(request).run("SuggestSearch", {"prefix": prefix})
    return JSONResponse(data["searchSuggestions"], headers={"Cache-Control": "max-age=60"})


class SearchParams:
    """The query parameters of /cari: q, kategori, kecamatan, halal, urut, setelah."""

    def __init__(self, request: Request) -> None:
        query = request.query_params
        self.q = query.get("q", "").strip()[:200]
        self.kategori = sorted(set(query.getlist("kategori")))[:20]
        self.kecamatan = sorted(set(query.getlist("kecamatan")))[:20]
        self.halal = query.get("halal") if query.get("halal") in HALAL else None
        urut = query.get("urut") or ""
        self.urut = urut if urut in SORTS else "relevan"
        self.setelah = query.get("setelah") or None

    def variables(self) -> dict[str, Any]:
        filter_: dict[str, Any] = {}
        if self.kategori:
            filter_["categories"] = self.kategori
        if self.kecamatan:
            filter_["kecamatan"] = self.kecamatan
        if self.halal:
            filter_["halal"] = HALAL[self.halal]
        return {
            "query": self.q or None,
            "filter": filter_ or None,
            "sort": SORTS[self.urut][0],
            "first": PAGE_SIZE,
            "after": self.setelah,
        }

    def pairs(self) -> list[tuple[str, str]]:
        pairs = [("q", self.q)] if self.q else []
        pairs += [("kategori", v) for v in self.kategori]
        pairs += [("kecamatan", v) for v in self.kecamatan]
        if self.halal:
            pairs.append(("halal", self.halal))
        if self.urut != "relevan":
            pairs.append(("urut", self.urut))
        return pairs

    def url(self, *, toggle: tuple[str, str] | None = None, **changes: str | None) -> str:
        """This search from its first page, with a filter value toggled or parameters changed."""
        pairs = self.pairs()
        if toggle is not None:
            pairs = [p for p in pairs if p != toggle] if toggle in pairs else [*pairs, toggle]
        for name, value in changes.items():
            pairs = [p for p in pairs if p[0] != name]
            if value is not None:
                pairs.append((name, value))
        return "/cari" + ("?" + urlencode(pairs) if pairs else "")

    def chosen(self, param: str, value: str) -> bool:
        current = getattr(self, param)
        return value in current if isinstance(current, list) else value == current

    def next_page(self, cursor: str) -> str:
        return "/cari?" + urlencode([*self.pairs(), ("setelah", cursor)])


routes = [
    Route("/", home, name="home"),
    Route("/cari", search, name="search"),
    Route("/saran", suggest, name="suggest"),
]
