"""Migration 0027 keeps the orders placed before it: Rp0 discount, no voucher code, the same
total; on SQLite, and on PostgreSQL when the tests run there."""

from __future__ import annotations

import json

from tests.migration_helpers import run_in_fresh_database


async def test_orders_placed_before_vouchers_keep_their_totals(tmp_path):
    order = json.loads(await run_in_fresh_database("tests.orders.voucher_migration", tmp_path))
    assert order == {"id": 7, "total": 45000, "discount": 0, "voucher_code": None,
                     "status": "PROCESSING", "uses": 0}  # fmt: skip
