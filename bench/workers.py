"""Throughput of the API with one uvicorn worker against two, and where the CPU went.

Both servers run at once on the same database (an idle server costs nothing) and take turns,
round by round, with the search mix and then the mixed workload; the order flips every other
round. During each run the CPU time of every process involved is read from /proc: the
server's processes (uvicorn and its workers), the PostgreSQL backends serving the benchmark's
database, the load generator (this process), and the whole machine (/proc/stat), whose rest
is other work on a shared machine.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path

from tortoise import connections

from bench.load import Result, median, run_prepared
from bench.mixed import Actors, mix, run_mixed
from bench.server import processes

TICK = os.sysconf("SC_CLK_TCK")
GROUPS = ("api", "postgres", "client", "other")


def process_seconds(pid: int) -> float:
    """CPU seconds (user and system) that process `pid` used so far; 0 once it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except (FileNotFoundError, ProcessLookupError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICK  # utime, stime (fields 14 and 15)


def descendants(pid: int) -> list[int]:
    """`pid` and every process below it."""
    found = [pid]
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        for child in task.read_text().split():
            found += descendants(int(child))
    return found


def machine_seconds() -> float:
    """CPU seconds the whole machine was busy so far (all cores, all but idle and iowait)."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    return (sum(values) - values[3] - values[4]) / TICK


async def backends() -> list[int]:
    """The PostgreSQL backends connected to the benchmark's database."""
    _, rows = await connections.get("default").execute_query(
        "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
    )
    return [row[0] for row in rows]


@dataclass
class Cpu:
    """Cores used on average during a run, per group of processes (GROUPS)."""

    cores: dict[str, float] = field(default_factory=dict)


async def measured(server: int, run: Callable[[], Awaitable[Result]]) -> tuple[Result, Cpu]:
    """`run` against the server whose uvicorn process is `server`, with the cores each group
    used meanwhile. Backends are read before and after, so new pooled connections count."""
    before_pids = {"api": descendants(server), "postgres": await backends()}
    before = {g: {p: process_seconds(p) for p in pids} for g, pids in before_pids.items()}
    client, machine = process_seconds(os.getpid()), machine_seconds()
    result = await run()
    after_pids = {"api": descendants(server), "postgres": await backends()}
    used = {
        group: sum(process_seconds(p) - before[group].get(p, 0.0) for p in pids)
        for group, pids in after_pids.items()
    }
    used["client"] = process_seconds(os.getpid()) - client
    used["other"] = machine_seconds() - machine - sum(used.values())
    return result, Cpu({g: used[g] / result.seconds for g in GROUPS})


@dataclass(frozen=True)
class Runs:
    """Each worker count's results and CPU per round, for one workload."""

    results: dict[int, list[Result]]
    cpu: dict[int, list[Cpu]]

    def rps(self, workers: int) -> float:
        return median([r.rps for r in self.results[workers]])

    def cores(self, workers: int, group: str) -> float:
        return median([c.cores[group] for c in self.cpu[workers]])


@contextmanager
def servers(env: dict[str, str]) -> Iterator[dict[int, tuple[str, int]]]:
    """The API with one worker and with two: worker count -> (GraphQL URL, uvicorn pid)."""
    with processes(("api",), env, workers=1) as one, processes(("api",), env, workers=2) as two:
        yield {1: one["api"], 2: two["api"]}


async def compare(
    urls: dict[int, tuple[str, int]],
    searches: Callable[[str], list[bytes]],
    actors: Actors,
    *,
    rounds: int,
    concurrency: int,
    mixed: int,
    mixed_concurrency: int,
) -> dict[str, Runs]:
    """The search mix at `concurrency` and the mixed workload (`mixed` requests at
    `mixed_concurrency`, each run with its own buyers for checkouts) on each server in turn.
    `actors.checkouts` must hold a buyer per checkout of 2 * `rounds` runs."""
    per_run = len(actors.checkouts) // (2 * rounds)
    turns = {"search mix": Runs({1: [], 2: []}, {1: [], 2: []}),
             "mixed": Runs({1: [], 2: []}, {1: [], 2: []})}  # fmt: skip
    for workers, (url, _) in urls.items():  # warm-up: every worker's caches and connections
        warm = searches(url)
        await asyncio.gather(*(_search(url, warm[:20], 1) for _ in range(workers * 2)))
    turn = 0
    for round_number in range(rounds):
        order = (1, 2) if round_number % 2 == 0 else (2, 1)
        for workers in order:
            url, pid = urls[workers]
            buyers = actors.checkouts[turn * per_run : (turn + 1) * per_run]
            turn += 1
            requests = mix(url, searches(url), replace(actors, checkouts=buyers), mixed)
            runs = {
                "search mix": partial(_search, url, searches(url), concurrency),
                "mixed": partial(_mixed, url, requests, mixed_concurrency),
            }
            for label, run in runs.items():
                result, cpu = await measured(pid, run)
                turns[label].results[workers].append(result)
                turns[label].cpu[workers].append(cpu)
                print(f"{label}, {workers} worker(s), round {round_number + 1}: "
                      f"{result.rps:.0f} rps", flush=True)  # fmt: skip
    return turns


async def _search(url: str, requests: list[bytes], concurrency: int) -> Result:
    return await run_prepared(url, requests, concurrency=concurrency)


async def _mixed(url: str, requests: list[tuple[str, bytes]], concurrency: int) -> Result:
    found = (await run_mixed(url, requests, concurrency)).result
    failed = [t.error for t in found.timings if t.error]
    if failed:
        raise RuntimeError(f"mixed workload: {len(failed)} errors, the first {failed[0]}")
    return found
