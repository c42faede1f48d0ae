"""A one-word RELEVANCE search read tier by tier (`resolvers.search.relevance`): every page,
of every size, walked to the end, is the order an independent sort of the products gives
(word in the name, verified, in stock, newest), with the same cursors, for a word in some
names and a word in none, under each filter; and so again after products and shops change,
also between the pages of one walk."""

from __future__ import annotations

import base64
import itertools
import random
import re
from typing import Any

import pytest
from tortoise import connections

from models.catalog.product import Product
from models.shops import Shop
from resolvers.search import relevance, text
from tests.catalog.helpers import UPDATE_PRODUCT
from tests.conftest import StatementCounter
from tests.search.catalogue import Catalogue, _pk, add, build, search

SIZES = (1, 2, 3, 7, 50)
FILTERS: list[dict[str, Any]] = [
    {},
    {"inStock": True},
    {"inStock": False},
    {"halal": True},
    {"kecamatan": ["36.71.05"]},
    {"categories": ["keripik"]},
    {"inStock": True, "kecamatan": ["36.71.01"]},
]
SHOPS = [
    {"key": "v", "name": "Toko Resmi", "kelurahan": "36.71.01.1001", "verified": True},
    {"key": "u", "name": "Warung Biasa", "kelurahan": "36.71.05.1007"},
    {"key": "w", "name": "Kedai Baru", "kelurahan": "36.71.05.1002"},
]


def _word() -> str:
    """A made-up word of consonant-vowel pairs, in no other test's products."""
    pick = random.Random()
    return "".join(pick.choice("bdgjklmpst") + pick.choice("aiou") for _ in range(5))


def _products(named: str, everywhere: str) -> list[dict[str, Any]]:
    """`named` in about half the names, `everywhere` in every description and no name."""
    return [
        {"shop": "vuw"[i % 3], "name": f"{named.title()} Rasa {i}" if i % 5 in (0, 2, 3)
         else f"Camilan Rasa {i}", "description": f"{named} dari {everywhere}",
         "category": "keripik" if i % 4 else "kue-roti", "stock": i % 4, "halal": i % 7 in (0, 1, 3, 5)}
        for i in range(22)
    ]  # fmt: skip


class Facts:
    """What the order and the filters turn on, read from the products and shops themselves."""

    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue
        self.rows: list[dict[str, Any]] = []

    async def read(self) -> None:
        ids = [int(_pk(p["id"])) for p in self.catalogue.products.values()]
        products = await Product.filter(id__in=ids, status="ACTIVE").prefetch_related(
            "shop", "category", "shop__kelurahan"
        )
        self.rows = [
            {"id": p.id, "name": p.name, "verified": p.shop.is_verified, "in_stock": p.stock > 0,
             "halal": p.is_halal, "kecamatan": p.shop.kelurahan.kecamatan_id,
             "category": p.category.slug, "terms": text.terms(p.name)}
            for p in products
        ]  # fmt: skip

    def sorted(self, word: str, chosen: dict[str, Any]) -> list[tuple[str, list[int]]]:
        """(name, cursor keys) of the matches, in RELEVANCE's order."""
        term = text.stem(word)
        kept = [
            r for r in self.rows
            if chosen.get("inStock", r["in_stock"]) == r["in_stock"]
            and chosen.get("halal", r["halal"]) == r["halal"]
            and r["kecamatan"] in chosen.get("kecamatan", [r["kecamatan"]])
            and r["category"] in chosen.get("categories", [r["category"]])
        ]  # fmt: skip
        keyed = [
            (r["name"], [int(term in r["terms"]), int(r["verified"]), int(r["in_stock"]), r["id"]])
            for r in kept
        ]
        return sorted(keyed, key=lambda k: [-v for v in k[1]])


def _keys(cursor: str) -> list[int]:
    kind, _, raw = base64.urlsafe_b64decode(cursor).decode().partition(":")
    assert kind == "RELEVANCE"
    return [int(v) for v in raw.split(",")]


async def _walk(
    gql,
    catalogue: Catalogue,
    word: str,
    chosen: dict[str, Any],
    size: int,
    after: str | None,
    scoped: bool = True,
) -> list[tuple[str, list[int]]]:
    """Every page after `after`; within the catalogue's cooperative unless not `scoped` (a
    filter the tally counts: the word must be the catalogue's alone)."""
    seen = []
    while True:
        chosen_here = catalogue.scoped(**chosen) if scoped else chosen
        page = await search(gql, query=word, filter=chosen_here, first=size, after=after)
        seen += [(e["node"]["name"], _keys(e["cursor"])) for e in page["edges"]]
        assert page["totalCount"] >= len(seen)
        if not page["pageInfo"]["hasNextPage"]:
            return seen
        assert len(page["edges"]) == size
        after = page["pageInfo"]["endCursor"]


def _cursor(keys: list[int]) -> str:
    return base64.urlsafe_b64encode(f"RELEVANCE:{','.join(map(str, keys))}".encode()).decode()


@pytest.mark.parametrize("chosen", FILTERS, ids=lambda f: ",".join(f) or "none")
async def test_tiers_give_the_sorted_pages(gql, monkeypatch, chosen):
    named, everywhere = _word(), _word()
    catalogue = await build(gql, SHOPS, _products(named, everywhere))
    facts = Facts(catalogue)

    async def check() -> None:
        await facts.read()
        for word, tiers_from in itertools.product((named, everywhere), (10**9, 0)):
            # every match sorted (few matches), and tier by tier
            monkeypatch.setattr(relevance, "TIERS_FROM", tiers_from)
            expected = facts.sorted(word, chosen)
            assert expected, (word, chosen)
            for size in SIZES:
                assert await _walk(gql, catalogue, word, chosen, size, None) == expected, (
                    word, size,
                )  # fmt: skip
            # from any row on: the rows after it
            for at in range(0, len(expected), 3):
                rest = await _walk(gql, catalogue, word, chosen, 4, _cursor(expected[at][1]))
                assert rest == expected[at + 1 :], (word, at)

    await check()
    ids = {name: p["id"] for name, p in catalogue.products.items()}
    newest = await add(gql, catalogue, {
        "shop": "w", "name": f"{named.title()} Terbaru", "description": everywhere,
        "category": "keripik", "stock": 4, "halal": True,
    })  # fmt: skip
    assert newest["id"] not in ids.values()
    changes = [
        {"stock": 0},  # out of stock: a lower tier
        {"status": "ARCHIVED"},  # gone
        {"stock": 9},  # back in stock
    ]
    for (name, product_id), change in zip(list(ids.items())[3:6], changes, strict=True):
        result = await gql(
            UPDATE_PRODUCT, {"id": product_id, "input": change}, token=catalogue.token
        )
        assert result["data"]["updateProduct"]["errors"] == [], name
    await Shop.filter(id=int(_pk(catalogue.shops["w"]["id"]))).update(is_verified=True)
    await check()


async def test_pages_continue_across_writes(gql, monkeypatch):
    """A walk whose products change between its pages goes on after its cursor in the new
    order: no row twice, none left out that is after the cursor."""
    monkeypatch.setattr(relevance, "TIERS_FROM", 0)
    named, everywhere = _word(), _word()
    catalogue = await build(gql, SHOPS, _products(named, everywhere))
    facts = Facts(catalogue)
    products = list(catalogue.products.values())
    for word in (named, everywhere):
        page = await search(gql, query=word, filter=catalogue.scoped(), first=3)
        seen = [(e["node"]["name"], _keys(e["cursor"])) for e in page["edges"]]
        for i, change in enumerate(({"stock": 0}, {"stock": 5}, {"status": "ARCHIVED"})):
            await gql(
                UPDATE_PRODUCT,
                {"id": products[7 * i + len(word) % 3]["id"], "input": change},
                token=catalogue.token,
            )
        await Shop.filter(id=int(_pk(catalogue.shops["u"]["id"]))).update(is_verified=True)
        await facts.read()
        rest = await _walk(gql, catalogue, word, {}, 3, page["pageInfo"]["endCursor"])
        last = [-v for v in seen[-1][1]]
        assert rest == [r for r in facts.sorted(word, {}) if [-v for v in r[1]] > last]
        await Shop.filter(id=int(_pk(catalogue.shops["u"]["id"]))).update(is_verified=False)


async def test_a_filter_that_leaves_nothing_reads_no_tier(gql, monkeypatch):
    """When the filter leaves none of the word's matches (no halal product holds it), the
    tally says so and the page is empty without a tier read: a walk down the tiers would
    read every row of the word's to find nothing. A filter that leaves some reads them."""
    monkeypatch.setattr(relevance, "TIERS_FROM", 0)
    named, everywhere = _word(), _word()
    await build(gql, SHOPS, [p | {"halal": False} for p in _products(named, everywhere)])
    tier_read = re.compile(r"WHERE (NOT )?sp\.verified AND")
    for word in (named, everywhere):
        with StatementCounter() as counter:
            page = await search(gql, query=word, filter={"halal": True}, first=5)
        assert (page["edges"], page["totalCount"]) == ([], 0)
        assert not [s for s in counter.statements if tier_read.search(s)]
        with StatementCounter() as counter:
            page = await search(gql, query=word, filter={"halal": False}, first=5)
        assert (len(page["edges"]), page["pageInfo"]["hasNextPage"]) == (5, True)
        assert page["totalCount"] == 22  # both words are in every description
        assert [s for s in counter.statements if tier_read.search(s)]


async def _reads_rows(sql: str, values: Any) -> bool:
    """Whether PostgreSQL reads `search_product` for the statement, or ends it at its
    one-time test."""
    _, plan = await connections.get("default").execute_query(f"EXPLAIN ANALYZE {sql}", values)
    scans = [row[0] for row in plan if "on search_product sp" in row[0]]
    assert scans, plan
    return any("never executed" not in scan for scan in scans)


async def test_a_filtered_search_reads_only_the_tiers_that_hold_matches(gql, monkeypatch):
    """On PostgreSQL the tally also counts the word in names (0048): when no halal product
    holds the word in its name, a halal search reads none of the name's tiers, nor does a
    search without a filter for a word in no name, and the pages are the sorted order all
    the same; a search that finds such names reads them."""
    monkeypatch.setattr(relevance, "TIERS_FROM", 0)
    named, everywhere = _word(), _word()
    products = [
        p | {"halal": p["halal"] and named.title() not in p["name"]}
        for p in _products(named, everywhere)
    ]
    catalogue = await build(gql, SHOPS, products)
    facts = Facts(catalogue)
    await facts.read()
    name_tier = "to_tsvector('simple', sp.name_terms)"
    postgres = connections.get("default").capabilities.dialect == "postgres"
    cases = (
        (named, {"halal": True}, False),
        (named, {"halal": False}, True),
        (everywhere, {}, False),  # in no name: without a filter too
        (named, {}, True),
    )
    for word, chosen, in_names in cases:
        expected = facts.sorted(word, chosen)
        assert any(keys[0] for _, keys in expected) == in_names
        with StatementCounter() as counter:
            assert await _walk(gql, catalogue, word, chosen, 4, None, scoped=False) == expected
        if postgres:  # each name's tier asks the tally first, and reads only if it holds some
            tiers = [b for b in counter.bound if name_tier in b[0]]
            assert tiers
            read = [await _reads_rows(sql, values) for sql, values in tiers]
            assert any(read) == in_names, (word, chosen)
