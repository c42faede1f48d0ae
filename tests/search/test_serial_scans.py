"""PostgreSQL plans no parallel workers for `search_product` (migration 0045): a search reads
a page of twenty rows, and starting workers cost more than the read."""

from __future__ import annotations

import pytest
from tortoise import connections
from tortoise.transactions import in_transaction

# Settings under which the planner takes workers for any table that allows them.
CHEAP_WORKERS = """SET LOCAL parallel_setup_cost = 0; SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0; SET LOCAL min_parallel_index_scan_size = 0;"""


async def _plan(sql: str) -> str:
    async with in_transaction() as connection:
        await connection.execute_script(CHEAP_WORKERS)
        _, rows = await connection.execute_query(f"EXPLAIN {sql}")
    return "\n".join(row[0] for row in rows)


@pytest.mark.usefixtures("live")
async def test_search_product_is_read_without_parallel_workers():
    if connections.get("default").capabilities.dialect != "postgres":
        pytest.skip("SQLite has no parallel scans")
    # The same settings take workers for another table,
    assert "Gather" in await _plan("SELECT count(*) FROM product WHERE price > 0")
    # but none for the search index, by a scan or by a walk down one of its indexes.
    assert "Gather" not in await _plan("SELECT count(*) FROM search_product WHERE price > 0")
    assert "Gather" not in await _plan(
        "SELECT product_id FROM search_product WHERE verified AND in_stock AND price > 0"
        " ORDER BY product_id DESC LIMIT 21"
    )
