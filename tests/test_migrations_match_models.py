"""The migrations describe the models exactly: Tortoise's autodetector, which
`python -m tortoise makemigrations` runs, finds nothing left to write."""

from __future__ import annotations

from tortoise import Tortoise
from tortoise.migrations.autodetector import MigrationAutodetector

from server.database import MIGRATION_CONFIG


async def test_the_models_need_no_new_migration(gql):  # gql: the ORM is initialised
    detector = MigrationAutodetector(Tortoise.apps, MIGRATION_CONFIG["apps"])
    pending = await detector.changes()
    assert [(w.name, w.operations) for w in pending] == []
