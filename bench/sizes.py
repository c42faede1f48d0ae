"""The database's size on PostgreSQL per 100,000 products, per 10,000 members and per 10,000
savings movements (docs/operations.md, "Sizing from the benchmarks").

A fresh, migrated database gets, one step after the other: the demo catalogue (`--shops`,
`--products`, as `satupintu bench` seeds it), `--members` active members of one cooperative
with their three savings accounts and a session each (as `bench.savings` seeds them), then
one SUKARELA deposit per member through the money path (`post_deposit`: one journal entry of
two lines and the account's balance, in one transaction each). After each step every table's
`pg_total_relation_size` (rows, indexes, TOAST) is read; a step's figure is what it added,
scaled to 100,000 products or 10,000 members or movements.

    python -m bench.sizes [--shops N --products N] [--members N] [--postgres URL] [--quick]
"""

from __future__ import annotations

import argparse
import asyncio

from rich.console import Console
from rich.table import Table
from tortoise import connections
from tortoise.transactions import in_transaction

from bench.database import fresh_database, seed_benchmark_catalogue
from bench.savings import seed as seed_members
from models.cooperatives import CooperativeAdmin, Membership, SavingsKind
from resolvers.cooperatives import audit
from resolvers.cooperatives.books import Journal
from resolvers.cooperatives.savings import post_deposit

SIZES = """SELECT relname, pg_total_relation_size(relid) FROM pg_stat_user_tables"""
AMOUNT = 20_000
console = Console()


async def table_sizes() -> dict[str, int]:
    """Every table's bytes with its indexes and TOAST, vacuumed first so that the maps
    PostgreSQL keeps beside each table are counted as they will stay."""
    connection = connections.get("default")
    await connection.execute_script("VACUUM")
    rows = await connection.execute_query_dict(SIZES)
    return {row["relname"]: row["pg_total_relation_size"] for row in rows}


async def deposit_each(teller_id: int) -> int:
    """One SUKARELA deposit per active member, each in its own transaction."""
    memberships = await Membership.all()
    for membership in memberships:
        journal = Journal()
        async with in_transaction():
            await post_deposit(
                journal, membership, SavingsKind.SUKARELA, AMOUNT, actor_id=teller_id
            )
    return len(memberships)


def grown(before: dict[str, int], after: dict[str, int]) -> dict[str, int]:
    return {t: after[t] - before.get(t, 0) for t in after if after[t] != before.get(t, 0)}


async def measure(args: argparse.Namespace) -> list[tuple[str, int, int, dict[str, int]]]:
    """Per step: its name, the unit it is scaled to, how many it made, and bytes per table."""
    steps = []
    async with fresh_database(args.postgres) as (_, folder):
        empty = await table_sizes()
        await seed_benchmark_catalogue(console, folder, args.shops, args.products)
        catalogue = await table_sizes()
        steps.append(("products", 100_000, args.products, grown(empty, catalogue)))
        await seed_members(args.members)
        members = await table_sizes()
        steps.append(("members", 10_000, args.members, grown(catalogue, members)))
        teller = await CooperativeAdmin.first()
        assert teller is not None
        moved = await deposit_each(teller.user_id)
        deposits = await table_sizes()
        steps.append(("savings movements", 10_000, moved, grown(members, deposits)))
        problems = await audit()
        assert problems == [], problems[:5]
    return steps


def report(steps: list[tuple[str, int, int, dict[str, int]]]) -> None:
    for name, unit, made, tables in steps:
        table = Table(title=f"per {unit:,} {name} (measured at {made:,})")
        table.add_column("table")
        table.add_column("MB", justify="right")
        scale = unit / made / 2**20
        for relation, size in sorted(tables.items(), key=lambda item: -item[1])[:12]:
            table.add_row(relation, f"{size * scale:.1f}")
        table.add_row("all tables", f"{sum(tables.values()) * scale:.1f}")
        console.print(table)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shops", type=int, default=2000)
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--quick", action="store_true", help="20 shops, 1,000 of each")
    args = parser.parse_args(argv)
    if args.quick:
        args.shops, args.products, args.members = 20, 1000, 1000
    report(asyncio.run(measure(args)))


if __name__ == "__main__":
    main()
