"""The mixed workload of `satupintu bench` issues every kind of request it reports."""

import json
from collections import Counter

from bench.mixed import WEIGHTS, Actors, kinds, mix

URL = "http://127.0.0.1:9/graphql"
ACTORS = Actors(
    products=[("rengginang-ketan", 7), ("keripik-tempe", 8)],
    shoppers=["shopper-a", "shopper-b"],
    checkouts=[f"buyer-{i}" for i in range(5)],
    members=[("TWVtYmVyc2hpcDox", "member-a")],
)


def body(request: bytes) -> dict:
    return json.loads(request.partition(b"\r\n\r\n")[2])


def test_kinds_follow_the_weights_interleaved():
    assert Counter(kinds(100)) == {kind: 5 * n for kind, n in WEIGHTS.items()}
    assert len(set(kinds(20)[:5])) == 5  # every kind early, not in blocks


def test_the_quick_mix_sends_each_operation_with_its_actor():
    requests = mix(URL, [b"SEARCH"], ACTORS, 100)
    by_kind: dict[str, list[bytes]] = {}
    for kind, request in requests:
        by_kind.setdefault(kind, []).append(request)
    assert set(by_kind) == set(WEIGHTS)
    assert set(by_kind["search"]) == {b"SEARCH"}
    assert all(b"query ProductPage" in r for r in by_kind["product"])
    assert {body(r)["variables"]["slug"] for r in by_kind["product"]} == {
        "rengginang-ketan",
        "keripik-tempe",
    }
    assert all(b"mutation AddToCart" in r and b"Bearer shopper-" in r for r in by_kind["cart"])
    assert all(
        b"query MemberDashboard" in r and b"Bearer member-a" in r for r in by_kind["dashboard"]
    )
    checkouts = [body(r)["variables"]["input"] for r in by_kind["checkout"]]
    assert {c["paymentMethod"] for c in checkouts} == {"COD"}
    tokens = [r.split(b"Bearer ")[1].split(b"\r\n")[0] for r in by_kind["checkout"]]
    assert tokens == [f"buyer-{i}".encode() for i in range(5)]  # one buyer per checkout
