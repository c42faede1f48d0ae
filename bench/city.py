"""The city's dashboard at city scale, on SQLite and on PostgreSQL, through the real server.

A fresh database per engine gets the demo catalogue (default 2,000 shops, 100,000 products),
then, in batched inserts straight into the tables (not through the API), `--orders` orders
with their payments over the last 18 months (paid, pending, cancelled, expired, refunded),
94 cooperatives and `--members` memberships (mostly ACTIVE, some PENDING and ENDED), and
socialisation in a third of the kelurahan. The API runs in its own uvicorn process; the
load generator sends the contract's `CityDashboard` (and `KelurahanRollout`, `cityMonthly`)
one at a time and reports p50/p95/p99. Each answer is checked against the counts seeded.

    python -m bench.city [--database sqlite|postgres|both] [--shops N --products N]
                         [--orders N --members N] [--requests N] [--postgres URL] [--quick]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import cast

from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from bench.database import fresh_database
from bench.load import Result, no_errors, prepared_post, run_prepared
from bench.server import bench_env, running
from demo.catalog import seed_catalog
from media.local import LocalStorage
from models.city import Socialization
from models.cooperatives import Cooperative, CooperativeType, Membership, MembershipStatus
from models.orders import Checkout, Order, OrderStatus, Payment, PaymentMethod, PaymentStatus
from models.platform import Kelurahan, User
from models.shops import Shop
from resolvers.platform import today
from schema.execution import contract_operation

OPERATIONS = {
    "CityDashboard": contract_operation("CityDashboard"),
    "KelurahanRollout": contract_operation("KelurahanRollout"),
    "cityMonthly": "query CityMonthly { cityMonthly { month newShops newMembers orders"
    " gmv { amount } } }",
}
# (order status, payment status, share): what happened to the orders seeded.
OUTCOMES = [
    (OrderStatus.COMPLETED, PaymentStatus.PAID, 55),
    (OrderStatus.PROCESSING, PaymentStatus.PAID, 10),
    (OrderStatus.PENDING_PAYMENT, PaymentStatus.PENDING, 10),
    (OrderStatus.CANCELLED, PaymentStatus.EXPIRED, 10),
    (OrderStatus.CANCELLED, PaymentStatus.CANCELLED, 10),
    (OrderStatus.CANCELLED, PaymentStatus.REFUNDED, 5),
]
BATCH = 5000
DOMAIN = "kota.bench.satupintu.id"
console = Console()


async def users(count: int, prefix: str) -> list[int]:
    await User.bulk_create(
        [User(name=f"Warga {i}", email=f"{prefix}{i}@{DOMAIN}", password_hash="-")
         for i in range(count)],
        batch_size=BATCH,
    )  # fmt: skip
    found = User.filter(email__startswith=prefix, email__endswith=DOMAIN).order_by("id")
    return cast(list[int], await found.values_list("id", flat=True))


async def seed_orders(count: int, rng: random.Random) -> tuple[int, int]:
    """`count` orders with payments over the last 18 months; (paid orders, their GMV)."""
    shops = await Shop.all().values_list("id", "kelurahan_id")
    buyers = await users(max(1, count // 20), "pembeli")
    checkouts = [Checkout(buyer_id=b, idempotency_key=str(i), input_digest="-", cart_digest="-")
                 for i, b in enumerate(buyers)]  # fmt: skip
    await Checkout.bulk_create(checkouts, batch_size=BATCH)
    checkout_of = dict(await Checkout.all().values_list("buyer_id", "id"))
    weights = [share for *_, share in OUTCOMES]
    now = datetime.now(UTC)
    orders, outcomes = [], []
    for i in range(count):
        buyer = buyers[i % len(buyers)]
        shop, kelurahan = rng.choice(shops)
        placed = now - timedelta(seconds=rng.randrange(548 * 86400))
        outcome = rng.choices(OUTCOMES, weights)[0]
        outcomes.append((outcome, placed))
        orders.append(Order(
            checkout_id=checkout_of[buyer], buyer_id=buyer, shop_id=shop, status=outcome[0],
            total=rng.randrange(5, 500) * 1000, recipient="Warga", phone="+6281200000000",
            street="Jl. Bench", kelurahan_id=kelurahan, created_at=placed, updated_at=placed,
        ))  # fmt: skip
    started = time.perf_counter()
    for at in range(0, count, BATCH):
        await Order.bulk_create(orders[at : at + BATCH])
    ids = await Order.all().order_by("id").values_list("id", "total")
    payments = [
        Payment(
            order_id=order_id,
            method=PaymentMethod.BANK_TRANSFER,
            status=outcome[1],
            amount=total,
            reference=uuid.uuid4().hex[:20],
            created_at=placed,
            paid_at=placed if outcome[1] in (PaymentStatus.PAID, PaymentStatus.REFUNDED) else None,
        )
        for (order_id, total), (outcome, placed) in zip(ids, outcomes, strict=True)
    ]
    for at in range(0, count, BATCH):
        await Payment.bulk_create(payments[at : at + BATCH])
    console.log(f"{count:,} orders and payments in {time.perf_counter() - started:.1f} s")
    paid = [p.amount for p in payments if p.status == PaymentStatus.PAID]
    return len(paid), sum(paid)


async def seed_cooperatives(members: int, rng: random.Random) -> int:
    """94 cooperatives and `members` memberships; how many are ACTIVE."""
    kelurahan = await Kelurahan.all().values_list("code", flat=True)
    types = list(CooperativeType)
    await Cooperative.bulk_create([
        Cooperative(slug=f"koperasi-bench-{i}", name=f"Koperasi Bench {i}", type=types[i % 5],
                    legal_number=f"AHU-BENCH-{i:05d}", kelurahan_id=rng.choice(kelurahan),
                    is_digital=i % 3 == 0)
        for i in range(94)
    ])  # fmt: skip
    cooperatives = await Cooperative.all().values_list("id", flat=True)
    people = await users(members, "anggota")
    statuses = rng.choices(
        [MembershipStatus.ACTIVE, MembershipStatus.PENDING, MembershipStatus.ENDED],
        [85, 10, 5], k=members,
    )  # fmt: skip
    now = datetime.now(UTC)
    rows = [
        Membership(
            cooperative_id=cooperatives[i % len(cooperatives)],
            user_id=person,
            status=status,
            number=i + 1 if status != MembershipStatus.PENDING else None,
            joined_at=None
            if status == MembershipStatus.PENDING
            else now - timedelta(seconds=rng.randrange(548 * 86400)),
        )
        for i, (person, status) in enumerate(zip(people, statuses, strict=True))
    ]
    await Membership.bulk_create(rows, batch_size=BATCH)
    return statuses.count(MembershipStatus.ACTIVE)


async def seed_socialization(rng: random.Random) -> int:
    officer = (await users(1, "petugas"))[0]
    kelurahan = await Kelurahan.all().values_list("code", flat=True)
    chosen = rng.sample(kelurahan, len(kelurahan) // 3)
    await Socialization.bulk_create([
        Socialization(kelurahan_id=code, held_on=today() - timedelta(days=rng.randrange(400)),
                      note="Sosialisasi", recorded_by_id=officer)
        for code in chosen
    ])  # fmt: skip
    return len(chosen)


def checked(expected: dict[str, int]) -> Callable[[bytes], bool]:
    """Accepts a CityDashboard answer whose figures are the ones seeded."""

    def accept(payload: bytes) -> bool:
        stats = json.loads(payload)["data"]["cityStats"]
        return {k: stats[k] for k in expected} == expected

    return accept


async def measure(engine: str, args: argparse.Namespace) -> list[tuple[str, str, Result]]:
    postgres = args.postgres if engine == "postgres" else None
    async with fresh_database(postgres) as (database, folder):
        rng = random.Random(14)
        started = time.perf_counter()
        with Progress(console=console, transient=True) as progress:
            await seed_catalog(progress, LocalStorage(Path(folder) / "media"), shops=args.shops,
                               products=args.products, password="bench-password")  # fmt: skip
        orders, gmv = await seed_orders(args.orders, rng)
        members = await seed_cooperatives(args.members, rng)
        socialized = await seed_socialization(rng)
        if engine == "postgres":
            from resolvers.platform import refresh_statistics

            await refresh_statistics()
        console.log(f"{engine}: seeded in {time.perf_counter() - started:.1f} s")
        expected = {"orders": orders, "members": members, "kelurahanSocialized": socialized,
                    "shops": args.shops}  # fmt: skip
        rows: list[tuple[str, str, Result]] = []
        with running(["api"], bench_env(database, folder)) as urls:
            url = urls["api"]
            for name, query in OPERATIONS.items():
                body = prepared_post(url, {"query": query})
                accept = checked(expected) if name == "CityDashboard" else no_errors
                await run_prepared(url, [body] * 20, concurrency=1)  # warm up
                result = await run_prepared(
                    url, [body] * args.requests, concurrency=1, accept=accept
                )
                rows.append((engine, name, result))
        console.log(f"{engine}: GMV {gmv:,} over {orders:,} paid orders, {members:,} members")
        return rows


def report(rows: list[tuple[str, str, Result]], args: argparse.Namespace) -> None:
    table = Table(
        title=f"{args.shops:,} shops, {args.products:,} products, {args.orders:,} orders, "
        f"{args.members:,} members; {args.requests} requests each, one at a time"
    )
    for column in ("database", "operation", "p50 ms", "p95 ms", "p99 ms", "rps"):
        table.add_column(column)
    for engine, name, result in rows:
        table.add_row(engine, name, f"{result.percentile(0.5):.1f}",
                      f"{result.percentile(0.95):.1f}", f"{result.percentile(0.99):.1f}",
                      f"{result.rps:.0f}")  # fmt: skip
    console.print(table)
    console.print(f"{platform.python_version()} on {os.cpu_count()} cores, {platform.machine()}")


async def run(args: argparse.Namespace) -> None:
    report(await measure(args.database, args), args)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--shops", type=int, default=2000)
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--orders", type=int, default=200_000)
    parser.add_argument("--members", type=int, default=20_000)
    parser.add_argument("--requests", type=int, default=500, help="per operation")
    parser.add_argument("--quick", action="store_true", help="a tiny run that CI keeps alive")
    args = parser.parse_args(argv)
    if args.database == "both":
        # One process per engine: Tortoise keeps the first engine's SQL dialect per process.
        given = sys.argv[1:] if argv is None else argv
        for engine in ("sqlite", "postgres"):
            command = [sys.executable, "-m", "bench.city", *given, "--database", engine]
            subprocess.run(command, check=True)
        return
    if args.quick:
        args.shops, args.products, args.orders, args.members, args.requests = (
            20, 200, 2000, 200, 30,
        )  # fmt: skip
    asyncio.run(run(args))


if __name__ == "__main__":
    main()
