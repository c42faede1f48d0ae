"""Run by test_scale in a process of its own (its ORM set-up must not touch the tests'
server): the benchmark catalogue seeded into fresh PostgreSQL databases by the ORM and by
COPY; prints, as JSON, each way's rows of the tables the seed and its triggers fill."""

from __future__ import annotations

import asyncio
import json
import sys
from typing import Any

from rich.console import Console
from tortoise import connections

from bench.database import bulk_save, copy_save, fresh_database, seed_benchmark_catalogue

# What the seed writes and what its triggers and the index rebuild keep.
TABLES = (
    "shop", "product", "product_variant", "image", "search_product", "search_shop",
    "search_term", "search_facet", "category_count", "city_count",
)  # fmt: skip
TIMES = ("timestamp with time zone", "timestamp without time zone")


async def rows() -> dict[str, list[list[Any]]]:
    """Every row of TABLES but their timestamps (the moment of the seed), as text, sorted."""
    client = connections.get("default")
    found = {}
    for table in TABLES:
        _, columns = await client.execute_query(
            "SELECT column_name FROM information_schema.columns WHERE table_name = $1"
            " AND data_type <> ALL($2::text[]) ORDER BY column_name",
            [table, list(TIMES)],
        )
        shown = ", ".join(f'CAST("{c[0]}" AS text)' for c in columns)
        _, values = await client.execute_query(f'SELECT {shown} FROM "{table}"')
        found[table] = sorted([list(v) for v in values], key=str)
    return found


async def seeded(postgres: str, copied: bool) -> dict[str, list[list[Any]]]:
    async with fresh_database(postgres) as (_, folder):
        save = copy_save if copied else bulk_save
        await seed_benchmark_catalogue(Console(quiet=True), folder, 7, 300, save)
        return await rows()


async def main(postgres: str) -> None:
    print(json.dumps({"orm": await seeded(postgres, False), "copy": await seeded(postgres, True)}))


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
