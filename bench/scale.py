"""`satupintu bench --scale`: how the engine's cost per kind of search grows with the catalogue.

For each size (default 10,000, 100,000 and 1,000,000 products, one shop per 50 products) a
fresh PostgreSQL database gets the demo catalogue by COPY (`bench.database.copy_save`; the
search rows and tallies follow from the triggers and the index rebuild, as after any bulk
load), then every kind of search (`bench.search_kinds`) is timed in-process after a warm-up.
The table gives each kind's p95 per size and its growth from the smallest size to the
largest. For the kinds over the target at the largest size, the statements of one search
are run again under `EXPLAIN (ANALYZE, BUFFERS)` and their plans written to a file.
With `--keep` each size's database is kept and later runs reuse it, migrated to the current
migrations (which bring their tallies up to date as on any upgrade), instead of seeding again.
"""

from __future__ import annotations

import argparse
import logging
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table
from tortoise import connections

from bench.database import fresh_database, kept_database, seed_benchmark_catalogue
from bench.load import percentile
from bench.search_kinds import kinds
from bench.search_mix import MixSearch, run_mix

SIZES = (10_000, 100_000, 1_000_000)
PRODUCTS_PER_SHOP = 50
TARGET_P95 = 15.0  # ms, at the largest size
console = Console()


@dataclass(frozen=True)
class Size:
    """One size's run: seconds to seed, each kind's engine latencies (ms), and the plans of
    the statements of one search of each kind over the target."""

    products: int
    seed_seconds: float
    latencies: dict[str, list[float]]
    plans: dict[str, list[Plan]]


@dataclass(frozen=True)
class Plan:
    sql: str
    milliseconds: float
    text: str


class Statements(logging.Handler):
    """The statements Tortoise sends while installed, with their parameters."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.sent: list[tuple[str, list[Any]]] = []

    def emit(self, record: logging.LogRecord) -> None:
        match record.args:
            case (str() as sql, list() | tuple() | None as params) if (
                sql.lstrip().upper().startswith(("SELECT", "WITH"))
            ):
                self.sent.append((sql, list(params or [])))


async def explain(search: MixSearch) -> list[Plan]:
    """Run `search` once, then each of its statements again under EXPLAIN ANALYZE."""
    logger = logging.getLogger("tortoise.db_client")
    level, handler = logger.level, Statements()
    logger.setLevel(logging.DEBUG)
    logger.addHandler(handler)
    try:
        await run_mix(rounds=1, mix=[search])
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    client = connections.get("default")
    plans = []
    for sql, params in handler.sent:
        _, rows = await client.execute_query(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
        lines = [row[0] for row in rows]
        took = next(
            float(line.split(":")[1].split()[0]) for line in lines if "Execution Time" in line
        )
        plans.append(Plan(sql, took, "\n".join(lines)))
    return plans


async def measure_size(products: int, args: argparse.Namespace) -> Size:
    shops = max(1, products // PRODUCTS_PER_SHOP)
    started = time.perf_counter()
    if not args.keep:
        async with fresh_database(args.postgres) as (_, folder):
            await seed_benchmark_catalogue(console, folder, shops, products)
            return await timed(products, time.perf_counter() - started, args)

    async def seed(folder: Path) -> None:
        await seed_benchmark_catalogue(console, folder, shops, products)

    async with kept_database(args.postgres, f"{args.keep}_{products}", seed) as seeded:
        # A kept catalogue's seed time is not this run's: shown as 0.
        return await timed(products, time.perf_counter() - started if seeded else 0.0, args)


async def timed(products: int, seeded: float, args: argparse.Namespace) -> Size:
    """Every kind of search timed in the current database of `products` products (seeded in
    `seeded` seconds); at the largest size, the plans of the kinds over the target."""
    by_kind = await kinds(args.per_kind)
    await run_mix(rounds=1, mix=[s for searches in by_kind.values() for s in searches[:10]])
    latencies = await run_mix(rounds=1, mix=[s for searches in by_kind.values() for s in searches])
    plans = {}
    if products == max(args.sizes):
        for kind, samples in latencies.items():
            if percentile(samples, 0.95) > args.scale_target:
                slowest = max(range(len(samples)), key=samples.__getitem__)
                plans[kind] = await explain(by_kind[kind][slowest])
    console.log(f"{products} products: seeded in {seeded:.0f} s, every kind timed")
    return Size(products, seeded, latencies, plans)


def report(sizes: list[Size], args: argparse.Namespace) -> list[str]:
    """The table kinds x sizes (p95, and p50 in brackets), growth, and the kinds over the
    target at the largest size."""
    table = Table(
        title=f"Engine p95 ms per kind of search by catalogue size (p50 in brackets), PostgreSQL,"
        f" {args.per_kind} searches per kind; target p95 under {args.scale_target:g} ms at the"
        " largest size"
    )
    table.add_column("kind")
    for size in sizes:
        table.add_column(f"{size.products:,}")
    table.add_column("p95 growth")
    table.add_column("over")
    over = []
    for kind in sizes[0].latencies:
        p95 = [percentile(s.latencies[kind], 0.95) for s in sizes]
        cells = [
            f"{p:.1f} ({percentile(s.latencies[kind], 0.5):.1f})"
            for p, s in zip(p95, sizes, strict=True)
        ]
        missed = p95[-1] > args.scale_target
        if missed:
            over.append(kind)
        table.add_row(kind, *cells, f"{p95[-1] / p95[0]:.1f}x", "over" if missed else "")
    seeds = (f"{s.seed_seconds:.0f}" if s.seed_seconds else "kept" for s in sizes)
    table.add_row("seed seconds", *seeds, "", "")
    console.print(table)
    return over


def write_plans(sizes: list[Size], to: Path) -> None:
    largest = sizes[-1]
    with to.open("w") as out:
        for kind, plans in largest.plans.items():
            out.write(f"## {kind} ({largest.products:,} products)\n\n")
            for plan in plans:
                out.write(f"-- {plan.milliseconds:.1f} ms\n{plan.sql}\n\n{plan.text}\n\n")
    for kind, plans in largest.plans.items():
        shown = ", ".join(f"{p.milliseconds:.1f}" for p in plans)
        console.print(f"{kind}: {len(plans)} statements, EXPLAIN ANALYZE ms: {shown}")
    if largest.plans:
        console.print(f"plans written to {to}")


async def measure(args: argparse.Namespace) -> None:
    sizes: list[Size] = []
    for products in sorted(args.sizes):  # the table so far after each size: the largest is long
        sizes.append(await measure_size(products, args))
        over = report(sizes, args)
    write_plans(sizes, Path(args.plans))
    if over and max(args.sizes) >= SIZES[-1]:
        raise SystemExit(f"kinds of search over {args.scale_target:g} ms p95: {', '.join(over)}")
