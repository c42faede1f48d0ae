"""The API under test in its own uvicorn process, so that the load generator does not share
its CPU time."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import httpx
from prometheus_client.parser import text_string_to_metric_families


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def bench_env(database: str, folder: Path) -> dict[str, str]:
    """The environment of a server under test: this database, no rate limit, no Redis."""
    env = {**os.environ, "DATABASE_URL": database, "SATUPINTU_VAR_DIR": str(folder),
           "RATE_LIMIT_PER_MINUTE": "100000000"}  # fmt: skip
    env.pop("REDIS_URL", None)
    return env


def _start(variant: str, env: dict[str, str], workers: int = 1) -> tuple[subprocess.Popen, str]:
    """Serve `bench.apps:<variant>`; the process and its GraphQL URL once it answers."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--factory", f"bench.apps:{variant}",
         "--port", str(port), "--workers", str(workers), "--log-level", "warning",
         "--no-access-log"],
        env=env,
        stdout=subprocess.DEVNULL,  # the request log is written, as in production, but not shown
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                return process, f"{url}/graphql"
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"{variant} server did not start")


@contextmanager
def running(
    variants: Sequence[str], env: dict[str, str], workers: int = 1
) -> Iterator[dict[str, str]]:
    """Serve each variant; their GraphQL URLs by name. Every server is stopped on the way out,
    also when a later one fails to start."""
    with processes(variants, env, workers) as served:
        yield {variant: url for variant, (url, _) in served.items()}


@contextmanager
def processes(
    variants: Sequence[str], env: dict[str, str], workers: int = 1
) -> Iterator[dict[str, tuple[str, int]]]:
    """As `running`, with each server's uvicorn process id beside its URL."""
    started: list[subprocess.Popen] = []
    served: dict[str, tuple[str, int]] = {}
    try:
        for variant in variants:
            process, url = _start(variant, env, workers)
            started.append(process)
            served[variant] = (url, process.pid)
        yield served
    finally:
        for process in started:
            process.terminate()
            process.wait(10)


def executions(graphql_url: str) -> dict[str, float]:
    """Operations the server at `graphql_url` executed so far, by executor (its /metrics)."""
    metrics = httpx.get(graphql_url.removesuffix("/graphql") + "/metrics", timeout=5).text
    return {
        sample.labels["executor"]: sample.value
        for family in text_string_to_metric_families(metrics)
        if family.name == "satupintu_graphql_executions"
        for sample in family.samples
        if sample.name.endswith("_total")
    }


def compiled_share(graphql_url: str) -> float | None:
    """The share of operations the server at `graphql_url` answered from compiled plans."""
    return share_of_compiled(executions(graphql_url))


def share_of_compiled(counts: dict[str, float]) -> float | None:
    """The compiled executor's share of operation `counts` by executor; None when none ran."""
    total = sum(counts.values())
    return counts.get("compiled", 0) / total if total else None
