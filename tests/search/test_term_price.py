"""Each term's matches counted by price bucket (migration 0046) and the price pages read from
them (`resolvers.search.postings`): the counts equal a recount by plain SQL after every kind
of write (new, repriced within and across buckets, renamed, archived, a checkout-like stock
change that writes nothing), and `rebuild` recounts them; a word whose matches are spread
thin after a cheap outlier is paged by price, with writes between the pages, each page
the plain SQL order after its cursor, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import base64
import random
from collections import Counter

import pytest

from models.catalog.product import Product
from resolvers.search import postings, walks
from resolvers.search.engines import Statement, engine
from resolvers.search.index import rebuild
from tests.catalog.helpers import UPDATE_PRODUCT
from tests.search.catalogue import Catalogue, add, build
from tests.search.test_sorted_walk import ORDER, PAGE, _word

# Prices on and beside the buckets' edges (a power of ten, a change of the second digit).
EDGES = (0, 1, 9, 10, 11, 99, 100, 101, 109, 110, 999, 1000, 12_999, 13_000, 99_999,
         100_000, 10**12)  # fmt: skip


def test_buckets_are_ordered_and_hold_their_prices():
    """A bucket's prices are those whose bucket it is, and buckets follow the prices."""
    prices = sorted({e + d for e in EDGES for d in (-1, 0, 1) if e + d >= 0})
    buckets = [postings.bucket(p) for p in prices]
    assert buckets == sorted(buckets)
    for price, number in zip(prices, buckets, strict=True):
        low, high = postings.prices(number)
        assert low <= price <= high
        assert postings.bucket(low) == postings.bucket(high) == number
        assert postings.bucket(low - 1) != number if low else True
        assert postings.bucket(high + 1) != number


async def _counted(word: str) -> dict[int, int]:
    st = Statement(engine())
    rows = await st.rows(
        "SELECT bucket, products FROM search_term_price"
        f" WHERE term = {st.bind(word)} AND products <> 0"
    )
    return {int(b): int(n) for b, n in rows}


async def _recounted(word: str) -> dict[int, int]:
    """The word's products per bucket, by plain SQL over names and prices."""
    st = Statement(engine())
    rows = await st.rows(
        "SELECT sp.price FROM search_product sp JOIN product p ON p.id = sp.product_id"
        f" WHERE p.name LIKE {st.bind(f'% {word.title()} %')}"
    )
    return dict(Counter(postings.bucket(int(r[0])) for r in rows))


async def _update(gql, catalogue: Catalogue, product_name: str, **fields) -> None:
    product = catalogue.products[product_name]
    result = await gql(UPDATE_PRODUCT, {"id": product["id"], "input": fields},
                       token=catalogue.token)  # fmt: skip
    assert result["data"]["updateProduct"]["errors"] == [], result


async def test_the_counts_follow_every_write(gql):
    word, other = _word(random.Random()), _word(random.Random())
    names = [f"Barang {word.title()} {i} Pilihan" for i in range(len(EDGES))]
    catalogue = await build(
        gql,
        [{"key": "s", "name": "Toko Tepi", "kelurahan": "36.71.03.1001"}],
        [{"shop": "s", "name": n, "category": "kue-roti", "price": p}
         for n, p in zip(names, EDGES, strict=True)],
    )  # fmt: skip
    expected = await _recounted(word)
    assert len(expected) > 10
    assert await _counted(word) == expected
    steps = [
        lambda: _update(gql, catalogue, names[3], price=10),  # 10 -> 10: nothing moves
        lambda: _update(gql, catalogue, names[11], price=1050),  # within its bucket
        lambda: _update(gql, catalogue, names[12], price=13_000),  # to the next bucket
        lambda: _update(gql, catalogue, names[0], price=10**9),  # across powers of ten
        lambda: _update(gql, catalogue, names[5], name=f"Barang {other.title()} Saja"),
        lambda: _update(gql, catalogue, names[6], status="ARCHIVED"),
        lambda: add(gql, catalogue, {"shop": "s", "name": f"Baru {word.title()} Lagi",
                                     "category": "kue-roti", "price": 12_345}),
        lambda: _update(gql, catalogue, names[7], stock=0),
    ]  # fmt: skip
    for step in steps:
        await step()
        assert await _counted(word) == await _recounted(word)
        assert await _counted(other) == await _recounted(other)
    # A stock change (as a checkout makes) leaves every count, in place.
    before = await _counted(word)
    await Product.filter(name=names[8]).update(stock=3, units_sold=7)
    assert await _counted(word) == before
    st = Statement(engine())
    await st.rows(f"UPDATE search_term_price SET products = 99 WHERE term = {st.bind(word)}")
    await rebuild()
    assert await _counted(word) == await _recounted(word)


def _key(cursor: str) -> list[int]:
    raw = base64.urlsafe_b64decode(cursor.encode()).decode().partition(":")[2]
    return [int(v) for v in raw.split(",")]


async def _ordered(word: str, sort: str) -> list[tuple[list[int], str]]:
    st = Statement(engine())
    rows = await st.rows(
        "SELECT sp.price, sp.product_id, p.name FROM search_product sp"
        " JOIN product p ON p.id = sp.product_id"
        f" WHERE p.name LIKE {st.bind(f'% {word.title()} %')} ORDER BY {ORDER[sort]}"
    )
    return [([int(r[0]), int(r[1])], r[2]) for r in rows]


def _after(key: list[int], cursor: list[int] | None, sort: str) -> bool:
    return cursor is None or (key > cursor if sort == "PRICE_ASC" else key < cursor)


@pytest.mark.parametrize("sort", ["PRICE_ASC", "PRICE_DESC"])
async def test_thin_word_pages_by_price_across_writes(gql, monkeypatch, sort):
    """A word with one cheap (and one dear) outlier and its other matches spread thin among
    other words' products; between the pages its products are repriced across the cursor,
    renamed, archived and added: each page is the plain SQL order after its cursor."""
    pick = random.Random()
    word, dense = _word(pick), _word(pick)
    thin = [f"Kain {word.title()} Nomor {i}" for i in range(14)]
    specs = [
        {"name": thin[0], "price": 500},
        {"name": thin[1], "price": 900_000_000},
        *({"name": n, "price": 40_000 + 23_000 * i} for i, n in enumerate(thin[2:])),
        *({"name": f"Kain {dense.title()} Nomor {i}", "price": 1000 + 1500 * i}
          for i in range(30)),
    ]  # fmt: skip
    catalogue = await build(
        gql,
        [{"key": "s", "name": "Toko Kain", "kelurahan": "36.71.03.1001"}],
        [{"shop": "s", "name": s["name"], "category": "kue-roti", "price": s["price"]}
         for s in specs],
    )  # fmt: skip
    read = {"ranges": 0}
    ranged = postings._range

    async def counted(*args, **kwargs):
        read["ranges"] += 1
        return await ranged(*args, **kwargs)

    monkeypatch.setattr(postings, "_range", counted)
    monkeypatch.setattr(walks, "PEEK", 2)  # the walk first reads two rows of the index
    writes = [
        lambda: _update(gql, catalogue, thin[12], price=600),  # behind the cursor
        lambda: _update(gql, catalogue, thin[3], price=300_000),  # ahead
        lambda: add(gql, catalogue, {"shop": "s", "name": f"Kain {word.title()} Baru",
                                     "category": "kue-roti", "price": 150_000}),
        lambda: _update(gql, catalogue, thin[9], status="ARCHIVED"),
        lambda: _update(gql, catalogue, thin[5], name=f"Kain {dense.title()} Ganti"),
        lambda: _update(gql, catalogue, thin[1], price=45_000),
    ]  # fmt: skip
    for size in (3, 4):
        after, cursor, pages = None, None, 0
        while True:
            result = await gql(PAGE, {"query": word, "sort": sort, "first": size,
                                      "after": after})  # fmt: skip
            assert "errors" not in result, result
            page = result["data"]["products"]
            rest = [n for k, n in await _ordered(word, sort) if _after(k, cursor, sort)]
            assert [e["node"]["name"] for e in page["edges"]] == rest[:size], (size, pages)
            assert page["pageInfo"]["hasNextPage"] == (len(rest) > size)
            if not page["pageInfo"]["hasNextPage"]:
                break
            after = page["pageInfo"]["endCursor"]
            cursor = _key(after)
            if pages < len(writes) and size == 3:
                await writes[pages]()
            pages += 1
        assert pages >= 3
    # Read from the buckets where they are read (`postings.DIALECTS`), else by the walk.
    assert (read["ranges"] > 0) == (engine().dialect in postings.DIALECTS)
    assert await _counted(word) == await _recounted(word)
