"""The tally's in-stock counts (migration 0040): searches filtered on stock read their total
and facets there, equal to counting the matches for every page size and sort, and the
counts stay a recount of the index after checkouts, cancellations, sellers' edits and
variants, also when checkouts that empty products race, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

from tests.catalog.variant_helpers import batik_shirt, update_variant
from tests.conftest import StatementCounter, contract
from tests.orders.helpers import CANCEL, add_to_cart, buy, checkout_input, quick_buyers
from tests.search.catalogue import Catalogue, build, search
from tests.search.test_facet_tally import UPDATE, recounted, tallied, unique_word

SORTS = ("RELEVANCE", "NEWEST", "PRICE_ASC", "PRICE_DESC", "BEST_SELLING", "RATING")


async def stocked_catalogue(gql, word: str, count: int = 9) -> Catalogue:
    """`count` products holding `word` across two kecamatan, three categories and both halal
    values, a third of them out of stock, beside one without the word."""
    shops = [
        {"key": "a", "name": "Toko Stok", "kelurahan": "36.71.01.1001"},
        {"key": "b", "name": "Toko Gudang", "kelurahan": "36.71.05.1002"},
    ]
    categories = ("minuman", "keripik", "kue-roti")
    spec = [
        {"shop": "ab"[n % 2], "name": f"Barang {word} {n}", "category": categories[n % 3],
         "halal": n % 4 == 0, "stock": 0 if n % 3 == 1 else n + 1, "price": 5000 + 700 * n}
        for n in range(count)
    ]  # fmt: skip
    spec.append({"shop": "a", "name": "Barang Lain", "category": "minuman"})
    return await build(gql, shops, spec)


def _answer(found: dict[str, Any]) -> tuple[Any, ...]:
    facets = {f["field"]: {v["value"]: v["count"] for v in f["values"]} for f in found["facets"]}
    edges = [(e["cursor"], e["node"]["name"]) for e in found["edges"]]
    return found["totalCount"], facets, edges, found["pageInfo"]["hasNextPage"]


async def _tally_and_counted(gql, word: str, chosen: dict[str, Any], **more: Any) -> tuple:
    """The answer read from the tally, and the same search counted (`priceMin: 0` keeps
    every match but is no tally dimension)."""
    with StatementCounter() as counter:
        tally = await search(gql, query=word, filter=chosen, **more)
    assert any("search_facet sp" in s for s in counter.statements), chosen
    with StatementCounter() as counter:
        counted = await search(gql, query=word, filter={**chosen, "priceMin": 0}, **more)
    assert not any("search_facet sp" in s for s in counter.statements)
    return _answer(tally), _answer(counted)


async def test_stock_filtered_answers_equal_counting_the_matches(gql):
    word = unique_word("stokku")
    await stocked_catalogue(gql, word)
    for in_stock in (True, False):
        for chosen in (
            {"inStock": in_stock},
            {"inStock": in_stock, "categories": ["keripik", "minuman"]},
            {"inStock": in_stock, "kecamatan": ["36.71.05"], "halal": False},
        ):
            for sort in SORTS:
                for first in (1, 2, 3, 7, 20):
                    tally, counted = await _tally_and_counted(
                        gql, word, chosen, sort=sort, first=first
                    )
                    assert tally == counted, (chosen, sort, first)
    # and the figures themselves, against the catalogue as built: 3 of 9 out of stock
    assert (await search(gql, query=word, filter={"inStock": True}))["totalCount"] == 6
    found = await search(gql, query=word, filter={"inStock": False})
    assert found["totalCount"] == 3
    assert {v["value"]: v["count"] for v in found["facets"][0]["values"]} == {"keripik": 3}
    assert (await search(gql, query=None, filter={"inStock": True}))["totalCount"] > 0


async def test_stock_counts_follow_checkouts_cancellations_edits_and_variants(gql):
    word = unique_word("ikutstok")
    shops = await stocked_catalogue(gql, word, count=3)  # stocks 1, 0, 3
    in_stock = {"inStock": True}

    async def counts() -> tuple[int, int]:
        assert await tallied() == await recounted()
        tally, counted = await _tally_and_counted(gql, word, in_stock)
        assert tally == counted
        return tally[0], (await search(gql, query=word, filter={"inStock": False}))["totalCount"]

    assert await counts() == (2, 1)
    # A checkout takes the last unit, a cancellation gives it back.
    buyer, order = await buy(gql, shops.products[f"Barang {word} 0"]["id"])
    assert await counts() == (1, 2)
    cancelled = await gql(CANCEL, {"id": order["id"]}, token=buyer["token"])
    assert "errors" not in cancelled, cancelled
    assert await counts() == (2, 1)
    # The seller restocks one and sells out another.
    for name, stock in ((f"Barang {word} 1", 4), (f"Barang {word} 2", 0)):
        done = await gql(
            UPDATE, {"id": shops.products[name]["id"], "input": {"stock": stock}},
            token=shops.token,
        )  # fmt: skip
        assert done["data"]["updateProduct"]["errors"] == [], done
    assert await counts() == (2, 1)
    # A product with variants runs out when its last variant does, and back.
    owner, _, _, made = await batik_shirt(gql)
    assert await tallied() == await recounted()
    for name in made:
        await update_variant(gql, owner["token"], made[name]["id"], stock=0)
        assert await tallied() == await recounted()
    await update_variant(gql, owner["token"], made["L / Biru"]["id"], stock=2)
    assert await tallied() == await recounted()


async def crossing_checkouts(gql, ids: list[str], *beside: Awaitable[dict[str, Any]]) -> None:
    """Four buyers each check out the last unit of two of the products `ids` (buyer i: the
    ith and the (7 - i)th, so in crossing orders), at once and while `beside` run: every
    checkout and every one of `beside` goes through."""
    tokens = await quick_buyers(4)
    for i, token in enumerate(tokens):
        for product_id in (ids[i], ids[7 - i]):
            assert (await add_to_cart(gql, token, product_id))["errors"] == []

    async def place(token: str) -> dict[str, Any]:
        return await gql(contract("Checkout"), {"input": checkout_input(method="COD")}, token=token)

    answers = await asyncio.gather(*map(place, tokens), *beside)
    assert all("errors" not in a for a in answers), answers
    assert all(a["data"]["checkout"]["errors"] == [] for a in answers[:4]), answers


async def test_checkouts_that_empty_products_race_without_losing_a_count(gql):
    """Buyers each take the last unit of two products whose tally rows differ (by category),
    the two in crossing orders (buyer 0 "keripik" then "minuman", buyer 1 the other way),
    while the seller sells out others: every checkout goes through, and the tally is a
    recount of the index after it."""
    word = unique_word("rebutan")
    shops = await build(
        gql, [{"key": "a", "name": "Toko Rebutan", "kelurahan": "36.71.02.1001"}],
        [{"shop": "a", "name": f"Camilan {word} {n}", "category": ("keripik", "minuman")[n % 2],
          "stock": 1} for n in range(12)],
    )  # fmt: skip
    ids = [shops.products[f"Camilan {word} {n}"]["id"] for n in range(12)]

    async def sell_out(product_id: str) -> dict[str, Any]:
        return await gql(UPDATE, {"id": product_id, "input": {"stock": 0}}, token=shops.token)

    await crossing_checkouts(gql, ids, *map(sell_out, ids[8:]))
    assert await tallied() == await recounted()
    assert (await search(gql, query=word, filter={"inStock": True}))["totalCount"] == 0
    assert (await search(gql, query=word, filter={"inStock": False}))["totalCount"] == 12
