"""Migration 0034 adds the time deposits' tables, widens a journal entry's kind on PostgreSQL
and leaves SQLite's journal (and 0030's closed-year triggers) as it was; on SQLite, and on
PostgreSQL when the tests run there."""

from __future__ import annotations

import json
import os

from tests.migration_helpers import run_in_fresh_database


async def test_the_journal_keeps_its_triggers_and_takes_the_longer_kinds(tmp_path):
    found = json.loads(await run_in_fresh_database("tests.cooperatives.deposit_migration",
                                                   tmp_path))  # fmt: skip
    before, after = found["triggers"]
    assert before > 0
    assert after == before
    assert found["width"] == ([20, 24] if os.environ.get("TEST_POSTGRES_URL") else [None, None])
    assert found["deposits"] == 0
