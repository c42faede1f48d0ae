"""Every foreign key the loaders and resolvers look rows up by leads an index, on both
databases (neither indexes foreign keys by itself)."""

import pytest
from tortoise import connections

LOOKUPS = [
    ("image", "product_id"), ("image", "digest"), ("shop", "owner_id"), ("product", "shop_id"),
    ("api_key", "user_id"), ("cooperative_admin", "user_id"), ("membership", "user_id"),
    ("order_line", "order_id"), ("order_status_change", "order_id"), ("payment", "order_id"),
    ("order", "buyer_id"), ("order", "shop_id"), ("cart_line", "buyer_id"),
]  # fmt: skip

SQLITE = """
SELECT ii.name FROM pragma_index_list(?) il JOIN pragma_index_info(il.name) ii
WHERE ii.seqno = 0
"""
POSTGRES = """
SELECT a.attname FROM pg_index i
JOIN pg_class t ON t.oid = i.indrelid
JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = i.indkey[0]
WHERE t.relname = $1
"""


async def leading_columns(table: str) -> set[str]:
    client = connections.get("default")
    postgres = client.capabilities.dialect == "postgres"
    _, rows = await client.execute_query(POSTGRES if postgres else SQLITE, [table])
    return {row[0] for row in rows}


@pytest.mark.parametrize(("table", "column"), LOOKUPS, ids=[f"{t}.{c}" for t, c in LOOKUPS])
async def test_lookup_column_leads_an_index(live, table, column):
    assert column in await leading_columns(table)
