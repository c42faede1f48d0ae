"""The price tally (migration 0041): a price range without words reads its total and facets
from whole price buckets, and they equal a recount of the index by plain SQL for ranges on
and off the buckets' edges, open at either end, empty, filtered and in stock, after price
changes, sell-outs and restocks, archiving, new products and variants priced in the range;
the tally stays a recount of the index, also when checkouts race, and `rebuild` recounts
it, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import importlib
import random
from collections import Counter
from types import SimpleNamespace
from typing import Any

from tortoise import connections

from models.catalog.product import Category
from resolvers.search.index import rebuild
from resolvers.search.products import PRICE_SHIFTS
from tests.catalog.variant_helpers import batik_shirt, update_variant
from tests.conftest import StatementCounter
from tests.search.catalogue import Catalogue, add, build, search
from tests.search.test_facet_tally import UPDATE, later_functions_undone, unique_word
from tests.search.test_stock_tally import crossing_checkouts

price_migration = importlib.import_module("models.migrations.0041_search_price_tally")
# Prices on and beside the buckets' edges (16^k), from the cheapest to the dearest allowed.
EDGES = (0, 1, 15, 16, 17, 255, 256, 4095, 4096, 4097, 65535, 65536, 65537, 1_048_576,
         2**36 - 1, 2**36, 10**12)  # fmt: skip
CATEGORIES = ("minuman", "keripik", "kue-roti")
# (shift, bucket, category, kecamatan, halal, in stock) -> products
Key = tuple[int, int, int, str, bool, bool]


async def edge_catalogue(gql, word: str) -> Catalogue:
    """A product at each price of EDGES and a few between, across two kecamatan, three
    categories, both halal values and stock."""
    shops = [
        {"key": "a", "name": "Toko Harga", "kelurahan": "36.71.01.1001"},
        {"key": "b", "name": "Toko Tepi", "kelurahan": "36.71.05.1002"},
    ]
    prices = [*EDGES, 10_000, 10_100, 25_000, 4100, 4110]
    spec = [
        {"shop": "ab"[n % 2], "name": f"Barang {word} {n}", "category": CATEGORIES[n % 3],
         "halal": n % 4 == 0, "stock": 0 if n % 3 == 1 else 3, "price": price}
        for n, price in enumerate(prices)
    ]  # fmt: skip
    return await build(gql, shops, spec)


def ranges(pick: random.Random, count: int) -> list[dict[str, int]]:
    """Ranges with ends on the edges, one beside them, open, inside one bucket, empty and
    reversed, then `count` drawn from those ends."""
    ends = sorted({e + d for e in EDGES for d in (-1, 0, 1) if e + d >= 0})
    chosen: list[dict[str, int]] = [
        {"priceMin": 4096, "priceMax": 4096}, {"priceMin": 4096, "priceMax": 65535},
        {"priceMin": 4095, "priceMax": 65536}, {"priceMin": 4097, "priceMax": 65535},
        {"priceMin": 0, "priceMax": 255}, {"priceMin": 4100, "priceMax": 4110},
        {"priceMin": 10_000, "priceMax": 10_099}, {"priceMin": 70_001, "priceMax": 70_002},
        {"priceMin": 5000, "priceMax": 4000}, {"priceMax": 4096}, {"priceMin": 4096},
        {"priceMin": 0}, {"priceMax": 10**12}, {"priceMin": 2**36}, {"priceMax": 0},
    ]  # fmt: skip
    for _ in range(count):
        low, high = sorted(pick.sample(ends, 2))
        chosen.append({"priceMin": low, "priceMax": high})
    return chosen


FILTERS = (
    {},
    {"inStock": True},
    {"inStock": False, "categories": ["keripik", "minuman"]},
    {"kecamatan": ["36.71.05"], "halal": False, "categories": ["makanan-minuman"]},
)


async def recount(chosen: dict[str, Any]) -> tuple[int, dict[str, dict[str, int]]]:
    """The total and facets of a search without words filtered by `chosen`, counted from the
    index by plain SQL: a product is within a price range when its lowest price is, or an
    active variant of its options is."""
    low, high = chosen.get("priceMin", -(2**62)), chosen.get("priceMax", 2**62)
    where = [
        f"(sp.price BETWEEN {low} AND {high} OR EXISTS (SELECT 1 FROM product_variant v"
        " WHERE v.product_id = sp.product_id AND v.is_active AND NOT v.is_default"
        f" AND v.price BETWEEN {low} AND {high}))"
    ]
    for column, name in (("in_stock", "inStock"), ("is_halal", "halal")):
        if name in chosen:
            where.append(f"sp.{column} = {'true' if chosen[name] else 'false'}")
    if "kecamatan" in chosen:
        where.append(f"sp.kecamatan IN ({', '.join(repr(k) for k in chosen['kecamatan'])})")
    slugs = {c.id: c.slug for c in await Category.all()}
    if "categories" in chosen:
        parents = {c.id: c.parent_id for c in await Category.all()}
        ids = [
            i for i, s in slugs.items() if {s, slugs.get(parents[i] or 0)} & {*chosen["categories"]}
        ]
        where.append(f"sp.category_id IN ({', '.join(map(str, ids))})")
    _, rows = await connections.get("default").execute_query(
        "SELECT sp.category_id, sp.kecamatan, sp.is_halal, COUNT(*) FROM search_product sp"
        f" WHERE {' AND '.join(where)} GROUP BY sp.category_id, sp.kecamatan, sp.is_halal"
    )
    facets: dict[str, Counter[str]] = {
        "category": Counter(),
        "kecamatan": Counter(),
        "halal": Counter(),
    }
    for category_id, kecamatan, halal, count in rows:
        facets["category"][slugs[category_id]] += count
        facets["kecamatan"][kecamatan] += count
        facets["halal"]["true" if halal else "false"] += count
    return sum(facets["halal"].values()), {k: dict(v) for k, v in facets.items()}


async def answered(gql, chosen: dict[str, Any]) -> tuple[int, dict[str, dict[str, int]]]:
    """The same from the API, checking that the price tally counted it."""
    with StatementCounter() as counter:
        found = await search(gql, query=None, filter=chosen, sort="PRICE_ASC", first=3)
    assert any("search_price_tally sp" in s for s in counter.statements), chosen
    facets = {f["field"]: {v["value"]: v["count"] for v in f["values"]} for f in found["facets"]}
    return found["totalCount"], facets


async def tallied() -> Counter[Key]:
    _, rows = await connections.get("default").execute_query(
        "SELECT shift, bucket, category_id, kecamatan, is_halal, products, stocked"
        " FROM search_price_tally"
    )
    counts: Counter[Key] = Counter()
    for shift, bucket, category_id, kecamatan, halal, products, stocked in rows:
        assert products >= stocked >= 0, (shift, bucket, products, stocked)
        counts[(shift, bucket, category_id, kecamatan, bool(halal), False)] = products - stocked
        counts[(shift, bucket, category_id, kecamatan, bool(halal), True)] = stocked
    return +counts


async def recounted() -> Counter[Key]:
    """The tally as it should be: each product of the index in its bucket at every shift."""
    _, rows = await connections.get("default").execute_query(
        "SELECT price, category_id, kecamatan, is_halal, in_stock FROM search_product"
    )
    counts: Counter[Key] = Counter()
    for price, category_id, kecamatan, halal, in_stock in rows:
        for shift in PRICE_SHIFTS:
            counts[
                (shift, price >> shift, category_id, kecamatan, bool(halal), bool(in_stock))
            ] += 1
    return counts


async def check(gql, pick: random.Random, count: int, filters: tuple[dict[str, Any], ...]) -> None:
    assert await tallied() == await recounted()
    for priced in ranges(pick, count):
        for more in filters:
            chosen = {**priced, **more}
            assert await answered(gql, chosen) == await recount(chosen), chosen


async def test_price_ranges_equal_a_recount_through_every_kind_of_write(gql):
    word = unique_word("hargaku")
    shops = await edge_catalogue(gql, word)
    pick = random.Random(41)
    await check(gql, pick, 10, FILTERS)
    # Found at all: the range of one edge holds the product at that price.
    total, _ = await answered(gql, {"priceMin": 2**36 - 1, "priceMax": 2**36 - 1})
    assert total >= 1

    async def edit(n: int, **given: Any) -> None:
        product = shops.products[f"Barang {word} {n}"]
        done = await gql(UPDATE, {"id": product["id"], "input": given}, token=shops.token)
        assert done["data"]["updateProduct"]["errors"] == [], done

    # Prices move across edges, stock runs out and comes back, a product is archived.
    await edit(7, price=4096)  # 4095 -> 4096
    await edit(8, price=65536)  # 4096 -> 65536
    await edit(14, price=16)  # 2^36 - 1 -> 16
    await edit(0, stock=0)
    await edit(2, stock=0)
    await check(gql, pick, 6, FILTERS[:2])
    await edit(0, stock=5)
    await edit(9, status="ARCHIVED")
    await edit(10, status="DRAFT")
    await add(gql, shops, {"shop": "b", "name": f"Baru {word}", "category": "minuman",
                           "price": 4096, "stock": 1})  # fmt: skip
    await check(gql, pick, 6, FILTERS[:2])
    # A product with options: its lowest variant prices it, a dearer one matches ranges above.
    owner, _, _, made = await batik_shirt(gql)
    await update_variant(gql, owner["token"], made["L / Biru"]["id"], price=65536)
    for chosen in ({"priceMin": 65536, "priceMax": 65536}, {"priceMin": 40_000},
                   {"priceMin": 65536, "inStock": True}):  # fmt: skip
        assert await answered(gql, chosen) == await recount(chosen), chosen
    await update_variant(gql, owner["token"], made["M / Merah"]["id"], price=4096)
    await update_variant(gql, owner["token"], made["L / Biru"]["id"], stock=0)
    await check(gql, pick, 6, FILTERS[:2])


async def test_rebuild_recounts_the_price_tally(gql):
    await edge_catalogue(gql, unique_word("ulangharga"))
    client = connections.get("default")
    await client.execute_query("UPDATE search_price_tally SET products = products + 2")
    await client.execute_query("DELETE FROM search_price_tally WHERE shift = 8")
    assert await tallied() != await recounted()
    await rebuild()
    assert await tallied() == await recounted()
    # and the migration down and up again (0041 alone: 0040's tally stays)
    editor = SimpleNamespace(client=client)
    async with later_functions_undone(editor):
        await price_migration.drop_price_tally(None, editor)
        await price_migration.create_price_tally(None, editor)
    assert await tallied() == await recounted()
    await check(gql, random.Random(3), 3, FILTERS[:1])


async def test_checkouts_that_empty_products_race_while_prices_move(gql):
    """Buyers each take the last unit of two products in buckets far apart, in crossing
    orders, while the seller moves other products' prices across buckets: every checkout
    goes through, and the tally is a recount of the index after it."""
    word = unique_word("rebutharga")
    prices = [4096 * (n + 1) + n for n in range(12)]
    shops = await build(
        gql, [{"key": "a", "name": "Toko Rebut Harga", "kelurahan": "36.71.02.1001"}],
        [{"shop": "a", "name": f"Camilan {word} {n}", "category": CATEGORIES[n % 3],
          "stock": 1, "price": price} for n, price in enumerate(prices)],
    )  # fmt: skip
    ids = [shops.products[f"Camilan {word} {n}"]["id"] for n in range(12)]

    async def reprice(n: int) -> dict[str, Any]:
        given = {"price": prices[11 - n] + 1, "stock": 0 if n % 2 else 4}
        return await gql(UPDATE, {"id": ids[n], "input": given}, token=shops.token)

    await crossing_checkouts(gql, ids, *map(reprice, range(8, 12)))
    assert await tallied() == await recounted()
    for chosen in ({"priceMin": prices[0], "priceMax": prices[-1] + 1},
                   {"priceMin": prices[0], "inStock": True}):  # fmt: skip
        assert await answered(gql, chosen) == await recount(chosen), chosen
