"""Migration 0032 on a database with members: every existing membership is claimed (it has
its member's own account), and no claim waits."""

from __future__ import annotations

import json

from tests.migration_helpers import run_in_fresh_database


async def test_existing_memberships_are_claimed_after_the_migration(tmp_path):
    after = json.loads(await run_in_fresh_database("tests.cooperatives.claims_migration", tmp_path))
    assert after == {"claimed": 1, "claims": 0}
