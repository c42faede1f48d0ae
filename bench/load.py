"""A bounded load generator: fixed concurrency, a fixed number of requests.

It speaks keep-alive HTTP/1.1 over raw asyncio streams with a prepared request, so the
client costs far less than the server under test (httpx would be the bottleneck here).
"""

from __future__ import annotations

import asyncio
import json
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit


def percentile(samples: Sequence[float], p: float) -> float:
    """The `p` quantile of `samples` (p in hundredths: 0.5, 0.95, 0.99), interpolated
    between the samples around it; of a single sample, that sample."""
    if len(samples) == 1:
        return samples[0]
    return statistics.quantiles(samples, n=100, method="inclusive")[round(p * 100) - 1]


@dataclass(frozen=True)
class Timing:
    """One request: its kind ("" when unlabelled), seconds to its answer, and what was wrong
    with the answer (its status and start) when it was not accepted."""

    kind: str
    seconds: float
    error: str | None = None


@dataclass(frozen=True)
class Result:
    requests: int
    seconds: float
    timings: list[Timing]

    @property
    def rps(self) -> float:
        return self.requests / self.seconds

    @property
    def latencies(self) -> list[float]:
        return [t.seconds for t in self.timings]

    def by_kind(self) -> dict[str, list[Timing]]:
        """The timings of each kind of request, kinds in the order of their first answer."""
        found: dict[str, list[Timing]] = {}
        for timing in self.timings:
            found.setdefault(timing.kind, []).append(timing)
        return found

    def percentile(self, p: float) -> float:
        """The `p` quantile of the latencies, in milliseconds."""
        return percentile(self.latencies, p) * 1000


def prepared_post(url: str, body: dict[str, Any], headers: dict[str, str] | None = None) -> bytes:
    parts = urlsplit(url)
    payload = json.dumps(body).encode()
    extra = "".join(f"{name}: {value}\r\n" for name, value in (headers or {}).items())
    head = (
        f"POST {parts.path} HTTP/1.1\r\nHost: {parts.netloc}\r\n{extra}"
        f"Content-Type: application/json\r\nContent-Length: {len(payload)}\r\n\r\n"
    )
    return head.encode() + payload


def signed_post(url: str, query: str, variables: dict[str, Any], token: str) -> bytes:
    """`prepared_post` of one operation sent as the signed-in `token`."""
    return prepared_post(
        url, {"query": query, "variables": variables}, {"Authorization": f"Bearer {token}"}
    )


def no_errors(payload: bytes) -> bool:
    return b'"errors"' not in payload


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    length = 0
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if name.lower() == "content-length":
            length = int(value)
    return status, await reader.readexactly(length)


async def run_prepared(
    url: str,
    prepared: Sequence[bytes | tuple[str, bytes]],
    *,
    concurrency: int,
    accept: Callable[[bytes], bool] = no_errors,
    record_errors: bool = False,
) -> Result:
    """Send each prepared request, or (kind, request), once, `concurrency` at a time. An
    answer that is not 200 or that `accept` refuses stops the run, or with `record_errors`
    is kept as its timing's error."""
    parts = urlsplit(url)
    timings: list[Timing] = []
    queue = (r if isinstance(r, tuple) else ("", r) for r in prepared)

    async def worker() -> None:
        reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
        try:
            for kind, request in queue:
                started = time.perf_counter()
                writer.write(request)
                status, payload = await _read_response(reader)
                elapsed = time.perf_counter() - started
                ok = status == 200 and accept(payload)
                error = None if ok else f"{status}: {payload[:200]!r}"
                timings.append(Timing(kind, elapsed, error))
                if error and not record_errors:
                    raise RuntimeError(f"unexpected answer {error}")
        finally:
            writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return Result(len(prepared), time.perf_counter() - started, timings)


def median(values: list[float]) -> float:
    return statistics.median(values)


async def alternate(
    urls: dict[str, str],
    prepare: Callable[[str], list[bytes]],
    *,
    rounds: int,
    concurrency: int,
    label: str = "",
) -> dict[str, list[Result]]:
    """Load each server in turn, `rounds` times, reversing the order every other round so that
    drift of the machine hits every variant alike; a short warm-up first. Variant -> results."""
    prepared = {variant: prepare(url) for variant, url in urls.items()}
    for variant, url in urls.items():
        warm_up = prepared[variant][: max(concurrency, len(prepared[variant]) // 5)]
        await run_prepared(url, warm_up, concurrency=concurrency)
    results: dict[str, list[Result]] = {variant: [] for variant in urls}
    order = list(urls)
    for round_number in range(rounds):
        for variant in order if round_number % 2 == 0 else reversed(order):
            result = await run_prepared(urls[variant], prepared[variant], concurrency=concurrency)
            results[variant].append(result)
            print(f"{label} {variant} round {round_number + 1}: {result.rps:.0f} rps", flush=True)
    return results
