"""`python -m topology.expand DATABASE_URL`: apply the topology's own migrations
(`topology/migrations`), the schema change its test's upgrade makes while serving."""

from __future__ import annotations

import asyncio
import sys

from tortoise import Tortoise
from tortoise.migrations.api import migrate

COLUMN = ("savings_account", "topology_label")
INDEX = "topology_entry_kind_created"
MIGRATIONS = "topology.migrations"


def config(database_url: str) -> dict:
    return {
        "connections": {"default": database_url},
        # Tortoise wants a models module; this app has migrations only.
        "apps": {"topology": {"models": [MIGRATIONS], "migrations": MIGRATIONS}},
    }


async def _apply(database_url: str) -> None:
    try:
        await migrate(config=config(database_url))
    finally:
        await Tortoise.close_connections()


if __name__ == "__main__":
    asyncio.run(_apply(sys.argv[1]))
