"""Checkouts on PostgreSQL through the real server: throughput, and buyers racing for stock.

A fresh database gets the demo catalogue (Indonesian products over every kelurahan). The API
runs in its own uvicorn process (`--workers` of them); requests go over keep-alive
connections, each checkout with its own buyer and idempotency key, payment methods rotating
over bank transfer, QRIS and COD.

- Throughput (default): per checkout, a buyer whose cart holds four products from three
  shops, so each checkout makes three orders. Each round sends every checkout once,
  `--concurrency` at a time.
- `--race`: `--buyers` buyers, each with one unit of the same product in their cart, check
  out all at once for its `--units` units. Exactly that many must be sold and the rest
  refused as out of stock; the stock must end at zero.

    python -m bench.checkout [--checkouts N] [--rounds R] [--concurrency C] [--workers W]
                             [--race [--buyers B] [--units U]] [--postgres URL] [--quick]
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
from typing import cast

from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from bench.database import fresh_database
from bench.load import Result, median, run_prepared, signed_post
from bench.server import bench_env, running
from demo.catalog import seed_catalog
from media.local import LocalStorage
from models.catalog import Product, ProductStatus, ProductVariant
from models.orders import CartLine, Order
from models.platform import AuthToken, User
from resolvers.platform import digest

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


async def seed_shops(shops: int, products: int, folder: Path) -> None:
    with Progress(console=console, transient=True) as progress:
        await seed_catalog(
            progress, LocalStorage(folder / "media"), shops=shops, products=products,
            password="bench-password",
        )  # fmt: skip


async def new_buyers(count: int) -> tuple[list[int], list[str]]:
    """`count` new buyers, signed in: their ids and tokens."""
    await User.bulk_create(
        [User(name=f"Pembeli {i}", email=f"b{i}@{BUYER_DOMAIN}", password_hash="-")
         for i in range(count)],
        batch_size=2000,
    )  # fmt: skip
    ids = cast(
        list[int],
        await User.filter(email__endswith=BUYER_DOMAIN).order_by("id").values_list("id", flat=True),
    )
    tokens = [secrets.token_urlsafe(24) for _ in ids]
    await AuthToken.bulk_create(
        [AuthToken(user_id=u, digest=digest(t)) for u, t in zip(ids, tokens, strict=True)],
        batch_size=2000,
    )
    return ids, tokens


async def seed_full_carts(buyers: int) -> list[str]:
    """`buyers` buyers with four products from three shops in their carts; their tokens."""
    # Throughput, not a sell-out, is measured here.
    await ProductVariant.all().update(stock=10_000_000)
    await Product.all().update(stock=10_000_000)
    rng = random.Random(5)
    by_shop: dict[int, list[int]] = {}
    prices: dict[int, int] = {}  # what each buyer saw when adding: the price now
    variants = await default_variants()
    for row in await Product.filter(status=ProductStatus.ACTIVE).values("id", "shop_id", "price"):
        by_shop.setdefault(row["shop_id"], []).append(row["id"])
        prices[row["id"]] = row["price"]
    stocked = [shop for shop, items in by_shop.items() if len(items) >= 2]
    ids, tokens = await new_buyers(buyers)
    lines = []
    for buyer in ids:
        first, second, third = rng.sample(stocked, 3)
        picked = [*rng.sample(by_shop[first], 2), rng.choice(by_shop[second]),
                  rng.choice(by_shop[third])]  # fmt: skip
        lines += [CartLine(buyer_id=buyer, product_id=p, variant_id=variants[p],
                           quantity=rng.randint(1, 3), unit_price=prices[p])
                  for p in picked]  # fmt: skip
    await CartLine.bulk_create(lines, batch_size=2000)
    return tokens


async def seed_race(buyers: int, units: int) -> tuple[int, list[str]]:
    """One product with `units` in stock, in the carts of `buyers` buyers (one unit each):
    the product's id and the buyers' tokens."""
    hot = await Product.filter(status=ProductStatus.ACTIVE).order_by("id").first()
    assert hot is not None, "the catalogue has active products"
    await Product.filter(id=hot.id).update(stock=units, units_sold=0)
    await ProductVariant.filter(product_id=hot.id).update(stock=units)
    variant = (await default_variants())[hot.id]
    ids, tokens = await new_buyers(buyers)
    await CartLine.bulk_create(
        [CartLine(buyer_id=b, product_id=hot.id, variant_id=variant, quantity=1,
                  unit_price=hot.price) for b in ids],
        batch_size=2000,
    )  # fmt: skip
    return hot.id, tokens


async def default_variants() -> dict[int, int]:
    """Each product's default variant (the demo catalogue has no options)."""
    rows = ProductVariant.filter(is_default=True).values_list("product_id", "id")
    return dict(await rows)


def requests(url: str, tokens: list[str]) -> list[bytes]:
    return [checkout(url, token, METHODS[i % len(METHODS)], i) for i, token in enumerate(tokens)]


def checkout(url: str, token: str, method: str, number: int) -> bytes:
    """Buyer `token` checks out their cart, paying by `method`, to Pembeli `number`."""
    address = {"recipient": f"Pembeli {number}", "phone": "0812-1111-2222",
               "street": "Jl. Daan Mogot No. 12", "kelurahanCode": "36.71.01.1001"}  # fmt: skip
    variables = {"input": {"paymentMethod": method, "idempotencyKey": str(uuid.uuid4()),
                           "shippingAddress": address}}  # fmt: skip
    return signed_post(url, CHECKOUT, variables, token)


def placed(payload: bytes) -> bool:
    return b'"errors":[]' in payload and payload.count(b'"number"') == 3


def sold_or_refused(payload: bytes) -> bool:
    """One order placed, or refused for the stock: in a race, anything else is a failure."""
    sold = b'"errors":[]' in payload and payload.count(b'"number"') == 1
    return sold or (b'"orders":[]' in payload and b'"OUT_OF_STOCK"' in payload)


async def measure(args: argparse.Namespace) -> None:
    async with fresh_database(args.postgres) as (database, folder):
        started = time.perf_counter()
        await seed_shops(args.shops, args.products, folder)
        tokens = await seed_full_carts(args.checkouts * args.rounds)
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


async def race(args: argparse.Namespace) -> None:
    async with fresh_database(args.postgres) as (database, folder):
        await seed_shops(args.shops, args.products, folder)
        hot, tokens = await seed_race(args.buyers, args.units)
        with running(["api"], bench_env(database, folder), args.workers) as urls:
            url = urls["api"]
            # Every buyer at once, each on a connection of their own.
            result = await run_prepared(
                url, requests(url, tokens), concurrency=len(tokens), accept=sold_or_refused
            )
        product = await Product.get(id=hot)
        sold = await Order.all().count()
        assert sold == args.units, f"{sold} sold of {args.units}"
        assert (product.stock, product.units_sold) == (0, args.units), product
        assert await CartLine.filter(product_id=hot).count() == args.buyers - args.units
        table = Table(
            title=f"{args.buyers} buyers racing for {args.units} units, {args.workers} worker(s)"
        )
        for column in ("sold", "refused", "stock left", "settled in s", "p50 ms", "p95 ms"):
            table.add_column(column)
        table.add_row(
            str(sold), str(args.buyers - sold), str(product.stock), f"{result.seconds:.2f}",
            f"{result.percentile(0.5):.1f}", f"{result.percentile(0.95):.1f}",
        )  # fmt: skip
        console.print(table)


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
    parser.add_argument("--shops", type=int, help="default 2,000 (20 with --race)")
    parser.add_argument("--products", type=int, help="default 20,000 (200 with --race)")
    parser.add_argument("--race", action="store_true", help="buyers racing for one product")
    parser.add_argument("--buyers", type=int, default=500, help="with --race")
    parser.add_argument("--units", type=int, default=100, help="with --race")
    parser.add_argument("--quick", action="store_true", help="a tiny run that CI keeps alive")
    args = parser.parse_args()
    if args.quick:
        args.checkouts, args.rounds, args.shops, args.products = 50, 1, 20, 200
        args.buyers, args.units = 60, 12
    if args.race:  # one product is bought: a small catalogue is enough
        args.shops, args.products = args.shops or 20, args.products or 200
    else:
        args.shops, args.products = args.shops or 2000, args.products or 20_000
    asyncio.run(race(args) if args.race else measure(args))


if __name__ == "__main__":
    main()
