"""`make demo` prints ready sandbox tokens: sessions for a buyer, a seller whose shop has
products, a cooperative member and a pengurus, each signing in over HTTP as its account."""

import re

import pytest
from rich.console import Console

from demo.cooperatives import DEMO_MEMBERS_OF_FIRST, DEMO_PENGURUS
from demo.sandbox import DEMO_BUYER, DEMO_SELLER, print_tokens, sandbox_tokens, seed_demo_seller
from demo.seed import create_demo_accounts
from media.local import LocalStorage

# It seeds named demo products into the shared database, so it runs last (tests/conftest.py).
pytestmark = pytest.mark.seeds_demo

ME = """{ me { email shops { name products(first: 10) {
  totalCount edges { node { status images { url } } } } } } }"""


async def test_the_demo_prints_tokens_that_sign_in(live, client):
    storage = LocalStorage(live.settings.media_root)
    await create_demo_accounts()
    await seed_demo_seller(storage)
    assert not await seed_demo_seller(storage)  # once: the seller has products now

    console = Console(record=True, width=200)
    print_tokens(console, await sandbox_tokens(), live.url)
    printed = console.export_text()
    assert f"{live.url}/graphql" in printed
    assert "Authorization: Bearer" in printed
    lines = dict(re.findall(r"^\s+\S.*?\s+(\S+@\S+)\s+(\S+)$", printed, re.MULTILINE))
    assert list(lines) == [DEMO_BUYER, DEMO_SELLER, DEMO_MEMBERS_OF_FIRST[0], DEMO_PENGURUS]

    answers = {}
    for email, token in lines.items():
        response = await client.post(
            "/graphql", json={"query": ME}, headers={"Authorization": f"Bearer {token}"}
        )
        assert response.status_code == 200, response.text
        answers[email] = response.json()["data"]["me"]
        assert answers[email]["email"] == email
    (shop,) = answers[DEMO_SELLER]["shops"]
    products = shop["products"]
    assert products["totalCount"] >= 5
    assert all(edge["node"]["status"] == "ACTIVE" for edge in products["edges"])
    assert all(edge["node"]["images"][0]["url"].startswith("http") for edge in products["edges"])
    assert answers[DEMO_BUYER]["shops"] == []

    again = await sandbox_tokens()  # every run gives new sessions; the old ones still work
    assert set(t.token for t in again).isdisjoint(lines.values())
