"""Deposits and withdrawals on PostgreSQL through the real server, and withdrawals racing
for one balance.

A fresh database gets one cooperative, its pengurus and `--members` active members, all
signed in. The API runs in its own uvicorn process (`--workers` of them).

- Throughput (default): each round, the pengurus records one Rp10.000 SUKARELA deposit for
  every member, `--concurrency` at a time; then every member withdraws Rp1.000. Each is one
  journal entry and one conditional update of a savings row.
- `--race`: one member with `--balance` in SUKARELA sends `--withdrawals` withdrawals of
  Rp10.000 all at once. Exactly balance / 10.000 must succeed, the rest be refused as
  INSUFFICIENT_BALANCE, the balance must end at zero with one journal entry per success.

Both end with the journal invariant checked (`resolvers.cooperatives.books.audit`).

    python -m bench.savings [--members N] [--rounds R] [--concurrency C] [--workers W]
                            [--race [--withdrawals W] [--balance B]] [--postgres URL] [--quick]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import secrets

from rich.console import Console
from rich.table import Table

from bench.database import fresh_database
from bench.load import Result, median, run_prepared, signed_post
from bench.server import bench_env, running
from models.cooperatives import (
    Cooperative,
    CooperativeAdmin,
    CooperativeType,
    EntryKind,
    JournalEntry,
    Membership,
    MembershipStatus,
    SavingsAccount,
    SavingsKind,
)
from models.platform import AuthToken, User
from resolvers.cooperatives import audit, open_books
from resolvers.platform import digest
from schema.platform import encode_id

DEPOSIT = """
mutation RecordDeposit($membershipId: ID!, $account: SavingsAccount!, $amount: Rupiah!) {
  recordDeposit(membershipId: $membershipId, account: $account, amount: $amount) {
    transaction { id kind account amount { amount } balanceAfter { amount } }
    errors { field code message }
  }
}"""
WITHDRAW = """
mutation Withdraw($membershipId: ID!, $amount: Rupiah!) {
  withdraw(membershipId: $membershipId, amount: $amount) {
    transaction { id kind account amount { amount } balanceAfter { amount } }
    errors { field code message }
  }
}"""
DOMAIN = "anggota.bench.satupintu.id"
STEP = 10_000
console = Console()


async def signed_in(users: list[User]) -> list[str]:
    tokens = [secrets.token_urlsafe(24) for _ in users]
    await AuthToken.bulk_create(
        [AuthToken(user_id=u.id, digest=digest(t)) for u, t in zip(users, tokens, strict=True)],
        batch_size=2000,
    )
    return tokens


async def seed(members: int) -> tuple[str, list[tuple[str, str]]]:
    """A cooperative, its pengurus and `members` active members with open savings: the
    pengurus' token, and each member's (membership id, token)."""
    kelurahan = "36.71.01.1001"
    cooperative = await Cooperative.create(
        slug="koperasi-bench", name="Koperasi Bench", type=CooperativeType.SIMPAN_PINJAM,
        legal_number="AHU-BENCH", kelurahan_id=kelurahan, pokok_amount=100_000,
        wajib_monthly_amount=20_000, is_digital=True, last_member_number=members,
    )  # fmt: skip
    await open_books(cooperative.id)
    await User.bulk_create(
        [User(name=f"Anggota {i}", email=f"a{i}@{DOMAIN}", password_hash="-")
         for i in range(members + 1)],
        batch_size=2000,
    )  # fmt: skip
    users = await User.filter(email__endswith=DOMAIN).order_by("id")
    pengurus, *people = users
    await CooperativeAdmin.create(cooperative_id=cooperative.id, user_id=pengurus.id)
    await Membership.bulk_create(
        [Membership(cooperative_id=cooperative.id, user_id=u.id, number=i + 1,
                    status=MembershipStatus.ACTIVE, nik=f"36710117059{i:05d}")
         for i, u in enumerate(people)],
        batch_size=2000,
    )  # fmt: skip
    memberships = await Membership.filter(cooperative_id=cooperative.id).order_by("user_id")
    await SavingsAccount.bulk_create(
        [SavingsAccount(membership_id=m.id, kind=k) for m in memberships for k in SavingsKind],
        batch_size=2000,
    )
    tokens = await signed_in(users)
    ids = [encode_id("Membership", m.id) for m in memberships]
    return tokens[0], list(zip(ids, tokens[1:], strict=True))


def deposits(url: str, teller: str, members: list[tuple[str, str]]) -> list[bytes]:
    return [deposit(url, teller, m, STEP) for m, _ in members]


def deposit(url: str, teller: str, membership_id: str, amount: int) -> bytes:
    variables = {"membershipId": membership_id, "account": "SUKARELA", "amount": amount}
    return signed_post(url, DEPOSIT, variables, teller)


def withdrawals(url: str, members: list[tuple[str, str]], amount: int) -> list[bytes]:
    return [
        signed_post(url, WITHDRAW, {"membershipId": m, "amount": amount}, token)
        for m, token in members
    ]


def moved(payload: bytes) -> bool:
    return b'"errors":[]' in payload


def moved_or_refused(payload: bytes) -> bool:
    return moved(payload) or b'"INSUFFICIENT_BALANCE"' in payload


async def check_books() -> None:
    problems = await audit()
    assert problems == [], problems[:5]


async def measure(args: argparse.Namespace) -> None:
    async with fresh_database(args.postgres) as (database, folder):
        teller, members = await seed(args.members)
        with running(["api"], bench_env(database, folder), args.workers) as urls:
            url = urls["api"]
            results: dict[str, list[Result]] = {"deposits": [], "withdrawals": []}
            for round_number in range(args.rounds):
                for name, batch in (
                    ("deposits", deposits(url, teller, members)),
                    ("withdrawals", withdrawals(url, members, STEP // 10)),
                ):
                    result = await run_prepared(
                        url, batch, concurrency=args.concurrency, accept=moved
                    )
                    results[name].append(result)
                    console.log(f"round {round_number + 1}: {result.rps:.1f} {name}/s")
        entries = await JournalEntry.all().count()
        assert entries == 2 * args.members * args.rounds, entries
        await check_books()
        report(results, args)


def report(results: dict[str, list[Result]], args: argparse.Namespace) -> None:
    table = Table(
        title=f"{args.members} members x {args.rounds} rounds, concurrency {args.concurrency}, "
        f"{args.workers} worker(s)"
    )
    for column in ("operation", "per s (median)", "min", "max", "p50 ms", "p95 ms"):
        table.add_column(column)
    for name, found in results.items():
        rates = [r.rps for r in found]
        table.add_row(
            name, f"{median(rates):.1f}", f"{min(rates):.1f}", f"{max(rates):.1f}",
            f"{median([r.percentile(0.5) for r in found]):.1f}",
            f"{median([r.percentile(0.95) for r in found]):.1f}",
        )  # fmt: skip
    console.print(table)
    console.print(f"{platform.python_version()} on {os.cpu_count()} cores, {platform.machine()}")


async def race(args: argparse.Namespace) -> None:
    async with fresh_database(args.postgres) as (database, folder):
        teller, members = await seed(1)
        with running(["api"], bench_env(database, folder), args.workers) as urls:
            url = urls["api"]
            funded = await run_prepared(
                url,
                [deposit(url, teller, members[0][0], args.balance)],
                concurrency=1,
                accept=moved,
            )
            assert funded.requests == 1
            # Every withdrawal at once, each on a connection of its own.
            result = await run_prepared(
                url,
                withdrawals(url, members * args.withdrawals, STEP),
                concurrency=args.withdrawals,
                accept=moved_or_refused,
            )
        expected = min(args.withdrawals, args.balance // STEP)
        succeeded = await JournalEntry.filter(kind=EntryKind.WITHDRAWAL).count()
        left = (await SavingsAccount.get(kind=SavingsKind.SUKARELA)).balance
        assert succeeded == expected, f"{succeeded} withdrawals succeeded, not {expected}"
        assert left == args.balance - expected * STEP, left
        await check_books()
        balance = f"{args.balance:,}".replace(",", ".")
        table = Table(
            title=f"{args.withdrawals} withdrawals of Rp10.000 racing for Rp{balance}, "
            f"{args.workers} worker(s)"
        )
        for column in ("succeeded", "refused", "balance left", "settled in s", "p50 ms", "p95 ms"):
            table.add_column(column)
        table.add_row(
            str(succeeded), str(args.withdrawals - succeeded), str(left), f"{result.seconds:.2f}",
            f"{result.percentile(0.5):.1f}", f"{result.percentile(0.95):.1f}",
        )  # fmt: skip
        console.print(table)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--members", type=int, default=1000, help="per round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--race", action="store_true", help="withdrawals racing for a balance")
    parser.add_argument("--withdrawals", type=int, default=500, help="with --race")
    parser.add_argument("--balance", type=int, default=2_500_000, help="with --race")
    parser.add_argument("--quick", action="store_true", help="a tiny run that CI keeps alive")
    args = parser.parse_args()
    if args.quick:
        args.members, args.rounds, args.withdrawals, args.balance = 50, 1, 60, 300_000
    asyncio.run(race(args) if args.race else measure(args))


if __name__ == "__main__":
    main()
