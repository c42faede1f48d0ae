"""Requests per second of small operations with and without the parse/validation caches.

Each variant runs in its own uvicorn process against the same migrated SQLite file;
the load generator runs here. Rounds alternate the variants so that drift hits both.

    python -m bench.caches [--requests N] [--concurrency C] [--rounds R] [--quick]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform

from rich.console import Console
from rich.table import Table

from bench.database import fresh_database
from bench.load import Result, alternate, median, prepared_post
from bench.server import bench_env, running

OPERATIONS = {
    "Regions": "query Regions { kecamatan { code name kelurahan { code name } } }",
    "Me (anonymous)": "query Me { me { id name email phone roles } }",
}
VARIANTS = ("api", "uncached")
console = Console()


async def measure(args: argparse.Namespace) -> None:
    results: dict[tuple[str, str], list[Result]] = {}
    async with fresh_database(None) as (database, folder):
        with running(VARIANTS, bench_env(database, folder)) as urls:
            for name, query in OPERATIONS.items():

                def posts(url: str, query: str = query) -> list:
                    return [prepared_post(url, {"query": query})] * args.requests

                found = await alternate(
                    urls,
                    posts,
                    rounds=args.rounds,
                    concurrency=args.concurrency,
                    label=name,
                )
                results.update({(name, variant): runs for variant, runs in found.items()})
    report(results, args)


def report(results: dict[tuple[str, str], list[Result]], args: argparse.Namespace) -> None:
    table = Table(
        title=f"{args.requests} requests x {args.rounds} rounds, concurrency {args.concurrency}"
    )
    for column in ("operation", "variant", "median rps", "p50 ms", "p95 ms", "cached/uncached"):
        table.add_column(column)
    for name in OPERATIONS:
        rps = {v: median([r.rps for r in results[(name, v)]]) for v in VARIANTS}
        for variant in VARIANTS:
            runs = results[(name, variant)]
            table.add_row(
                name,
                variant,
                f"{rps[variant]:.0f}",
                f"{median([r.percentile(0.5) for r in runs]):.2f}",
                f"{median([r.percentile(0.95) for r in runs]):.2f}",
                f"{rps['api'] / rps['uncached']:.2f}x" if variant == "api" else "",
            )
    console.print(table)
    console.print(f"{platform.python_version()} on {os.cpu_count()} cores, {platform.machine()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="a tiny run that CI keeps alive")
    args = parser.parse_args()
    if args.quick:
        args.requests, args.rounds = 100, 1
    asyncio.run(measure(args))


if __name__ == "__main__":
    main()
