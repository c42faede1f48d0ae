"""How the storefront's requests reach the API, as the API sees them: persisted queries by
hash (the text only when the API asks for it), anonymous queries by GET with the API's caching
headers, the rest by POST; and all of it with TRUSTED_DOCUMENTS=only."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import pytest
from starlette.datastructures import Headers, QueryParams
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from server.app import create_app as create_api
from storefront.app import create_app
from storefront.operations import documents
from tests.conftest import make_settings
from tests.server.persisted import persisted
from tests.storefront.conftest import SECRET, served, visitor_of
from tests.storefront.helpers import add

VISITOR = "203.0.113.7"  # the address the storefront must name to the API
PUBLIC = "public, max-age=30"


@dataclass
class Seen:
    """One GraphQL request over HTTP as the API received it, and the status and headers of
    its answer. `params` are the query string's (JSON ones decoded) or the JSON body."""

    method: str
    params: dict[str, Any]
    headers: Headers
    status: int
    answer: Headers


class Recorder:
    """Middleware in front of the API: keeps what reaches /graphql over HTTP."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.seen: list[Seen] = []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != "/graphql":
            await self.app(scope, receive, send)
            return
        body = bytearray()
        answer: dict[str, Any] = {}

        async def receiving() -> Message:
            message = await receive()
            body.extend(message.get("body", b""))
            return message

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                answer.update(status=message["status"], headers=Headers(raw=message["headers"]))
            await send(message)

        await self.app(scope, receiving, sending)
        if scope["method"] == "GET":
            query = QueryParams(scope["query_string"].decode())
            params = {
                key: json.loads(value) if key in ("variables", "extensions") else value
                for key, value in query.items()
            }
        else:
            params = json.loads(body)
        self.seen.append(
            Seen(scope["method"], params, Headers(scope=scope), answer["status"], answer["headers"])
        )

    def take(self) -> list[Seen]:
        """What was seen since the last take."""
        seen, self.seen = self.seen, []
        return seen


@asynccontextmanager
async def recorded_api(tmp_path_factory, database_url, **env: str) -> AsyncIterator[Any]:
    """A second API on the test database (the session's `live` holds the ORM), recorded."""
    settings = make_settings(database_url, tmp_path_factory.mktemp("api") / "media", **env)
    recorder = Recorder(create_api(settings))
    async with served(recorder) as url:
        app = create_app(url, SECRET)
        try:
            yield app, recorder
        finally:
            await app.state.api.close()


@pytest.fixture(scope="module")
async def api(live, database_url, tmp_path_factory):
    async with recorded_api(tmp_path_factory, database_url) as found:
        yield found


@pytest.fixture(scope="module")
async def trusted_api(live, database_url, tmp_path_factory):
    async with recorded_api(tmp_path_factory, database_url, TRUSTED_DOCUMENTS="only") as found:
        yield found


def by_hash(seen: Seen, operation: str) -> bool:
    """Whether `seen` named `operation` by its hash alone, the document left out."""
    return (
        seen.params.get("operationName") == operation
        and seen.params.get("extensions") == persisted(documents()[operation])
        and "query" not in seen.params
    )


async def test_anonymous_pages_read_by_hash_over_get_and_may_be_cached(api, catalogue):
    app, recorder = api
    product, shop = catalogue["products"][0], catalogue["shops"][0]
    pages = {
        "/": "HomePage",
        f"/cari?q={catalogue['term']}": "SearchPage",
        f"/produk/{product['slug']}": "ProductView",
        f"/toko/{shop['slug']}": "ShopView",
    }
    recorder.take()
    async with visitor_of(app, client=(VISITOR, 123)) as visitor:
        for path, operation in pages.items():
            page = await visitor.get(path)
            assert page.status_code == 200, path
            (seen,) = recorder.take()
            assert seen.method == "GET", path
            assert by_hash(seen, operation), seen.params
            assert seen.headers["x-forwarded-for"] == VISITOR
            assert seen.status == 200
            assert seen.answer["cache-control"] == PUBLIC
            assert seen.answer["etag"]
            assert page.headers["server-timing"].endswith('desc="1"')
    assert catalogue["term"] in page.text


async def test_signed_in_pages_and_mutations_go_by_post(api, gql, catalogue):
    app, recorder = api
    chips = catalogue["products"][0]
    async with visitor_of(app) as visitor:
        await visitor.sign_up_and_in(gql)
        recorder.take()
        assert (await add(visitor, chips, 2)).headers["location"] == "/keranjang"
        cart = await visitor.get("/keranjang")
        assert cart.status_code == 200
        assert "Rp30.000" in cart.text
        # The product page is the same for everyone: read anonymously, by GET; the header's
        # count of the visitor's unread notifications goes with each page, by POST.
        seen = recorder.take()
        counts = [s for s in seen if s.params["operationName"] == "UnreadCount"]
        assert len(counts) == 2  # the product page (the form's) and the cart
        assert all(s.method == "POST" and by_hash(s, "UnreadCount") for s in counts)
        product_page, added, cart_page = [s for s in seen if s not in counts]
        assert product_page.method == "GET"
        assert by_hash(product_page, "ProductView")
        for seen, operation in ((added, "AddToCart"), (cart_page, "CartView")):
            assert seen.method == "POST", operation
            assert seen.headers["authorization"].startswith("Bearer ")
            assert by_hash(seen, operation), seen.params
            assert seen.status == 200
            assert seen.answer["cache-control"] == "no-store"


async def test_an_api_without_the_document_asks_for_it_and_then_knows_it(api):
    app, recorder = api
    # A storefront newer than the API: an operation whose text the API has never seen.
    changed = documents()["HomePage"] + f"\n# {uuid.uuid4().hex}\n"
    app.state.api.documents = {**documents(), "HomePage": changed}
    recorder.take()
    try:
        async with visitor_of(app) as visitor:
            first = await visitor.get("/")
            missed, sent = recorder.take()
            again = await visitor.get("/")
            (known,) = recorder.take()
    finally:
        app.state.api.documents = documents()
    assert first.status_code == 200
    assert "Kategori" in first.text
    asked = {"operationName": "HomePage", "extensions": persisted(changed)}
    assert (missed.method, missed.status, missed.params) == ("GET", 404, asked)
    assert (sent.method, sent.status, sent.params) == ("POST", 200, {**asked, "query": changed})
    assert first.headers["server-timing"].endswith('desc="2"')

    assert again.status_code == 200
    assert (known.method, known.status, known.params) == ("GET", 200, asked)


async def test_a_read_too_long_for_a_url_goes_by_post(api):
    app, recorder = api
    words = "ü" * 200  # the longest q the search page keeps: 1,200 characters in a URL
    kecamatan = "&".join(f"kecamatan=36.71.{n:02d}-{'x' * 60}" for n in range(20))
    path = f"/cari?q={quote(words)}&{kecamatan}"
    recorder.take()
    async with visitor_of(app) as visitor:
        page = await visitor.get(path)
    assert page.status_code == 200
    (seen,) = recorder.take()
    assert seen.method == "POST"
    assert by_hash(seen, "SearchPage")
    assert seen.params["variables"]["query"] == words


async def test_with_trusted_documents_only_the_storefront_works(trusted_api, gql, catalogue):
    app, recorder = trusted_api
    chips = catalogue["products"][0]
    recorder.take()
    async with visitor_of(app) as visitor:
        assert (await visitor.get("/")).status_code == 200
        found = await visitor.get(f"/cari?q={catalogue['term']}")
        assert chips["name"] in found.text
        await visitor.sign_up_and_in(gql)
        assert (await add(visitor, chips)).headers["location"] == "/keranjang"
        assert "Rp15.000" in (await visitor.get("/keranjang")).text
        signed_out = await visitor.submit("/", "/keluar", {})
        assert signed_out.status_code == 303
    seen = recorder.take()
    methods = {s.params["operationName"]: s.method for s in seen}
    assert methods == {
        "HomePage": "GET",
        "SearchPage": "GET",
        "Login": "POST",
        "ProductView": "GET",
        "AddToCart": "POST",
        "CartView": "POST",
        "UnreadCount": "POST",
        "Logout": "POST",
    }
    assert all(s.status == 200 and "query" not in s.params for s in seen), seen
