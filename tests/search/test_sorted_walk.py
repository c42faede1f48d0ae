"""A one-word search in an order an index holds (price, best selling, rating, newest), read
down the index from the term's price bound and stopped at the page, or sorted when that
reads less (`resolvers.search.walks`): every page, followed by its cursors to the end, in
the order plain SQL gives, for words whose matches sit at either end of the order, whatever
the walk's chunks and budget, and again after each kind of write."""

import random
from collections.abc import Iterator

import pytest

from models.catalog.product import Product
from resolvers.search import postings, walks
from resolvers.search.engines import Statement, engine
from resolvers.search.index import rebuild
from tests.catalog.helpers import UPDATE_PRODUCT
from tests.search.catalogue import add, build

SORTS = ["PRICE_ASC", "PRICE_DESC", "BEST_SELLING", "RATING", "NEWEST"]
# The same keys as the search's, in plain SQL over the products' rows.
ORDER = {
    "PRICE_ASC": "sp.price ASC, sp.product_id ASC",
    "PRICE_DESC": "sp.price DESC, sp.product_id DESC",
    "BEST_SELLING": "sp.units_sold DESC, sp.product_id DESC",
    "RATING": "sp.rating DESC, sp.rating_count DESC, sp.product_id DESC",
    "NEWEST": "sp.product_id DESC",
}
# (SPREAD, WALK_PER_MATCH): as shipped; walking only, down the whole index; a walk cut
# short after a few rows, the rest sorted.
# With them, the rows a price order walks before it reads the term's price buckets: as
# shipped, one, a few.
SETTINGS = [(walks.SPREAD, walks.WALK_PER_MATCH, walks.PEEK), (1e-9, 1e9, 1), (1e-9, 0.3, 4)]
PAGE = """query($query: String, $sort: ProductSort, $first: Int, $after: String) {
  products(query: $query, sort: $sort, first: $first, after: $after) {
    pageInfo { hasNextPage endCursor } edges { node { name } } } }"""


def _word(pick: random.Random) -> str:
    """A made-up word of consonant-vowel pairs (stems to itself), in no other test's names."""
    return "".join(pick.choice("bdgjklmpst") + pick.choice("aiou") for _ in range(5))


async def _expected(word: str, sort: str) -> list[str]:
    """The products named with `word`, ordered by plain SQL (not by full-text search)."""
    st = Statement(engine())
    rows = await st.rows(
        "SELECT p.name FROM search_product sp JOIN product p ON p.id = sp.product_id"
        f" WHERE p.name LIKE {st.bind(f'% {word.title()} %')} ORDER BY {ORDER[sort]}"
    )
    return [row[0] for row in rows]


async def _walked(gql, word: str, sort: str, size: int) -> list[str]:
    """Every page of the search, following the cursors to the end."""
    seen: list[str] = []
    after = None
    while True:
        result = await gql(PAGE, {"query": word, "sort": sort, "first": size, "after": after})
        assert "errors" not in result, result
        page = result["data"]["products"]
        seen += [e["node"]["name"] for e in page["edges"]]
        assert len(page["edges"]) == size or not page["pageInfo"]["hasNextPage"]
        if not page["pageInfo"]["hasNextPage"]:
            return seen
        after = page["pageInfo"]["endCursor"]


def _names(word: str, count: int, start: int = 0) -> Iterator[str]:
    return (f"Produk {word.title()} Nomor {i}" for i in range(start, start + count))


async def _check(gql, monkeypatch, words: list[str], sort: str) -> None:
    for spread, per_match, peek in SETTINGS:
        monkeypatch.setattr(walks, "SPREAD", spread)
        monkeypatch.setattr(walks, "WALK_PER_MATCH", per_match)
        monkeypatch.setattr(walks, "PEEK", peek)
        for word in words:
            expected = await _expected(word, sort)
            for size in (2, 5, 50):
                assert await _walked(gql, word, sort, size) == expected, (word, size, spread)


@pytest.mark.parametrize(
    ("sort", "by_buckets"),
    [*((s, False) for s in SORTS), ("PRICE_ASC", True), ("PRICE_DESC", True)],
)
async def test_walked_pages_are_the_sql_order(gql, monkeypatch, sort, by_buckets):
    """Price orders: walked (with the term's price buckets left out), and read from the
    buckets (`postings`)."""
    if not by_buckets:
        monkeypatch.setattr(postings, "SORTS", ())
    pick = random.Random()
    cheap, dear, other = _word(pick), _word(pick), _word(pick)
    # `cheap` holds the catalogue's cheapest products and sells most; `dear` its dearest,
    # unsold; `other` is spread between them, so that walks pass over rows of other words.
    specs = [
        *({"name": n, "price": 1000 + 100 * (i % 3), "sold": 400 + i}
          for i, n in enumerate(_names(cheap, 7))),
        *({"name": n, "price": 90_000_000 + 1000 * (i % 4), "sold": 0}
          for i, n in enumerate(_names(dear, 7))),
        *({"name": n, "price": 2000 + 7000 * i, "sold": i % 5}
          for i, n in enumerate(_names(other, 12))),
    ]  # fmt: skip
    catalogue = await build(
        gql,
        [{"key": "s", "name": "Toko Jalan", "kelurahan": "36.71.03.1001", "verified": True}],
        [{"shop": "s", "name": s["name"], "category": "kue-roti", "price": s["price"]}
         for s in specs],
    )  # fmt: skip
    for spec in specs:
        await Product.filter(name=spec["name"]).update(units_sold=spec["sold"])
    used = {"walks": 0, "sorts": 0, "ranges": 0}
    for name in ("_walk", "_sorted"):
        monkeypatch.setattr(walks, name, _counting(getattr(walks, name), used, name))
    monkeypatch.setattr(postings, "_range", _counting(postings._range, used, "_range"))
    words = [cheap, dear]
    await _check(gql, monkeypatch, words, sort)
    # SQLite reads a word's matches newest first from FTS5 itself, without `walks`.
    by_buckets = by_buckets and engine().dialect in postings.DIALECTS
    assert (used["ranges"] > 0) == by_buckets
    walked = sort != "NEWEST" or engine().dialect != "sqlite"
    assert used["walks"] > 0 if walked else used["walks"] == 0
    assert (used["sorts"] > 0) == (walked and not by_buckets)

    async def update(name: str, **fields) -> None:
        product = catalogue.products[name]
        result = await gql(UPDATE_PRODUCT, {"id": product["id"], "input": fields},
                           token=catalogue.token)  # fmt: skip
        assert result["data"]["updateProduct"]["errors"] == [], result

    # A cheap product becomes the dearest of all, a dear one the cheapest (both widen the
    # bounds), one sells out, a new one comes, one is archived; between each, every order.
    cheapest = next(_names(cheap, 1))
    await update(cheapest, price=95_000_000)
    await update(next(_names(dear, 1)), price=500)
    await _check(gql, monkeypatch, words, sort)
    await update(next(_names(cheap, 1, start=3)), stock=0)
    await add(gql, catalogue, {"shop": "s", "name": next(_names(dear, 1, start=7)),
                               "category": "kue-roti", "price": 800})  # fmt: skip
    await update(next(_names(dear, 1, start=2)), status="ARCHIVED")
    await _check(gql, monkeypatch, words, sort)
    await _bounds_hold(cheap, dear)


def _counting(read, used: dict[str, int], name: str):
    async def counted(*args, **kwargs):
        used[{"_walk": "walks", "_sorted": "sorts", "_range": "ranges"}[name]] += 1
        return await read(*args, **kwargs)

    return counted


async def _bounds(word: str) -> tuple[int, int, int, int]:
    """The word's bounds, and its products' cheapest and dearest price."""
    st = Statement(engine())
    rows = await st.rows(
        "SELECT b.low, b.high, MIN(sp.price), MAX(sp.price) FROM search_walk_bound b,"
        " search_product sp JOIN product p ON p.id = sp.product_id"
        f" WHERE b.term = {st.bind(word)} AND p.name LIKE {st.bind(f'% {word.title()} %')}"
        " GROUP BY b.low, b.high"
    )
    return tuple(int(v) for v in rows[0])  # type: ignore[return-value]


async def _bounds_hold(cheap: str, dear: str) -> None:
    """Writes widened the bounds (never narrowed them past a product); a rebuild makes them
    exact."""
    low, high, cheapest, dearest = await _bounds(dear)
    assert low <= cheapest == 500
    assert high >= dearest
    low, high, cheapest, dearest = await _bounds(cheap)
    assert (low, high) == (1000, 95_000_000)
    assert dearest == 95_000_000
    await rebuild()
    for word in (cheap, dear):
        low, high, cheapest, dearest = await _bounds(word)
        assert (low, high) == (cheapest, dearest)


async def test_a_price_change_inside_the_bounds_leaves_them(gql):
    """Only a product priced or worded outside its terms' bounds writes them."""
    word = _word(random.Random())
    catalogue = await build(
        gql,
        [{"key": "s", "name": "Toko Batas", "kelurahan": "36.71.03.1001"}],
        [{"shop": "s", "name": n, "category": "kue-roti", "price": p}
         for n, p in zip(_names(word, 3), (4000, 6000, 9000), strict=True)],
    )  # fmt: skip
    assert (await _bounds(word))[:2] == (4000, 9000)
    middle = catalogue.products[next(_names(word, 1, start=1))]
    for price, bounds in ((5000, (4000, 9000)), (12000, (4000, 12000)), (7000, (4000, 12000))):
        result = await gql(UPDATE_PRODUCT, {"id": middle["id"], "input": {"price": price}},
                           token=catalogue.token)  # fmt: skip
        assert result["data"]["updateProduct"]["errors"] == []
        assert (await _bounds(word))[:2] == bounds
