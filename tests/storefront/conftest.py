"""The storefront against the live API: an HTTP visitor with cookies, and a shop catalogue."""

from __future__ import annotations

import asyncio
import random
import re
import string
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from playwright.async_api import Browser, Page, async_playwright

from storefront.app import create_app
from tests.catalog.helpers import add_product
from tests.conftest import GraphQL, free_port, sign_up
from tests.shops.helpers import open_shop

SECRET = "storefront-test-secret"
CHROMIUM = Path("/usr/bin/chromium")  # Debian's (apt-get install chromium); see test_browser
PHONE = {"width": 390, "height": 844}
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture(scope="session")
async def storefront(live):
    app = create_app(live.url, SECRET)
    yield app
    await app.state.api.close()


class Visitor:
    """A browser-like client of the storefront: keeps its cookie and posts forms with CSRF."""

    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http = http

    async def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return await self.http.get(path, **kwargs)

    async def submit(self, page: str, action: str, fields: dict[str, Any]) -> httpx.Response:
        """Open `page`, then post `fields` to `action` with the page's CSRF token."""
        html = (await self.http.get(page)).text
        token = CSRF.search(html)
        assert token, f"no CSRF field on {page}"
        return await self.http.post(action, data={"csrf_token": token.group(1), **fields})

    async def sign_up_and_in(self, gql: GraphQL, name: str = "Pembeli Uji") -> dict[str, Any]:
        account = await sign_up(gql, name)
        await self.sign_in(account)
        return account

    async def sign_in(self, account: dict[str, Any]) -> None:
        """Sign in as an account made with tests.conftest.sign_up."""
        email = account["user"]["email"]
        response = await self.submit(
            "/masuk", "/masuk", {"email": email, "password": "rahasia123", "next": "/"}
        )
        assert response.status_code == 303, response.text


@asynccontextmanager
async def visitor_of(
    app, base_url: str = "http://toko.test", client: tuple[str, int] = ("127.0.0.1", 123)
) -> AsyncIterator[Visitor]:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False, client=client)
    async with httpx.AsyncClient(transport=transport, base_url=base_url) as http:
        yield Visitor(http)


@pytest.fixture
async def visitor(storefront) -> AsyncIterator[Visitor]:
    async with visitor_of(storefront) as found:
        yield found


def word() -> str:
    """A made-up word no other test's product has, so a search finds only ours."""
    return "".join(random.choices(string.ascii_lowercase, k=9))


@pytest.fixture
async def catalogue(gql) -> dict[str, Any]:
    """Two shops in two kecamatan, each selling one product named with the same new word."""
    term = word()
    owners = [await sign_up(gql, "Penjual Satu"), await sign_up(gql, "Penjual Dua")]
    first = await open_shop(gql, owners[0]["token"], name=f"Toko Keripik {term.title()}")
    second = await open_shop(
        gql, owners[1]["token"], name=f"Batik {term.title()}", kelurahanCode="36.71.02.1001"
    )
    chips = await add_product(
        gql, owners[0]["token"], first["id"], name=f"Keripik {term} Pedas", price=15000
    )
    cloth = await add_product(
        gql,
        owners[1]["token"],
        second["id"],
        name=f"Batik {term} Tulis",
        price=250000,
        categorySlug="batik",
    )
    return {"term": term, "shops": [first, second], "products": [chips, cloth], "owners": owners}


@asynccontextmanager
async def served(app) -> AsyncIterator[str]:
    """`app` on a real loopback port; yields its base URL."""
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            app,
            host="127.0.0.1",
            port=port,
            log_level="warning",
            lifespan="off",
            timeout_graceful_shutdown=1,  # live feeds never end by themselves
        )
    )
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task


@pytest.fixture(scope="session")
async def browser() -> Browser:
    async with async_playwright() as playwright:
        found = await playwright.chromium.launch(executable_path=str(CHROMIUM))
        yield found
        await found.close()


@pytest.fixture(scope="session")
async def site(live):
    app = create_app(live.url, SECRET)
    async with served(app) as url:
        yield url
    await app.state.api.close()


@pytest.fixture
async def open_page(browser):
    """A new phone-sized page (JavaScript on or off); what went wrong in it is in `problems`."""
    contexts = []

    async def open_page(javascript: bool = True) -> tuple[Page, list[str]]:
        context = await browser.new_context(java_script_enabled=javascript, viewport=PHONE)
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = await context.new_page()
        problems: list[str] = []
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda error: problems.append(str(error)))
        page.on(  # a live feed is cut off each time the page is left: that is no failure
            "requestfailed",
            # A navigation cancels what the page was still loading (ERR_ABORTED): not a fault.
            lambda r: (
                problems.append(r.url)
                if r.resource_type != "eventsource" and "ERR_ABORTED" not in (r.failure or "")
                else None
            ),
        )
        page.on("response", lambda r: problems.append(r.url) if r.status >= 400 else None)
        return page, problems

    yield open_page
    for context in contexts:
        await context.close()
