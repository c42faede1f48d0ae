"""`satupintu bench`: SearchProducts through the API beside the floor and a naive build.

1. A fresh SQLite file or PostgreSQL database gets the demo catalogue (default 2,000 shops,
   100,000 products with Indonesian names over the 104 kelurahan).
2. The search engine is timed in-process on a fixed query mix (common and rare words,
   typos, filters only), on search-box prefixes, and per kind of search
   (`bench.search_kinds`: `--per-kind` searches of each, words drawn from the catalogue):
   p50/p95/p99.
3. Three servers, one uvicorn worker each, answer the contract's `SearchProducts` for
   20 hits over the same mix, and over a mix where every other search is a heavy kind
   (filtered or sorted over thousands of matches): (a) the API, (b) a hand-written
   Starlette endpoint with the same SQL and JSON (`bench.handwritten`), (c) a naive
   Strawberry + Tortoise build with per-row lookups and no caches (`bench.naive`). Rounds
   alternate the servers; figures are medians of the rounds, with the ratios a/b and a/c.
4. The API alone: p99 latency at one connection over the same mix, and per kind of search
   (one keep-alive connection, sequential, after a warm-up); and a mixed workload
   (`bench.mixed`, at `--mixed-concurrency` connections) with the share of operations
   answered from compiled plans and, per kind of request, its count, p50/p95/p99 and errors.
5. On PostgreSQL, the API with one uvicorn worker against two (`bench.workers`): the search
   mix and the mixed workload in alternating rounds, with the cores the server, PostgreSQL,
   the load generator and everything else used meanwhile (SQLite's single writer file is
   not served by several processes in production).

The run fails after the report when any answer of the mixed workload had errors, or, from
100,000 products and not `--quick`, when a kind of search's one-connection p99 is over
50 ms or its engine p95 over 10 ms, or a kind of request's p99 in the mixed workload is over
100 ms.

`--scale` measures instead how the engine's cost per kind of search grows with the
catalogue, on PostgreSQL (`bench.scale`; not part of the quick run).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
from dataclasses import replace
from functools import partial
from typing import Any

from rich.console import Console
from rich.table import Table

from bench import scale
from bench.database import fresh_database, seed_benchmark_catalogue
from bench.load import Result, alternate, median, percentile, prepared_post, run_prepared
from bench.mixed import WEIGHTS, Actors, MixedRun, demo_members, mix, run_mixed, seed_actors
from bench.search_kinds import half_heavy, kinds
from bench.search_mix import MIX, MixSearch, run_mix, run_suggestions
from bench.server import bench_env, compiled_share, running
from bench.workers import GROUPS, Runs, compare, servers
from schema.execution import contract_operation

VARIANTS = ("api", "handwritten", "naive")
# A kind of search fails the run from this many products when over either target (ms).
TARGETS_FROM = 100_000
ONE_CONNECTION_P99 = 50.0
ENGINE_P95 = 10.0
MIXED_P99 = 100.0
SEARCH = contract_operation("SearchProducts")
console = Console()


def variables(search: MixSearch) -> dict:
    """The GraphQL variables a client sends for one search of the mix."""
    chosen = search.filter
    given = {
        "categories": chosen.categories, "kecamatan": chosen.kecamatan,
        "kelurahan": chosen.kelurahan, "priceMin": chosen.price_min,
        "priceMax": chosen.price_max, "halal": chosen.halal, "inStock": chosen.in_stock,
    }  # fmt: skip
    found: dict[str, Any] = {"query": search.query, "sort": search.sort.value, "first": 20}
    found["filter"] = {k: v for k, v in given.items() if v is not None} or None
    return {k: v for k, v in found.items() if v is not None}


def body(url: str, search: MixSearch) -> bytes:
    return prepared_post(url, {"query": SEARCH, "variables": variables(search)})


def requests(url: str, count: int, mix: list[MixSearch] = MIX) -> list[bytes]:
    """`count` requests cycling through `mix`."""
    bodies = [body(url, s) for s in mix]
    return [bodies[i % len(bodies)] for i in range(count)]


def percentiles(samples: list[float]) -> tuple[float, float, float]:
    """p50, p95 and p99 of `samples`, in their unit."""
    return percentile(samples, 0.5), percentile(samples, 0.95), percentile(samples, 0.99)


async def measure(args: argparse.Namespace) -> None:
    postgres = args.postgres if args.database == "postgres" else None
    async with fresh_database(postgres) as (database, folder):
        members = await demo_members()
        await seed_benchmark_catalogue(console, folder, args.shops, args.products)
        await run_mix(rounds=1)  # warm the engine's caches and the database's pages
        searches = [ms for runs in (await run_mix(rounds=args.mix_rounds)).values() for ms in runs]
        prefixes = [
            ms for runs in (await run_suggestions(rounds=args.mix_rounds)).values() for ms in runs
        ]
        by_kind = await kinds(args.per_kind)
        engine_kinds = await engine_per_kind(by_kind)
        heavy = half_heavy(MIX, by_kind)
        env = bench_env(database, folder)
        with running(VARIANTS, env) as urls:
            results = {}
            for label, chosen in (("project's mix", MIX), ("half heavy", heavy)):
                results[label] = await alternate(
                    urls,
                    partial(requests, count=args.requests, mix=chosen),
                    rounds=args.rounds,
                    concurrency=args.concurrency,
                    label=f"SearchProducts, {label}",
                )
            share = compiled_share(urls["api"])
            api_kinds = await api_per_kind(urls["api"], by_kind)
            single = await run_prepared(
                urls["api"], requests(urls["api"], args.requests), concurrency=1
            )
            # After the searches: the buyers' carts raise every product's stock. Buyers for
            # this mixed run and, on PostgreSQL, for the workers' 2 x rounds mixed runs.
            runs = 1 + 2 * args.rounds * (args.database == "postgres")
            actors = await seed_actors(args.mixed * runs, members)
            mine = len(actors.checkouts) // runs
            first = replace(actors, checkouts=actors.checkouts[:mine])
            mixed = await mixed_run(urls["api"], first, args)
        workers = None
        if args.database == "postgres":
            with servers(env) as served:
                workers = await compare(
                    served, partial(requests, count=args.requests),
                    replace(actors, checkouts=actors.checkouts[mine:]),
                    rounds=args.rounds, concurrency=args.concurrency, mixed=args.mixed,
                    mixed_concurrency=args.mixed_concurrency,
                )  # fmt: skip
    for label, found in results.items():
        report(label, found, args)
    report_engine({"search mix": searches, "suggestions": prefixes}, args)
    shown = "no operations" if share is None else f"{share:.0%} of operations"
    console.print(f"api: {shown} answered from compiled plans")
    report_api(single, mixed, args)
    slow_kinds = report_kinds(mixed.result)
    report_workers(workers, args)
    over = report_per_kind(engine_kinds, api_kinds, args)
    failed = sum(t.error is not None for t in mixed.result.timings)
    if failed:
        raise SystemExit(f"mixed workload: {failed} of {args.mixed} answers had errors")
    if args.quick or args.products < TARGETS_FROM:
        return
    if over:
        raise SystemExit(f"kinds of search over their targets: {', '.join(over)}")
    if slow_kinds:
        raise SystemExit(f"mixed workload, p99 over {MIXED_P99:.0f} ms: {', '.join(slow_kinds)}")


async def engine_per_kind(by_kind: dict[str, list[MixSearch]]) -> dict[str, list[float]]:
    """Each kind's searches timed in-process, after a warm-up of a few of each."""
    await run_mix(rounds=1, mix=[s for searches in by_kind.values() for s in searches[:10]])
    return await run_mix(rounds=1, mix=[s for searches in by_kind.values() for s in searches])


async def api_per_kind(url: str, by_kind: dict[str, list[MixSearch]]) -> dict[str, list[float]]:
    """Each kind's searches through the API on one keep-alive connection, one at a time,
    after a warm-up of a few of each: kind -> latencies in milliseconds."""
    warm = [body(url, s) for searches in by_kind.values() for s in searches[:10]]
    await run_prepared(url, warm, concurrency=1)
    timed = [(kind, body(url, s)) for kind, searches in by_kind.items() for s in searches]
    found = (await run_prepared(url, timed, concurrency=1)).by_kind()
    return {kind: [t.seconds * 1000 for t in timings] for kind, timings in found.items()}


def report_per_kind(
    engine_kinds: dict[str, list[float]],
    api_kinds: dict[str, list[float]],
    args: argparse.Namespace,
) -> list[str]:
    """The per-kind table; the kinds over a target (engine p95, one-connection p99)."""
    title = (
        f"SearchProducts per kind of search, {args.per_kind} each ({args.products} products):"
        f" engine in-process and api at one connection (targets: engine p95 under"
        f" {ENGINE_P95:.0f} ms, api p99 under {ONE_CONNECTION_P99:.0f} ms)"
    )
    table = Table(title=title)
    for column in ("kind", "engine p50", "engine p95", "engine p99", "api p50", "api p95",
                   "api p99", "over"):  # fmt: skip
        table.add_column(column)
    over = []
    for kind, samples in engine_kinds.items():
        engine_cuts, api_cuts = percentiles(samples), percentiles(api_kinds[kind])
        missed = [
            what
            for what, late in (
                ("engine p95", engine_cuts[1] > ENGINE_P95),
                ("api p99", api_cuts[2] > ONE_CONNECTION_P99),
            )
            if late
        ]
        if missed:
            over.append(f"{kind} ({' and '.join(missed)})")
        table.add_row(kind, *(f"{v:.1f}" for v in (*engine_cuts, *api_cuts)), ", ".join(missed))
    console.print(table)
    return over


async def mixed_run(url: str, actors: Actors, args: argparse.Namespace) -> MixedRun:
    searches = requests(url, len(MIX))
    return await run_mixed(url, mix(url, searches, actors, args.mixed), args.mixed_concurrency)


def report_workers(workers: dict[str, Runs] | None, args: argparse.Namespace) -> None:
    """Each workload's rps with one and two workers, their ratio (target 1.8), and the cores
    each group of processes used (medians of the rounds)."""
    if workers is None:
        console.print("two workers only on PostgreSQL: SQLite is one file with one writer")
        return
    table = Table(
        title=f"api with 1 and 2 uvicorn workers, {args.rounds} alternating rounds (medians);"
        f" cores used during the run by: the api's processes, PostgreSQL's backends, the load"
        f" generator, all else on the machine ({os.cpu_count()} cores)"
    )
    for column in ("workload", "workers", "rps", "2 / 1 (target 1.8)", "api", "postgres",
                   "client", "other"):  # fmt: skip
        table.add_column(column)
    for label, runs in workers.items():
        for n in (1, 2):
            ratio = f"{runs.rps(2) / runs.rps(1):.2f}" if n == 2 else ""
            cores = (f"{runs.cores(n, group):.2f}" for group in GROUPS)
            table.add_row(label, str(n), f"{runs.rps(n):.0f}", ratio, *cores)
    console.print(table)


def report_api(single: Result, mixed: MixedRun, args: argparse.Namespace) -> None:
    console.print(
        f"api SearchProducts at one connection: p50 {single.percentile(0.5):.1f} ms, "
        f"p99 {single.percentile(0.99):.1f} ms (target under 50 ms)"
    )
    weights = ", ".join(f"{kind} {n}" for kind, n in WEIGHTS.items())
    table = Table(title=f"Mixed workload on the api, {args.mixed} requests ({weights} per 20)")
    for column in ("concurrency", "rps", "p50 ms", "p95 ms", "p99 ms", "from compiled plans"):
        table.add_column(column)
    result, share = mixed.result, mixed.compiled_share
    table.add_row(
        str(args.mixed_concurrency),
        f"{result.rps:.0f}",
        *(f"{result.percentile(p):.1f}" for p in (0.5, 0.95, 0.99)),
        "-" if share is None else f"{share:.0%}",
    )
    console.print(table)


def report_kinds(result: Result) -> list[str]:
    """The mix's latency and errors per kind of request (error answers are timed too), and
    the first error of each kind that had any; the kinds whose p99 is over MIXED_P99."""
    table = Table(title=f"Mixed workload by kind of request (target p99 under {MIXED_P99:.0f} ms)")
    for column in ("kind", "requests", "p50 ms", "p95 ms", "p99 ms", "errors"):
        table.add_column(column)
    slow = []
    groups = result.by_kind()
    errors = {kind: [t.error for t in timings if t.error] for kind, timings in groups.items()}
    for kind in sorted(groups, key=list(WEIGHTS).index):
        cuts = percentiles([t.seconds * 1000 for t in groups[kind]])
        if cuts[2] > MIXED_P99:
            slow.append(f"{kind} ({cuts[2]:.0f} ms)")
        table.add_row(
            kind, str(len(groups[kind])), *(f"{v:.1f}" for v in cuts), str(len(errors[kind]))
        )
    console.print(table)
    for kind, found in errors.items():
        if found:
            console.print(f"{kind}: first error {found[0]}", style="red", markup=False)
    return slow


def where(args: argparse.Namespace) -> str:
    return f"{args.database}, {args.shops} shops, {args.products} products"


def report(label: str, results: dict[str, list[Result]], args: argparse.Namespace) -> None:
    load = f"concurrency {args.concurrency}, {args.requests} requests x {args.rounds} rounds"
    table = Table(title=f"SearchProducts, {label}, 20 hits over HTTP ({where(args)}); {load}")
    for column in ("variant", "rps", "p50 ms", "p95 ms", "p99 ms", "api / this"):
        table.add_column(column)
    rps = {v: median([r.rps for r in runs]) for v, runs in results.items()}
    for variant, runs in results.items():
        table.add_row(
            variant,
            f"{rps[variant]:.0f}",
            *(f"{median([r.percentile(p) for r in runs]):.1f}" for p in (0.5, 0.95, 0.99)),
            "" if variant == "api" else f"{rps['api'] / rps[variant]:.2f}",
        )
    console.print(table)


def report_engine(engine: dict[str, list[float]], args: argparse.Namespace) -> None:
    engine_table = Table(
        title=f"Search engine in-process ({where(args)}), {args.mix_rounds} rounds"
    )
    for column in ("what", "searches", "p50 ms", "p95 ms", "p99 ms"):
        engine_table.add_column(column)
    for what, samples in engine.items():
        engine_table.add_row(what, str(len(samples)), *(f"{v:.1f}" for v in percentiles(samples)))
    console.print(engine_table)
    console.print(
        f"Python {platform.python_version()} on {os.cpu_count()} cores, {platform.machine()}, "
        f"{platform.processor() or 'unknown CPU'}"
    )


def parser() -> argparse.ArgumentParser:
    found = argparse.ArgumentParser(
        prog="satupintu bench",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    found.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    found.add_argument(
        "--postgres",
        default="postgres://postgres@127.0.0.1:5432",
        help="PostgreSQL server for --database postgres (a fresh database is made on it)",
    )
    found.add_argument("--shops", type=int, default=2000)
    found.add_argument("--products", type=int, default=100_000)
    found.add_argument("--requests", type=int, default=400, help="per variant and round")
    found.add_argument("--rounds", type=int, default=3)
    found.add_argument("--concurrency", type=int, default=16)
    found.add_argument("--mixed", type=int, default=2000, help="requests of the mixed workload")
    found.add_argument(
        "--mixed-concurrency", type=int, default=8, help="connections of the mixed workload"
    )
    found.add_argument("--mix-rounds", type=int, default=5, help="rounds of the engine mix")
    found.add_argument("--per-kind", type=int, default=150, help="searches of each kind")
    found.add_argument("--quick", action="store_true", help="a tiny run that CI keeps alive")
    found.add_argument(
        "--scale",
        action="store_true",
        help="time each kind of search in the engine at each of --sizes products (PostgreSQL)",
    )
    found.add_argument(
        "--sizes",
        type=lambda text: [int(n) for n in text.split(",")],
        default=list(scale.SIZES),
        help="products per size for --scale, comma-separated",
    )
    found.add_argument(
        "--scale-target",
        type=float,
        default=scale.TARGET_P95,
        help="--scale: p95 ms each kind must stay under at the largest size (from 1,000,000)",
    )
    found.add_argument(
        "--keep",
        nargs="?",
        const="satupintu_scale",
        metavar="PREFIX",
        help="--scale: keep each size's database (PREFIX_<products>, by default"
        " satupintu_scale_<products>) and reuse it, migrated, in later runs instead of seeding",
    )
    found.add_argument(
        "--plans",
        default="scale-plans.txt",
        help="--scale writes the EXPLAIN ANALYZE of the kinds over target here",
    )
    return found


def main(argv: list[str] | None = None) -> None:
    args = parser().parse_args(argv)
    if args.scale:
        asyncio.run(scale.measure(args))
        return
    if args.quick:
        args.shops, args.products, args.requests, args.rounds, args.mix_rounds = 20, 400, 60, 1, 1
        args.mixed, args.per_kind = 100, 10
    asyncio.run(measure(args))


if __name__ == "__main__":
    main()
