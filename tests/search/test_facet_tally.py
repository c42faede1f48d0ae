"""The facet tally (migration 0019) that answers one-word and browse searches: it equals a
recount of the index after every kind of writer, its answers equal counting the matches,
and a new product counts at once, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import asyncio
import importlib
import uuid
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from types import SimpleNamespace
from typing import Any

from tortoise import connections

from models.catalog.product import Category, Product, ProductStatus
from models.shops import Shop
from resolvers.search import relevance
from schema.platform.ids import decode_id
from tests.conftest import StatementCounter
from tests.search.catalogue import Catalogue, add, build, search

facets_migration = importlib.import_module("models.migrations.0040_search_stock_tally")
prices_migration = importlib.import_module("models.migrations.0041_search_price_tally")
sale_path = importlib.import_module("models.migrations.0047_search_sale_path")
named_tally = importlib.import_module("models.migrations.0048_search_named_tally")
UPDATE = """mutation($id: ID!, $input: UpdateProductInput!) {
  updateProduct(id: $id, input: $input) { errors { code } } }"""
# (term, category, kecamatan, halal, in stock): the tally's products, and its in-stock ones
Key = tuple[str, int, str, bool, bool]


def unique_word(prefix: str) -> str:
    """A word no other test's product holds (letters only, so the stemmer keeps it whole)."""
    letters = uuid.uuid4().hex[:6].translate(str.maketrans("0123456789", "abcdefghij"))
    return prefix + letters


async def tallied() -> Counter[Key]:
    client = connections.get("default")
    _, rows = await client.execute_query(
        "SELECT term, category_id, kecamatan, is_halal, products, stocked FROM search_facet"
        " WHERE products <> 0"
    )
    counts: Counter[Key] = Counter()
    for term, category_id, kecamatan, is_halal, products, stocked in rows:
        counts[(term, category_id, kecamatan, bool(is_halal), False)] = products - stocked
        counts[(term, category_id, kecamatan, bool(is_halal), True)] = stocked
    return +counts


async def recounted() -> Counter[Key]:
    """The tally as it should be: the index's stored words and facts, counted here; on
    PostgreSQL also each term of a name, marked (0048)."""
    client = connections.get("default")
    postgres = client.capabilities.dialect == "postgres"
    if postgres:
        words = "sp.name_terms, sp.more_terms FROM search_product sp"
    else:  # the words live apart from the facts
        words = "x.name_terms, x.more_terms FROM search_product sp"
        words += " LEFT JOIN search_product_text x ON x.product_id = sp.product_id"
    _, rows = await client.execute_query(
        f"SELECT sp.category_id, sp.kecamatan, sp.is_halal, sp.in_stock, {words}"
    )
    counts: Counter[Key] = Counter()
    for category_id, kecamatan, is_halal, in_stock, name_terms, more_terms in rows:
        terms = {"", *f"{name_terms or ''} {more_terms or ''}".split()}
        if postgres:
            terms |= {relevance.NAMED + term for term in (name_terms or "").split()}
        group = (category_id, kecamatan, bool(is_halal), bool(in_stock))
        counts.update((term, *group) for term in terms)
    return counts


@asynccontextmanager
async def later_functions_undone(editor: SimpleNamespace) -> AsyncIterator[None]:
    """On PostgreSQL 0047 and 0048 replace the trigger function that 0040 and 0041 make:
    they go down before those are undone and come back after those are done again."""
    await named_tally.uncount_names(None, editor)
    await sale_path.lengthen(None, editor)
    yield
    await sale_path.shorten(None, editor)
    await named_tally.count_names(None, editor)


async def catalogue_of(gql, word: str) -> Catalogue:
    """Products holding `word` across two kecamatan, three categories and both halal values
    (in names, descriptions or the shop's name), beside products without it."""
    shops = [
        {"key": "a", "name": f"Toko {word}", "kelurahan": "36.71.01.1001"},
        {"key": "b", "name": "Toko Lain", "kelurahan": "36.71.05.1002"},
    ]
    spec = [
        {"shop": "a", "name": "Kopi Tubruk", "category": "minuman"},  # word in the shop name
        {"shop": "b", "name": f"Keripik {word}", "category": "keripik", "halal": True},
        {"shop": "b", "name": f"Kopi {word} Robusta", "category": "minuman", "price": 90_000},
        {"shop": "b", "name": "Nastar Keju", "category": "kue-roti",
         "description": f"resep {word} asli", "halal": True},
        {"shop": "b", "name": "Nastar Tanpa Kata", "category": "kue-roti"},
    ]  # fmt: skip
    return await build(gql, shops, spec)


async def test_tally_stays_a_recount_of_the_index_whoever_writes(gql):
    word = unique_word("tallyku")
    shops = await catalogue_of(gql, word)
    assert await tallied() == await recounted()

    # Sellers through the API: rename, move category, halal, archive, bring back.
    products = shops.products
    for name, change in (
        (f"Keripik {word}", {"name": "Keripik Biasa"}),
        ("Nastar Tanpa Kata", {"name": f"Nastar {word}", "categorySlug": "keripik"}),
        (f"Kopi {word} Robusta", {"isHalal": True}),
        ("Kopi Tubruk", {"status": "ARCHIVED"}),
    ):
        result = await gql(UPDATE, {"id": products[name]["id"], "input": change}, token=shops.token)
        assert result["data"]["updateProduct"]["errors"] == [], result
    assert await tallied() == await recounted()

    # Other writers: a bulk load, updates straight to the tables, deletes, a shop moving.
    shop_b = decode_id(shops.shops["b"]["id"], "Shop")
    categories = await Category.all().values_list("id", flat=True)
    await Product.bulk_create(
        [
            Product(
                shop_id=shop_b,
                slug=f"massal-{uuid.uuid4().hex}",
                name=f"Massal {word}",
                price=1000,
                category_id=categories[n % len(categories)],
                is_halal=n % 2 == 0,
                status=ProductStatus.ACTIVE,
            )
            for n in range(12)
        ]
    )
    mass = Product.filter(shop_id=shop_b, name=f"Massal {word}")
    await mass.filter(is_halal=True).update(category_id=categories[0])
    await mass.filter(id__in=await mass.limit(3).values_list("id", flat=True)).delete()
    await Shop.filter(id=shop_b).update(kelurahan_id="36.71.13.1001")
    await Product.filter(shop_id=shop_b).update(stock=0)  # out of stock, at once
    assert await tallied() == await recounted()


async def test_rebuilding_the_tally_counts_the_index_as_it_is(gql):
    await catalogue_of(gql, unique_word("isiulang"))
    editor = SimpleNamespace(client=connections.get("default"))
    async with later_functions_undone(editor):
        await prices_migration.drop_price_tally(None, editor)
        await facets_migration.drop_stock_tally(None, editor)
        await facets_migration.create_stock_tally(None, editor)
        await prices_migration.create_price_tally(None, editor)
    assert await tallied() == await recounted()


def _answer(found: dict[str, Any]) -> tuple[int, Any]:
    facets = {f["field"]: {v["value"]: v["count"] for v in f["values"]} for f in found["facets"]}
    return found["totalCount"], facets


async def test_tally_answers_equal_counting_the_matches(gql):
    word = unique_word("samakan")
    await catalogue_of(gql, word)
    # `priceMin: 0` keeps every match but is no dimension of this tally, so the matches are
    # counted (with no words, by the price tally of 0041).
    for query, chosen in (
        (word, {}),
        (word, {"categories": ["minuman"]}),
        (word, {"kecamatan": ["36.71.05"], "halal": True}),
        (None, {}),
        (None, {"categories": ["kue-roti", "keripik"], "halal": False}),
    ):
        with StatementCounter() as counter:
            tally = await search(gql, query=query, filter=chosen)
        assert any("search_facet sp" in s for s in counter.statements)
        with StatementCounter() as counter:
            counted = await search(gql, query=query, filter={**chosen, "priceMin": 0})
        assert not any("search_facet sp" in s for s in counter.statements)
        assert _answer(tally) == _answer(counted), (query, chosen)
    found = await search(gql, query=word)
    assert found["totalCount"] == 4
    assert {v["value"]: v["count"] for v in found["facets"][2]["values"]} == {
        "true": 2, "false": 2
    }  # fmt: skip


async def test_new_products_count_at_once(gql):
    word = unique_word("segera")
    shops = await build(
        gql, [{"key": "a", "name": "Warung Segar", "kelurahan": "36.71.02.1001"}], []
    )
    assert (await search(gql, query=word))["totalCount"] == 0
    first = await add(
        gql, shops, {"shop": "a", "name": f"Pecel {word}", "category": "makanan-berat"}
    )
    assert (await search(gql, query=word))["totalCount"] == 1
    await add(gql, shops, {"shop": "a", "name": f"Gado {word}", "category": "makanan-berat"})
    assert (await search(gql, query=word))["totalCount"] == 2
    await gql(UPDATE, {"id": first["id"], "input": {"status": "DRAFT"}}, token=shops.token)
    assert (await search(gql, query=word))["totalCount"] == 1


async def test_sellers_adding_at_the_same_time_lose_no_count(gql):
    word = unique_word("serentak")
    shops = await build(
        gql, [{"key": "a", "name": "Pasar Serentak", "kelurahan": "36.71.03.1001"}], []
    )
    await asyncio.gather(
        *(
            add(gql, shops, {"shop": "a", "name": f"Kue {word} {n}", "category": "kue-roti"})
            for n in range(12)
        )
    )
    found = await search(gql, query=word)
    assert found["totalCount"] == 12
    assert await tallied() == await recounted()
