"""Checkouts per second on PostgreSQL, through the real server, with realistic carts.

A fresh database gets the demo catalogue (Indonesian products over every kelurahan) and,
per checkout, a buyer whose cart holds four products from three shops (so each checkout
makes three orders); payment methods rotate over bank transfer, QRIS and COD. The API
runs in its own uvicorn process; each round sends every checkout once (a distinct buyer
and idempotency key each), `--concurrency` at a time, over keep-alive connections.

    python -m bench.checkout [--checkouts N] [--rounds R] [--concurrency C] [--workers W]
                             [--postgres URL] [--quick]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import random
import secrets
import time
import uuid
from pathlib import Path

from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from bench.database import fresh_database
from bench.load import Result, median, prepared_post, run_prepared
from bench.server import bench_env, running
from media.local import LocalStorage
from models.accounts import AuthToken, User
from models.catalog import Product, ProductStatus
from models.orders import CartLine, Order
from resolvers.accounts import digest
from server.seed_catalog import seed_catalog

CHECKOUT = """
mutation Checkout($input: CheckoutInput!) {
  checkout(input: $input) {
    orders { id number status total { amount formatted } shop { id name }
             payment { method status instructions qrisPayload expiresAt } }
    errors { field code message }
  }
}"""
METHODS = ("BANK_TRANSFER", "QRIS", "COD")
BUYER_DOMAIN = "pembeli.bench.satupintu.id"
console = Console()


async def seed(shops: int, products: int, buyers: int, folder: Path) -> list[str]:
    """The catalogue, and `buyers` buyers with full carts; their tokens."""
    with Progress(console=console, transient=True) as progress:
        await seed_catalog(
            progress, LocalStorage(folder / "media"), shops=shops, products=products,
            password="bench-password",
        )  # fmt: skip
    await Product.all().update(stock=10_000_000)  # throughput, not a sell-out, is measured here
    rng = random.Random(5)
    by_shop: dict[int, list[int]] = {}
    for row in await Product.filter(status=ProductStatus.ACTIVE).values("id", "shop_id"):
        by_shop.setdefault(row["shop_id"], []).append(row["id"])
    stocked = [shop for shop, items in by_shop.items() if len(items) >= 2]
    await User.bulk_create(
        [User(name=f"Pembeli {i}", email=f"b{i}@{BUYER_DOMAIN}", password_hash="-")
         for i in range(buyers)],
        batch_size=2000,
    )  # fmt: skip
    ids = (
        await User.filter(email__endswith=BUYER_DOMAIN).order_by("id").values_list("id", flat=True)
    )
    tokens = [secrets.token_urlsafe(24) for _ in ids]
    await AuthToken.bulk_create(
        [AuthToken(user_id=u, digest=digest(t)) for u, t in zip(ids, tokens, strict=True)],
        batch_size=2000,
    )
    lines = []
    for buyer in ids:
        first, second, third = rng.sample(stocked, 3)
        picked = [*rng.sample(by_shop[first], 2), rng.choice(by_shop[second]),
                  rng.choice(by_shop[third])]  # fmt: skip
        lines += [CartLine(buyer_id=buyer, product_id=p, quantity=rng.randint(1, 3))
                  for p in picked]  # fmt: skip
    await CartLine.bulk_create(lines, batch_size=2000)
    return tokens


def requests(url: str, tokens: list[str]) -> list[bytes]:
    return [
        prepared_post(
            url,
            {
                "query": CHECKOUT,
                "variables": {
                    "input": {
                        "paymentMethod": METHODS[i % len(METHODS)],
                        "idempotencyKey": str(uuid.uuid4()),
                        "shippingAddress": {
                            "recipient": f"Pembeli {i}",
                            "phone": "0812-1111-2222",
                            "street": "Jl. Daan Mogot No. 12",
                            "kelurahanCode": "36.71.01.1001",
                        },
                    }
                },
            },
            {"Authorization": f"Bearer {token}"},
        )
        for i, token in enumerate(tokens)
    ]


def placed(payload: bytes) -> bool:
    return b'"errors":[]' in payload and payload.count(b'"number"') == 3


async def measure(args: argparse.Namespace) -> None:
    async with fresh_database(args.postgres) as (database, folder):
        started = time.perf_counter()
        tokens = await seed(args.shops, args.products, args.checkouts * args.rounds, folder)
        console.log(f"seeded in {time.perf_counter() - started:.1f} s")
        with running(["api"], bench_env(database, folder), args.workers) as urls:
            url = urls["api"]
            results: list[Result] = []
            for round_number in range(args.rounds):
                batch = tokens[round_number * args.checkouts : (round_number + 1) * args.checkouts]
                result = await run_prepared(
                    url, requests(url, batch), concurrency=args.concurrency, accept=placed
                )
                results.append(result)
                console.log(f"round {round_number + 1}: {result.rps:.1f} checkouts/s")
            orders = await Order.all().count()
            assert orders == 3 * args.checkouts * args.rounds, orders
            assert not await CartLine.exists(), "every cart was emptied"
            report(results, args, orders)


def report(results: list[Result], args: argparse.Namespace, orders: int) -> None:
    table = Table(
        title=f"{args.checkouts} checkouts x {args.rounds} rounds, concurrency "
        f"{args.concurrency}, {args.workers} worker(s); {orders} orders made"
    )
    for column in ("checkouts/s (median)", "min", "max", "p50 ms", "p95 ms", "orders/s"):
        table.add_column(column)
    rates = [r.rps for r in results]
    table.add_row(
        f"{median(rates):.1f}",
        f"{min(rates):.1f}",
        f"{max(rates):.1f}",
        f"{median([r.percentile(0.5) for r in results]):.1f}",
        f"{median([r.percentile(0.95) for r in results]):.1f}",
        f"{3 * median(rates):.1f}",
    )
    console.print(table)
    console.print(f"{platform.python_version()} on {os.cpu_count()} cores, {platform.machine()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--checkouts", type=int, default=1000, help="per round")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--shops", type=int, default=2000)
    parser.add_argument("--products", type=int, default=20_000)
    parser.add_argument("--quick", action="store_true", help="a tiny run that CI keeps alive")
    args = parser.parse_args()
    if args.quick:
        args.checkouts, args.rounds, args.shops, args.products = 50, 1, 20, 200
    asyncio.run(measure(args))


if __name__ == "__main__":
    main()
