"""A mixed workload against the API: search, product pages, cart adds and COD checkouts of
signed-in buyers, and member dashboards, interleaved over the same keep-alive connections.

Each checkout has its own buyer with a seeded cart (checkouts empty carts); cart adds go to
other buyers. The share of operations answered from compiled plans is read from /metrics
before and after the run.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import cycle

from bench.checkout import checkout, seed_full_carts
from bench.load import Result, prepared_post, run_prepared, signed_post
from bench.savings import signed_in
from bench.server import executions, share_of_compiled
from demo.cooperatives import DEMO_MEMBERS_OF_FIRST, seed_cooperatives
from models.catalog import Product, ProductStatus
from models.cooperatives import Membership
from models.platform import User
from schema.execution import contract_operation
from schema.platform import encode_id

# Requests of each kind in every 20 of the mix.
WEIGHTS = {"search": 8, "product": 5, "cart": 3, "checkout": 1, "dashboard": 3}
PRODUCT_PAGE = contract_operation("ProductPage")
ADD_TO_CART = contract_operation("AddToCart")
MEMBER_DASHBOARD = contract_operation("MemberDashboard")


@dataclass(frozen=True)
class Actors:
    """Who and what the mix touches: product (slug, id) pairs, buyers' tokens for cart adds,
    one buyer with a full cart per checkout, and members as (membership id, token)."""

    products: list[tuple[str, int]]
    shoppers: list[str]
    checkouts: list[str]
    members: list[tuple[str, str]]


async def seed_actors(requests: int, members: list[tuple[str, str]]) -> Actors:
    """Buyers for a mix of `requests` requests in the current database, beside `members`."""
    checkouts = -(-requests * WEIGHTS["checkout"] // sum(WEIGHTS.values()))
    tokens = await seed_full_carts(checkouts + 10)
    rows = await Product.filter(status=ProductStatus.ACTIVE).order_by("id").limit(200)
    return Actors([(p.slug, p.id) for p in rows], tokens[checkouts:], tokens[:checkouts], members)


async def demo_members() -> list[tuple[str, str]]:
    """The demo cooperatives (a year of savings, loans, bills, SHU); the members of the first,
    siti@ and budi@ among them, signed in: (membership id, token). Seeded before the
    catalogue, so that its size does not add members (the demo makes shop owners members)."""
    await User.bulk_create(
        [User(name=email.partition("@")[0].title(), email=email, password_hash="-")
         for email in DEMO_MEMBERS_OF_FIRST]
    )  # fmt: skip
    await seed_cooperatives("bench-password")
    first = await Membership.all().order_by("cooperative_id", "number").first()
    assert first is not None, "the demo cooperatives have members"
    memberships = await Membership.filter(cooperative_id=first.cooperative_id).order_by("number")
    users = await User.filter(id__in=[m.user_id for m in memberships])
    tokens = dict(zip([u.id for u in users], await signed_in(users), strict=True))
    return [(encode_id("Membership", m.id), tokens[m.user_id]) for m in memberships]


def kinds(count: int) -> list[str]:
    """`count` request kinds in the proportions of WEIGHTS, interleaved round-robin."""
    pattern: list[str] = []
    left = dict(WEIGHTS)
    while any(left.values()):
        for kind, n in left.items():
            if n:
                pattern.append(kind)
                left[kind] = n - 1
    return [pattern[i % len(pattern)] for i in range(count)]


def mix(url: str, searches: list[bytes], actors: Actors, count: int) -> list[tuple[str, bytes]]:
    """`count` prepared requests as (kind, request); each checkout uses its own buyer."""
    products, shoppers, members = (
        cycle(actors.products),
        cycle(actors.shoppers),
        cycle(actors.members),
    )
    search, buyers = cycle(searches), iter(actors.checkouts)
    found: list[tuple[str, bytes]] = []
    for number, kind in enumerate(kinds(count)):
        if kind == "search":
            request = next(search)
        elif kind == "product":
            slug, _ = next(products)
            request = prepared_post(url, {"query": PRODUCT_PAGE, "variables": {"slug": slug}})
        elif kind == "cart":
            _, product = next(products)
            variables = {"productId": encode_id("Product", product), "quantity": 1}
            request = signed_post(url, ADD_TO_CART, variables, next(shoppers))
        elif kind == "checkout":
            request = checkout(url, next(buyers), "COD", number)
        else:
            membership, token = next(members)
            request = signed_post(url, MEMBER_DASHBOARD, {"id": membership}, token)
        found.append((kind, request))
    return found


def answered(payload: bytes) -> bool:
    """No GraphQL error, no error in a mutation's payload, and the product or member found."""
    missing = (b'"errors":[{', b'"data":null', b'"node":null', b'"product":null')
    return not any(m in payload for m in missing)


@dataclass(frozen=True)
class MixedRun:
    result: Result
    compiled_share: float | None


async def run_mixed(url: str, requests: list[tuple[str, bytes]], concurrency: int) -> MixedRun:
    """Send the mix once; its result, each timing labelled with its kind and any answer that
    is not `answered` kept as its error, and the share of operations from compiled plans."""
    before = executions(url)
    result = await run_prepared(
        url, requests, concurrency=concurrency, accept=answered, record_errors=True
    )
    after = executions(url)
    return MixedRun(result, share_of_compiled({k: v - before.get(k, 0) for k, v in after.items()}))
