"""GraphiQL works on a closed network: the page and everything it loads come from the API,
under a CSP that allows nothing else, and it renders in headless Chromium with every other
host cut off."""

from __future__ import annotations

import re
import shutil

import pytest

from server.graphiql import CSP

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


async def graphiql(client):
    return await client.get("/graphql", headers={"Accept": "text/html"})


async def test_the_page_and_its_assets_come_from_the_api(client):
    page = await graphiql(client)
    assert page.status_code == 200
    assert page.headers["content-security-policy"] == CSP
    assert "default-src 'none'" in CSP
    assert not re.search(r"(https?:)?//", page.text), "the page names another host"
    assets = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert len(assets) >= 5
    for asset in assets:
        if asset.startswith("data:"):
            continue
        served = await client.get(f"/{asset}")
        assert served.status_code == 200, asset
        assert served.headers["content-type"].split(";")[0] in ("text/css", "text/javascript")


@pytest.mark.skipif(CHROMIUM is None, reason="needs Chromium (.ci/run installs it)")
async def test_graphiql_renders_with_the_network_cut_off(live):
    from playwright.async_api import async_playwright

    attempted_outside: list[str] = []
    problems: list[str] = []
    answered: list[str] = []

    async def only_the_api(route) -> None:
        if route.request.url.startswith(live.url + "/"):
            await route.continue_()
        else:
            attempted_outside.append(route.request.url)
            await route.abort("internetdisconnected")

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            page = await browser.new_page()
            page.on("console", lambda m: m.type == "error" and problems.append(m.text))
            page.on("pageerror", lambda error: problems.append(str(error)))
            page.on("response", lambda r: r.request.method == "POST" and answered.append(r.url))
            await page.route("**/*", only_the_api)
            await page.goto(f"{live.url}/graphql")
            await page.wait_for_selector(".graphiql-query-editor .CodeMirror", timeout=30_000)
            for _ in range(100):  # the schema is fetched by introspection over /graphql
                if answered:
                    break
                await page.wait_for_timeout(100)
        finally:
            await browser.close()
    assert attempted_outside == []
    assert problems == []
    assert answered, "GraphiQL never asked the API for its schema"
    assert set(answered) == {f"{live.url}/graphql"}
