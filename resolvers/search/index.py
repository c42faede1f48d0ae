"""Writing the words search matches: per product or shop as they change, or all at once.

The facts of a product's search row (price, stock, region, ...) follow the product and
its shop through database triggers; only words need Python (the stemmer), so callers
run these functions in the transaction that saves the product or shop.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient

from resolvers.search import postings, text, walks
from resolvers.search.engines import Engine, Statement, Words, engine
from resolvers.search.products import PRICE_SHIFTS

BATCH = 5000

PRODUCT_WORDS = """
SELECT p.id, p.name, p.description, p.category_id, s.name
FROM search_product sp JOIN product p ON p.id = sp.product_id JOIN shop s ON s.id = p.shop_id
"""
# Touching an active product without a search row lets its trigger add the row, so the
# triggers stay the one definition of a row's facts. NOT EXISTS, not NOT IN: PostgreSQL
# hashes a NOT IN list only while it fits in work_mem, and beyond (about 400,000 rows at
# the default 4 MB) reads the whole list again for every product.
ADD_MISSING_PRODUCTS = """
UPDATE product SET status = status
WHERE status = 'ACTIVE'
AND NOT EXISTS (SELECT 1 FROM search_product sp WHERE sp.product_id = product.id)
"""

# The price tally (migration 0041) counted again from the index. Its triggers keep it, but
# after a bulk load (or a suspected drift) `rebuild` makes sure.
PRICE_TALLY_RECOUNT = f"""
INSERT INTO search_price_tally (shift, bucket, category_id, kecamatan, is_halal, products, stocked)
SELECT l.value, sp.price >> l.value, sp.category_id, sp.kecamatan, sp.is_halal, COUNT(*),
    SUM(CASE WHEN sp.in_stock THEN 1 ELSE 0 END)
FROM search_product sp, ({" UNION ALL ".join(f"SELECT {s} AS value" for s in PRICE_SHIFTS)}) l
GROUP BY l.value, sp.price >> l.value, sp.category_id, sp.kecamatan, sp.is_halal
ORDER BY l.value, sp.price >> l.value, sp.category_id, sp.kecamatan, sp.is_halal
"""

CATEGORY_NAMES = """
SELECT c.id, c.name, COALESCE(p.name, '') FROM category c LEFT JOIN category p ON p.id = c.parent_id
"""


def _joined(stems: list[str]) -> str:
    return " ".join(stems)


async def _product_words(search: Engine, rows: Sequence[Any]) -> list[Words]:
    # Read here rather than from a cache: migrations index through their own connection.
    _, categories = await search.client.execute_query(CATEGORY_NAMES)
    names = {row[0]: f"{row[1]} {row[2]}" for row in categories}
    found = []
    for product_id, name, description, category_id, shop_name in rows:
        name_terms = text.terms(name)
        more = " ".join([names[category_id], shop_name, description])
        extra = [t for t in text.terms(more) if t not in name_terms]
        found.append((product_id, _joined(name_terms), _joined(extra), " ".join(text.words(name))))
    return found


def _shop_words(shop_id: int, name: str, description: str) -> Words:
    name_terms = text.terms(name)
    extra = [t for t in text.terms(description) if t not in name_terms]
    return (shop_id, _joined(name_terms), _joined(extra), " ".join(text.words(name)))


async def index_products(product_ids: Sequence[int]) -> None:
    """Write the words of these products (those that are ACTIVE; others have no row)."""
    if not product_ids:
        return
    search = engine()
    st = Statement(search)
    rows = await st.rows(f"{PRODUCT_WORDS} WHERE sp.product_id IN ({st.bind_all(product_ids)})")
    await search.write_words("search_product", await _product_words(search, rows))


async def index_shop(shop_id: int, name: str, description: str, *, products: bool) -> None:
    """Write a shop's words, and with `products` those of its products (they hold its name)."""
    search = engine()
    await search.write_words("search_shop", [_shop_words(shop_id, name, description)])
    if products:
        st = Statement(search)
        rows = await st.rows(f"{PRODUCT_WORDS} WHERE sp.shop_id = {st.bind(shop_id)}")
        await search.write_words("search_product", await _product_words(search, rows))


async def rebuild(client: BaseDBAsyncClient | None = None) -> None:
    """Index every shop and active product again, in batches (after bulk inserts)."""
    search = engine(client)
    await search.client.execute_query(ADD_MISSING_PRODUCTS)
    await _rebuild_products(search)
    _, shops = await search.client.execute_query("SELECT id, name, description FROM shop")
    for start in range(0, len(shops), BATCH):
        batch = shops[start : start + BATCH]
        await search.write_words("search_shop", [_shop_words(*row) for row in batch])
    await _recount_prices(search)
    await walks.exact_bounds(search)
    await postings.recount(search)
    await search.analyze()


async def _recount_prices(search: Engine) -> None:
    """The price tally counted again, in one transaction. On PostgreSQL writers apply their
    changes to it at commit (0041): the lock holds them until the recount is committed, so a
    change is either in the index the recount reads (committed, applied before) or applied
    after it (not yet committed)."""
    lock = (
        ["LOCK TABLE search_price_tally IN EXCLUSIVE MODE"] if search.dialect == "postgres" else []
    )
    await search.in_transaction([*lock, "DELETE FROM search_price_tally", PRICE_TALLY_RECOUNT])


async def _rebuild_products(search: Engine) -> None:
    last = 0
    while True:
        st = Statement(search)
        rows = await st.rows(
            f"{PRODUCT_WORDS} WHERE sp.product_id > {st.bind(last)}"
            f" ORDER BY sp.product_id LIMIT {BATCH}"
        )
        if not rows:
            return
        await search.write_words("search_product", await _product_words(search, rows))
        last = rows[-1][0]
