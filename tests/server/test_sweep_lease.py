"""Periodic sweeps run by one worker of one host at a time: the lease each run holds, and two
API processes on one database (and Redis) that skip a sweep while someone else holds it."""

import asyncio
import contextlib
import uuid

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from server.redis_broker import redis_client
from server.settings import Settings
from server.sweep_lease import AdvisoryLease, LocalLease, RedisLease, sweep_lease
from tests.conftest import TEST_SECRET
from tests.server.helpers import ServerProcess


@contextlib.asynccontextmanager
async def lease_of(live):
    """The lease the server `live` uses, with a Redis client of the test's own."""
    async with lease_for(live.settings) as lease:
        yield lease


@contextlib.asynccontextmanager
async def lease_for(settings: Settings):
    redis = redis_client(settings.redis_url) if settings.redis_url else None
    lease = sweep_lease(settings, redis)
    try:
        yield lease
    finally:
        await lease.close()
        if redis is not None:
            await redis.aclose()


async def test_the_lease_matches_the_database_and_redis(live):
    async with lease_of(live) as lease:
        if not live.settings.is_sqlite:
            assert isinstance(lease, AdvisoryLease)
        elif live.settings.redis_url:
            assert isinstance(lease, RedisLease)
        else:
            assert isinstance(lease, LocalLease)


async def test_one_contender_holds_a_lease_at_a_time(live):
    inside = 0
    most_inside = 0
    holders = 0

    async def contend() -> None:
        nonlocal inside, most_inside, holders
        async with lease.hold("TEST_SWEEP") as held:
            if held:
                holders += 1
                inside += 1
                most_inside = max(most_inside, inside)
                await asyncio.sleep(0.3)
                inside -= 1

    async with lease_of(live) as lease:
        await asyncio.gather(*(contend() for _ in range(4)))
        assert (holders, most_inside) == (1, 1)
        # The holder let go: the next one gets it, and another name is free all along.
        await asyncio.gather(*(contend() for _ in range(4)))
        assert holders == 2
        async with lease.hold("TEST_SWEEP") as held, lease.hold("OTHER_SWEEP") as other:
            assert held
            assert other


async def test_a_failed_run_lets_go_of_its_lease(live):
    async def failing_run() -> None:
        async with lease.hold("FAILING_SWEEP") as held:
            assert held
            raise RuntimeError("the sweep failed")

    async with lease_of(live) as lease:
        with pytest.raises(RuntimeError):
            await failing_run()
        async with lease.hold("FAILING_SWEEP") as held:
            assert held


@contextlib.asynccontextmanager
async def held_at_last(lease, name: str):
    """Hold the lease on `name` once the host running that sweep now is done."""
    for _ in range(100):
        async with lease.hold(name) as held:
            if held:
                yield
                return
        await asyncio.sleep(0.05)
    raise AssertionError(f"the lease on {name} was never free")


async def sweep_counts(url: str) -> dict[tuple[str, str], float]:
    async with httpx.AsyncClient() as http:
        text = (await http.get(f"{url}/metrics")).text
    return {
        (sample.labels["sweep"], sample.labels["outcome"]): sample.value
        for family in text_string_to_metric_families(text)
        if family.name == "satupintu_sweep_runs"
        for sample in family.samples
        if sample.name == "satupintu_sweep_runs_total"
    }


async def test_two_hosts_skip_a_sweep_someone_else_holds(live, databases, tmp_path):
    if live.settings.is_sqlite and not live.settings.redis_url:
        pytest.skip("hosts share a lease only through PostgreSQL or Redis")
    # A migrated database the hosts alone use (the tests' server sweeps `live`'s too).
    async with databases.fresh("satupintu_hosts") as database_url:
        env = {
            "DATABASE_URL": database_url,
            "SECRET_KEY": TEST_SECRET,
            "SATUPINTU_VAR_DIR": str(tmp_path),
            "REDIS_KEY_PREFIX": f"satupintu-hosts-{uuid.uuid4().hex[:10]}:",
            "ORDER_EXPIRY_INTERVAL": "1",
            "BILL_RECHECK_INTERVAL": "1",
        }
        if live.settings.redis_url:
            env["REDIS_URL"] = live.settings.redis_url
        await sweeps_by_two_hosts(live, tmp_path, env)


async def sweeps_by_two_hosts(live, tmp_path, env: dict[str, str]) -> None:
    async with (
        lease_for(Settings.from_env(env)) as lease,
        ServerProcess(live, tmp_path / "a", **env) as first,
        ServerProcess(live, tmp_path / "b", **env) as second,
    ):
        hosts = (first, second)
        async with held_at_last(lease, "ORDER_EXPIRY"):
            before = [await sweep_counts(host.url) for host in hosts]
            await asyncio.sleep(3)
            during = [await sweep_counts(host.url) for host in hosts]
        for old, new in zip(before, during, strict=True):
            assert new.get(("ORDER_EXPIRY", "ran"), 0) == old.get(("ORDER_EXPIRY", "ran"), 0)
            assert new[("ORDER_EXPIRY", "skipped")] >= old.get(("ORDER_EXPIRY", "skipped"), 0) + 2
            assert (
                new.get(("BILL_RECHECK", "ran"), 0) + new.get(("BILL_RECHECK", "skipped"), 0) >= 2
            ), (old, new)
            assert new.get(("ORDER_EXPIRY", "failed"), 0) == 0
        # Let go: a host takes it within a run or two.
        for _ in range(50):
            after = [await sweep_counts(host.url) for host in hosts]
            ran = sum(counts.get(("ORDER_EXPIRY", "ran"), 0) for counts in after)
            if ran > sum(counts.get(("ORDER_EXPIRY", "ran"), 0) for counts in during):
                break
            await asyncio.sleep(0.1)
        else:
            raise AssertionError("no host ran the sweep after the lease was free")
