"""`python -m bench.storefront`: the storefront's server time per page beside the API's own.

1. A fresh SQLite file gets the benchmark catalogue (default 2,000 shops, 100,000 products).
2. The API and the storefront run as real uvicorn servers, one worker each, in their own
   processes; the storefront calls the API over loopback HTTP, as in production.
3. A buyer registers and signs in through the storefront and puts a product in the cart.
4. Each page (beranda, cari, toko, produk, keranjang for the signed-in buyer) is requested
   one at a time; its server time is the storefront's `Server-Timing` (`app`: from the
   request's arrival until the rendered response starts; `api`: its wait on the API). The
   page's one GraphQL operation is then sent to the API directly, the API's own time for it.
   Rounds alternate the pages; figures are medians of the rounds' percentiles.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import re
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field

import httpx
from rich.console import Console
from rich.table import Table

from bench.database import fresh_database, seed_benchmark_catalogue
from bench.load import percentile
from bench.server import bench_env, free_port, running
from storefront.operations import documents

console = Console()
TARGET_MS = 50.0
BUYER = {"name": "Pembeli Bench", "email": "pembeli@bench.id", "password": "rahasia-bench-123"}
TIMING = re.compile(r"(\w+);dur=([\d.]+)")


@dataclass
class Samples:
    """Milliseconds per request of one page in one round."""

    app: list[float] = field(default_factory=list)
    wait: list[float] = field(default_factory=list)
    api: list[float] = field(default_factory=list)


def server_timing(response: httpx.Response) -> dict[str, float]:
    return {name: float(ms) for name, ms in TIMING.findall(response.headers["server-timing"])}


def start_storefront(env: dict[str, str], api_url: str) -> tuple[subprocess.Popen, str]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--factory", "bench.apps:storefront",
         "--port", str(port), "--log-level", "warning", "--no-access-log"],
        env={**env, "API_URL": api_url},
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            if httpx.get(f"{url}/robots.txt", timeout=1).status_code == 200:
                return process, url
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    process.kill()
    raise RuntimeError("storefront did not start")


async def graphql(
    client: httpx.AsyncClient, url: str, operation: str, variables: dict, token: str | None = None
) -> dict:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    body = {"query": documents()[operation], "operationName": operation, "variables": variables}
    answer = (await client.post(url, json=body, headers=headers)).json()
    assert not answer.get("errors"), answer["errors"]
    return answer["data"]


def hidden(html: str, name: str) -> str:
    """The value of a hidden form field on a page."""
    found = re.search(rf'name="{name}" value="([^"]+)"', html)
    assert found, f"no {name} on the page"
    return found.group(1)


def csrf(html: str) -> str:
    return hidden(html, "csrf_token")


async def signed_in_buyer(store: httpx.AsyncClient, api: httpx.AsyncClient, graphql_url: str,
                          product: str) -> str:  # fmt: skip
    """Register the buyer, sign in through the storefront, add `product`; the API token."""
    registered = await graphql(api, graphql_url, "Register", {"input": BUYER})
    token = registered["register"]["token"]
    login = BUYER | {"csrf_token": csrf((await store.get("/masuk")).text), "next": "/"}
    assert (await store.post("/masuk", data=login)).status_code == 303
    page = (await store.get(product)).text
    product_id = hidden(page, "product_id")
    added = {"csrf_token": csrf(page), "product_id": product_id, "quantity": "1"}
    assert (await store.post("/keranjang/tambah", data=added)).status_code == 303
    return token


async def measure(args: argparse.Namespace) -> dict[str, list[Samples]]:
    async with fresh_database(None) as (database, folder):
        await seed_benchmark_catalogue(console, folder, args.shops, args.products)
        env = bench_env(database, folder)
        with running(["api"], env) as urls:
            graphql_url = urls["api"]
            process, store_url = start_storefront(env, graphql_url.removesuffix("/graphql"))
            try:
                return await measure_pages(args, graphql_url, store_url)
            finally:
                process.terminate()
                process.wait(10)


async def measure_pages(
    args: argparse.Namespace, graphql_url: str, store_url: str
) -> dict[str, list[Samples]]:
    async with (
        httpx.AsyncClient(base_url=store_url, timeout=30) as store,
        httpx.AsyncClient(timeout=30) as api,
    ):
        shop = (await graphql(api, graphql_url, "SitemapShops", {"first": 1}))["shops"]
        shop_slug = shop["edges"][0]["node"]["slug"]
        found = await graphql(api, graphql_url, "SearchPage", {"query": "keripik", "first": 1})
        product_slug = found["products"]["edges"][0]["node"]["slug"]
        token = await signed_in_buyer(store, api, graphql_url, f"/produk/{product_slug}")
        pages: dict[str, tuple[str, str, dict, str | None]] = {
            "beranda": ("/", "HomePage", {}, None),
            "cari": ("/cari?q=keripik", "SearchPage",
                     {"query": "keripik", "sort": "RELEVANCE", "first": 24}, None),
            "toko": (f"/toko/{shop_slug}", "ShopView", {"slug": shop_slug}, None),
            "produk": (f"/produk/{product_slug}", "ProductView", {"slug": product_slug}, None),
            "keranjang": ("/keranjang", "CartView", {}, token),
        }  # fmt: skip
        results: dict[str, list[Samples]] = {name: [] for name in pages}
        for _ in range(args.warmup):
            for path, operation, variables, bearer in pages.values():
                await store.get(path)
                await graphql(api, graphql_url, operation, variables, bearer)
        for round_ in range(args.rounds):
            for name, (path, operation, variables, bearer) in pages.items():
                samples = Samples()
                for _ in range(args.requests):
                    response = await store.get(path)
                    assert response.status_code == 200, (path, response.status_code)
                    timing = server_timing(response)
                    samples.app.append(timing["app"])
                    samples.wait.append(timing["api"])
                    started = time.perf_counter()
                    await graphql(api, graphql_url, operation, variables, bearer)
                    samples.api.append((time.perf_counter() - started) * 1000)
                results[name].append(samples)
            console.log(f"round {round_ + 1} of {args.rounds} done")
        return results


def report(results: dict[str, list[Samples]], args: argparse.Namespace) -> bool:
    """Print the table; whether every page's storefront p95 is under the target."""
    where = f"SQLite, {args.shops} shops, {args.products} products"
    load = f"{args.requests} requests per page x {args.rounds} rounds, one at a time"
    table = Table(title=f"Storefront server time ({where}); {load}")
    for column in ("page", "storefront p50", "p95", "of which API wait p50", "p95",
                   "API alone p50", "p95", "p95 < 50 ms"):  # fmt: skip
        table.add_column(column)
    met = True
    for name, rounds in results.items():
        figures = [
            statistics.median(percentile(getattr(r, part), p) for r in rounds)
            for part in ("app", "wait", "api")
            for p in (0.5, 0.95)
        ]
        under = figures[1] < TARGET_MS
        met = met and under
        table.add_row(name, *(f"{v:.1f}" for v in figures), "yes" if under else "NO")
    console.print(table)
    console.print(
        f"Python {platform.python_version()} on {os.cpu_count()} cores, {platform.machine()}; "
        f"load average {' '.join(f'{v:.2f}' for v in os.getloadavg())}"
    )
    return met


def parser() -> argparse.ArgumentParser:
    found = argparse.ArgumentParser(
        prog="python -m bench.storefront",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    found.add_argument("--shops", type=int, default=2000)
    found.add_argument("--products", type=int, default=100_000)
    found.add_argument("--requests", type=int, default=100, help="per page and round")
    found.add_argument("--rounds", type=int, default=3)
    found.add_argument("--warmup", type=int, default=5, help="requests per page before timing")
    found.add_argument("--quick", action="store_true", help="a tiny run that CI keeps alive")
    return found


def main(argv: list[str] | None = None) -> None:
    args = parser().parse_args(argv)
    if args.quick:
        args.shops, args.products, args.requests, args.rounds, args.warmup = 20, 400, 20, 1, 2
    results = asyncio.run(measure(args))
    met = report(results, args)
    if not args.quick and not met:
        console.print(f"[yellow]A page's p95 is over {TARGET_MS:.0f} ms.[/yellow]")


if __name__ == "__main__":
    main()
