"""A database of the previous release, with rows in it, migrates to the newest: every column
added since gets a value in the database itself (SQLite refuses a NOT NULL column without a
default on a table with rows), on SQLite and on PostgreSQL when the tests run there."""

from __future__ import annotations

import json

from tests.migration_helpers import run_in_fresh_database


async def test_a_database_with_rows_upgrades_from_the_previous_release(tmp_path):
    after = json.loads(await run_in_fresh_database("tests.upgrade_migration", tmp_path))
    assert after == {
        "is_marketplace_admin": 0,
        "refunded_amount": 0,
        "shipping_fee": 0,
        "discount": 0,
    }
