"""Reads that may lag go to a streaming replica; a caller's own writes, every transaction and
every money path stay on the primary; a replica down or lagging is skipped without an error.

A real primary and replica (`topology.postgres`) behind an API process. Pausing the
replica's replay makes what it serves visibly stale, which shows where each read went."""

import asyncio
import contextlib
import os
import subprocess
import sys
import uuid

import httpx
import pytest

from tests.catalog.helpers import add_product
from tests.conftest import GraphQL, sign_up
from tests.server.helpers import ServerProcess
from tests.shops.helpers import open_shop
from topology.postgres import replica_pair

pytestmark = pytest.mark.skipif(
    not os.environ.get("TEST_POSTGRES_URL"), reason="needs the PostgreSQL run (TEST_POSTGRES_URL)"
)

SEARCH = "query($q: String) { products(query: $q, first: 5) { edges { node { name } } } }"
ME = "query { me { name } }"


@pytest.fixture(scope="module")
def pair():
    with replica_pair() as built:
        migrated = subprocess.run(
            [sys.executable, "-m", "server.cli", "migrate"],
            env={**os.environ, "DATABASE_URL": built.primary.url},
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert migrated.returncode == 0, migrated.stderr
        yield built


@contextlib.asynccontextmanager
async def api(live, tmp_path, pair, max_lag: int):
    """The API on the pair, once its replica is in use; yields (gql, http)."""
    server = ServerProcess(
        live,
        tmp_path,
        DATABASE_URL=pair.primary.url,
        DATABASE_REPLICA_URL=pair.replica.url,
        REPLICA_MAX_LAG_SECONDS=str(max_lag),
    )
    async with server, httpx.AsyncClient(base_url=server.url, timeout=30) as http:
        await eventually(lambda: replica_in_use(http))
        yield GraphQL(http), http


@contextlib.contextmanager
def replay_paused(pair):
    pair.replica.sql("SELECT pg_wal_replay_pause()")
    try:
        yield
    finally:
        pair.replica.sql("SELECT pg_wal_replay_resume()")


async def a_shop(gql: GraphQL) -> tuple[str, str]:
    """A new seller's token and their shop's id."""
    seller = await sign_up(gql, "Pemilik Toko")
    shop = await open_shop(gql, seller["token"], name=f"Toko {uuid.uuid4().hex[:6]}")
    return seller["token"], shop["id"]


async def found(gql: GraphQL, word: str, token: str | None = None) -> list[str]:
    result = await gql(SEARCH, {"q": word}, token=token)
    assert "errors" not in result, result
    return [edge["node"]["name"] for edge in result["data"]["products"]["edges"]]


async def replica_in_use(http: httpx.AsyncClient) -> bool:
    metrics = (await http.get("/metrics")).text
    line = next(x for x in metrics.splitlines() if x.startswith("satupintu_replica_in_use"))
    return float(line.split()[-1]) == 1.0


async def replica_left_out(http: httpx.AsyncClient) -> bool:
    return not await replica_in_use(http)


async def eventually(check, seconds: float = 15.0) -> None:
    for _ in range(int(seconds / 0.1)):
        if await check():
            return
        await asyncio.sleep(0.1)
    raise AssertionError("not within the time")


async def test_a_seller_finds_a_new_product_at_once_while_others_read_the_replica(
    live, tmp_path, pair
):
    async with api(live, tmp_path, pair, max_lag=60) as (gql, _):
        token, shop_id = await a_shop(gql)
        word = f"Dodol{uuid.uuid4().hex[:6]}"
        with replay_paused(pair):
            await add_product(gql, token, shop_id, name=f"Dodol Garut {word}")
            assert await found(gql, word, token) == [f"Dodol Garut {word}"]
            assert await found(gql, word) == []  # anyone else: the paused replica
            assert (await gql(ME, token=token))["data"]["me"]["name"] == "Pemilik Toko"
        await eventually(lambda: finds(gql, word))


async def test_both_pools_are_measured(live, tmp_path, pair):
    async with api(live, tmp_path, pair, max_lag=5) as (gql, http):
        await found(gql, "dodol")
        await eventually(lambda: pools_measured(http))


async def pools_measured(http: httpx.AsyncClient) -> bool:
    """Whether /metrics has sampled (every second) both pools' open connections."""
    metrics = (await http.get("/metrics")).text
    return all(
        f'satupintu_db_pool_connections{{database="{database}",state="open"}}' in metrics
        for database in ("primary", "replica")
    )


async def test_a_replica_lagging_past_the_limit_is_skipped(live, tmp_path, pair):
    async with api(live, tmp_path, pair, max_lag=1) as (gql, http):
        token, shop_id = await a_shop(gql)
        word = f"Wajik{uuid.uuid4().hex[:6]}"
        with replay_paused(pair):
            await add_product(gql, token, shop_id, name=f"Wajik Ketan {word}")
            await eventually(lambda: replica_left_out(http))
            assert await found(gql, word) == [f"Wajik Ketan {word}"]  # from the primary
        await eventually(lambda: replica_in_use(http))


async def test_a_replica_down_is_skipped_without_an_error(live, tmp_path, pair):
    async with api(live, tmp_path, pair, max_lag=5) as (gql, http):
        before = await found(gql, "dodol")
        pair.replica.stop("immediate")
        try:
            for _ in range(30):  # before and after the next check finds it down
                assert await found(gql, "dodol") == before
                await asyncio.sleep(0.05)
            assert await replica_left_out(http)
        finally:
            pair.replica.start()
        await eventually(lambda: replica_in_use(http))
        assert await found(gql, "dodol") == before


async def finds(gql: GraphQL, word: str) -> bool:
    return bool(await found(gql, word))
