"""The mixed workload of `satupintu bench` issues every kind of request it reports, and the
quick benchmark reports every kind with its count and no errors."""

import json
import os
import subprocess
import sys
from collections import Counter

import pytest

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


def kind_rows(output: str) -> dict[str, list[str]]:
    """The rows of the per-kind table in `satupintu bench` output, by kind."""
    after = output.partition("Mixed workload by kind of request")[2]
    table = after.partition("└")[0]  # that table only: the per-kind search table follows
    cells = [line.strip("│").split("│") for line in table.splitlines() if line.startswith("│")]
    return {row[0].strip(): [c.strip() for c in row[1:]] for row in cells}


@pytest.fixture(scope="module")
def quick() -> str:
    """The output of `satupintu bench --quick`, on PostgreSQL when the tests run there."""
    postgres = os.environ.get("TEST_POSTGRES_URL")
    database = ["--database", "postgres", "--postgres", postgres] if postgres else []
    bench = subprocess.run(
        [sys.executable, "-m", "bench.search", "--quick", *database],
        env={**os.environ, "COLUMNS": "160"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=900,
    )
    assert bench.returncode == 0, bench.stdout
    return bench.stdout


def test_the_quick_benchmark_times_every_kind_without_errors(quick):
    rows = kind_rows(quick)
    assert list(rows) == list(WEIGHTS), quick
    for kind, (count, p50, p95, p99, errors) in rows.items():
        assert int(count) == 100 // 20 * WEIGHTS[kind], kind  # --quick sends 100
        assert errors == "0", kind
        assert 0 < float(p50) <= float(p95) <= float(p99), kind


def test_the_quick_benchmark_compares_one_worker_with_two_on_postgres(quick):
    if not os.environ.get("TEST_POSTGRES_URL"):
        pytest.skip("two workers are measured on PostgreSQL only")
    table = quick.partition("uvicorn workers")[2].partition("└")[0]
    rows = [[c.strip() for c in line.strip("│").split("│")] for line in table.splitlines()
            if line.startswith("│")]  # fmt: skip
    assert [(r[0], r[1]) for r in rows] == [
        ("search mix", "1"), ("search mix", "2"), ("mixed", "1"), ("mixed", "2")
    ]  # fmt: skip
    for workload, workers, rps, ratio, api, postgres, client, other in rows:
        assert float(rps) > 0, workload
        assert (ratio != "") == (workers == "2"), workload
        assert float(api) > 0, workload  # the server worked
        assert float(postgres) > 0, workload  # and so did the database
        assert float(client) >= 0, workload  # a short run may round to 0.00
        float(other)  # a number; near 0, or below by rounding, when nothing else runs
