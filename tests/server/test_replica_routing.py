"""Where reads go with a replica configured, without one running: the settings, the rule
that a transaction never reads the replica, and the marks of recent writers."""

import asyncio
import os

import pytest
from tortoise.transactions import in_transaction

from resolvers.platform import lag_tolerant_reads, reads_from_replica, set_replica_usable
from server.redis_broker import redis_client
from server.replica import RecentWrites
from server.settings import Settings, SettingsError


@pytest.mark.parametrize(
    ("database", "replica"),
    [
        ("sqlite://var/a.sqlite3", "postgres://replica/satupintu"),
        ("postgres://primary/satupintu", "sqlite://var/b.sqlite3"),
        ("postgres://primary/satupintu", "postgres://replica"),
    ],
)
def test_a_replica_url_that_cannot_be_one_is_refused(database, replica):
    env = {"DATABASE_URL": database, "DATABASE_REPLICA_URL": replica, "SECRET_KEY": "x" * 32}
    with pytest.raises(SettingsError, match="DATABASE_REPLICA_URL"):
        Settings.from_env(env)


def test_a_replica_and_its_lag_limit_are_read():
    env = {
        "DATABASE_URL": "postgres://primary/satupintu",
        "DATABASE_REPLICA_URL": "postgres://replica/satupintu",
        "REPLICA_MAX_LAG_SECONDS": "3",
        "SECRET_KEY": "x" * 32,
    }
    settings = Settings.from_env(env)
    assert settings.database_replica_url == "postgres://replica/satupintu"
    assert settings.replica_max_lag_seconds == 3


async def test_only_lag_tolerant_reads_outside_a_transaction_use_a_usable_replica(live):
    set_replica_usable(True)
    try:
        assert not reads_from_replica()  # not marked lag tolerant
        with lag_tolerant_reads():
            assert reads_from_replica()
            async with in_transaction():
                assert not reads_from_replica()
        set_replica_usable(False)
        with lag_tolerant_reads():
            assert not reads_from_replica()
    finally:
        set_replica_usable(False)


@pytest.mark.parametrize("shared", [False, True], ids=["this process", "redis"])
async def test_a_writer_is_remembered_for_a_while(shared):
    if shared and not os.environ.get("REDIS_URL"):
        pytest.skip("needs REDIS_URL")
    redis = redis_client(os.environ["REDIS_URL"]) if shared else None
    prefix = f"satupintu-test-{os.getpid()}:"
    writes = RecentWrites(0.3, redis, prefix)
    await writes.mark(7)
    assert await writes.wrote_recently(7)
    assert not await writes.wrote_recently(8)
    if redis is not None:  # another host sees the mark
        assert await RecentWrites(0.3, redis, prefix).wrote_recently(7)
    await asyncio.sleep(0.4)
    assert not await writes.wrote_recently(7)
    if redis is not None:
        await redis.aclose()
