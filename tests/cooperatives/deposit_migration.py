"""Run by test_deposit_migration in a process of its own (its ORM set-up must not touch the
tests' server): a database at 0033 migrated to the newest; prints, as JSON, the journal's
triggers before and after, the width of a journal entry's kind and the new tables' rows."""

from __future__ import annotations

import asyncio
import json
import sys

from tortoise import Tortoise
from tortoise.migrations.api import migrate

from server.database import prepare, tortoise_config

# The journal's own triggers: later migrations may add triggers to other tables.
SQLITE_TRIGGERS = """SELECT COUNT(*) AS n FROM sqlite_master
WHERE type = 'trigger' AND tbl_name LIKE 'journal%'"""
POSTGRES_TRIGGERS = """SELECT COUNT(*) AS n FROM information_schema.triggers
WHERE event_object_table LIKE 'journal%'"""
KIND_WIDTH = """SELECT character_maximum_length AS n FROM information_schema.columns
WHERE table_name = 'journal_entry' AND column_name = 'kind'"""


async def _triggers(config: dict) -> tuple[int, int | None, int | None]:
    await Tortoise.init(config=config)
    connection = Tortoise.get_connection("default")
    postgres = connection.capabilities.dialect == "postgres"
    found = await connection.execute_query_dict(POSTGRES_TRIGGERS if postgres else SQLITE_TRIGGERS)
    width = (await connection.execute_query_dict(KIND_WIDTH))[0]["n"] if postgres else None
    tables = await connection.execute_query_dict(
        "SELECT COUNT(*) AS n FROM time_deposit"
        if await _has_deposits(connection, postgres)
        else "SELECT -1 AS n"
    )
    await Tortoise.close_connections()
    return int(found[0]["n"]), width, tables[0]["n"]


async def _has_deposits(connection, postgres: bool) -> bool:
    query = (
        "SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_name = 'time_deposit'"
        if postgres
        else "SELECT COUNT(*) AS n FROM sqlite_master WHERE name = 'time_deposit'"
    )
    return bool((await connection.execute_query_dict(query))[0]["n"])


async def main(url: str) -> None:
    prepare(url)
    config = tortoise_config(url)
    await migrate(config=config, target="satupintu.0033_platform_books")
    before, width_before, _ = await _triggers(config)
    await migrate(config=config)
    after, width, deposits = await _triggers(config)
    print(json.dumps({"triggers": [before, after], "width": [width_before, width],
                      "deposits": deposits}))  # fmt: skip


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
