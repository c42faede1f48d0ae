"""A sale's short path through the search index on PostgreSQL (migration 0047): selling from
a product that stays in stock writes its stock and sales into `search_product` and touches
none of the tallies, bounds or the vocabulary, while every write that changes what they
count still goes through them, and a product whose index row is missing gets it back."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg
import pytest
from tortoise import connections

from schema.platform.ids import decode_id
from tests.search.catalogue import Catalogue, build
from tests.search.test_facet_tally import recounted, tallied, unique_word

# What the statement triggers on `search_product` write or read besides the index itself.
COUNTS = (
    "search_term", "search_facet", "search_facet_change", "search_price_tally",
    "search_price_change", "search_walk_bound", "search_term_price",
)  # fmt: skip
SALE = "UPDATE product SET stock = stock - 1, units_sold = units_sold + 1 WHERE id = $1"


@pytest.fixture(autouse=True)
def postgres_only(live) -> None:
    if connections.get("default").capabilities.dialect != "postgres":
        pytest.skip("SQLite's row triggers fire only on the columns they count")


@asynccontextmanager
async def counts_locked(database_url: str) -> AsyncIterator[asyncpg.Connection]:
    """A connection to the test database while another transaction holds every count table
    locked against any use: a statement that touches one waits, and gives up after 300 ms."""
    locker = await asyncpg.connect(database_url)
    writer = await asyncpg.connect(database_url)
    try:
        await writer.execute("SET lock_timeout = '300ms'")
        locker_transaction = locker.transaction()
        await locker_transaction.start()
        await locker.execute(f"LOCK TABLE {', '.join(COUNTS)} IN ACCESS EXCLUSIVE MODE")
        yield writer
        await locker_transaction.rollback()
    finally:
        await writer.close()
        await locker.close()


async def _catalogue(gql) -> tuple[Catalogue, list[int]]:
    word = unique_word("jualan")
    catalogue = await build(
        gql, [{"key": "a", "name": "Toko Laris", "kelurahan": "36.71.04.1001"}],
        [{"shop": "a", "name": f"Keripik {word} {n}", "category": "keripik", "stock": 2}
         for n in range(3)],
    )  # fmt: skip
    return catalogue, [decode_id(p["id"], "Product") for p in catalogue.products.values()]


async def _facts(writer: asyncpg.Connection, product_id: int) -> tuple[bool, int] | None:
    row = await writer.fetchrow(
        "SELECT in_stock, units_sold FROM search_product WHERE product_id = $1", product_id
    )
    return None if row is None else (row["in_stock"], row["units_sold"])


async def test_a_sale_touches_no_count(gql, database_url: str):
    _, (sold, emptied, repriced) = await _catalogue(gql)
    async with counts_locked(database_url) as writer:
        await writer.execute(SALE, sold)
        assert await _facts(writer, sold) == (True, 1)
        # The lock catches any write that counts: a sale that empties a product,
        await writer.execute(SALE, emptied)
        with pytest.raises(asyncpg.LockNotAvailableError):
            await writer.execute(SALE, emptied)
        # and a new price.
        with pytest.raises(asyncpg.LockNotAvailableError):
            await writer.execute("UPDATE product SET price = price + 1 WHERE id = $1", repriced)


async def test_writes_that_count_still_count(gql, database_url: str):
    _, (sold, emptied, repriced) = await _catalogue(gql)
    writer = await asyncpg.connect(database_url)
    try:
        await writer.execute(SALE, sold)
        await writer.execute(SALE, emptied)
        await writer.execute(SALE, emptied)
        await writer.execute("UPDATE product SET price = price * 3, stock = 5 WHERE id = $1",
                             repriced)  # fmt: skip
        # Two products trading their facts in one statement change no count.
        await writer.execute(
            "UPDATE search_product SET in_stock = NOT in_stock WHERE product_id = ANY($1)",
            [sold, emptied],
        )
        assert await _facts(writer, emptied) == (True, 2)
        assert await tallied() == await recounted()
        await writer.execute(
            "UPDATE search_product SET in_stock = NOT in_stock WHERE product_id = ANY($1)",
            [sold, emptied],
        )
        # A product whose index row went missing gets it back with its next sale.
        await writer.execute("DELETE FROM search_product WHERE product_id = $1", sold)
        await writer.execute(SALE, sold)
        assert await _facts(writer, sold) == (False, 2)
        assert await _facts(writer, emptied) == (False, 2)
        assert await tallied() == await recounted()
    finally:
        await writer.close()
