"""Services failing under a running server, for real: a Redis of our own stopped and started
again, a PostgreSQL that refuses connections, a media disk that is full. Each request gets a
clear coded answer, nothing is half-written, and the server recovers by itself.

The shared PostgreSQL and Redis are never touched: every service failed here is our own."""

from __future__ import annotations

import asyncio
import contextlib
import io
import os
import shutil
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from urllib.parse import urlparse

import httpx
import pytest
from PIL import Image
from redis.asyncio import Redis

from models.catalog.product import Image as ImageRow
from tests.catalog.helpers import UPLOAD, add_product, upload
from tests.conftest import TEST_SECRET, GraphQL, LiveServer, free_port, make_settings, sign_up
from tests.media.helpers import raw_client, s3_server
from tests.shops.helpers import open_shop

REGIONS = {"query": "{ kecamatan { code } }"}
PRODUCTS = {"query": "{ products(first: 1) { totalCount } }"}  # never from a cache


class OwnRedis:
    """A redis-server on a free loopback port that the test may stop and start."""

    def __init__(self, directory: Path) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.directory = directory
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                *("redis-server", "--port", str(self.port), "--bind", "127.0.0.1"),
                *("--save", "", "--appendonly", "no", "--dir", str(self.directory)),
            ],
            stdout=subprocess.DEVNULL,
        )

    async def wait_until_up(self) -> None:
        client = Redis.from_url(self.url)
        try:
            for _ in range(100):
                with contextlib.suppress(Exception):
                    if await client.ping():
                        return
                await asyncio.sleep(0.05)
            raise AssertionError("redis-server did not start")
        finally:
            await client.aclose()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


@pytest.fixture
async def own_redis(tmp_path: Path) -> AsyncIterator[OwnRedis]:
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed")
    redis = OwnRedis(tmp_path)
    redis.start()
    try:
        await redis.wait_until_up()
        yield redis
    finally:
        redis.stop()


async def eventually(probe, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while not await probe():
        assert time.monotonic() < deadline, "did not recover in time"
        await asyncio.sleep(0.2)


@pytest.mark.usefixtures("live")
async def test_redis_stopped_and_started_under_a_running_server(
    database_url, tmp_path, own_redis, caplog
):
    settings = make_settings(database_url, tmp_path / "media", REDIS_URL=own_redis.url)
    async with (
        LiveServer(settings, lifespan="off") as server,
        httpx.AsyncClient(base_url=server.url, timeout=30) as client,
    ):
        assert (await client.post("/graphql", json=REGIONS)).status_code == 200

        own_redis.stop()
        # Whatever does not need Redis answers: rate limits count in this worker meanwhile.
        started = time.perf_counter()
        for _ in range(3):
            answer = await client.post("/graphql", json=REGIONS)
            assert answer.status_code == 200, answer.text
            assert answer.json()["data"]["kecamatan"]
        assert time.perf_counter() - started < 3
        health = await client.get("/healthz")
        assert health.status_code == 503
        assert health.json()["checks"]["redis"].startswith("error")
        assert "Redis unavailable" in caplog.text
        assert "Traceback" not in caplog.text

        own_redis.start()
        await own_redis.wait_until_up()

        async def recovered() -> bool:
            await client.post("/graphql", json=REGIONS)
            counted = Redis.from_url(own_redis.url)
            try:
                pattern = f"{settings.redis_key_prefix}rate:*"
                keys = [k async for k in counted.scan_iter(pattern)]
            finally:
                await counted.aclose()
            return bool(keys) and (await client.get("/healthz")).status_code == 200

        await eventually(recovered)  # rate limits are shared in Redis again


async def test_live_events_without_redis_are_refused_with_a_code(own_redis):
    from resolvers.platform.errors import ServiceUnavailable
    from server.redis_broker import RedisBroker, redis_client

    broker = RedisBroker(redis_client(own_redis.url))
    own_redis.stop()
    try:
        await broker.publish("orders:shop:1", {"type": "CREATED", "orderId": 1})  # dropped
        with pytest.raises(ServiceUnavailable):
            async with broker.subscribe("orders:shop:1"):
                pass
    finally:
        await broker.redis.aclose()


class Forwarder:
    """A TCP forwarder on a loopback port to a real server: up, it passes every byte on;
    down, it refuses connections and cuts the ones it carries."""

    def __init__(self, target: tuple[str, int], *, down_at: tuple[bytes, int] | None = None):
        """`down_at=(b"PUT ", 2)`: go down when the second request starting so arrives."""
        self.port = free_port()
        self.target = target
        self.down_at = down_at
        self.seen = 0
        self.server: asyncio.Server | None = None
        self.writers: set[asyncio.StreamWriter] = set()

    async def up(self) -> None:
        self.server = await asyncio.start_server(self._carry, "127.0.0.1", self.port)

    async def down(self) -> None:
        if self.server is not None:
            self.server.close()
            for writer in list(self.writers):
                writer.transport.abort()
            await self.server.wait_closed()
            self.server = None

    async def _carry(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        upstream_reader, upstream_writer = await asyncio.open_connection(*self.target)
        self.writers |= {writer, upstream_writer}

        async def pipe(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
            with contextlib.suppress(OSError):
                while data := await source.read(65536):
                    if sink is upstream_writer and self._cut(data):
                        await self.down()
                        return
                    sink.write(data)
                    await sink.drain()
            sink.transport.abort()

        await asyncio.gather(pipe(reader, upstream_writer), pipe(upstream_reader, writer))
        self.writers -= {writer, upstream_writer}

    def _cut(self, data: bytes) -> bool:
        if self.down_at is None or not data.startswith(self.down_at[0]):
            return False
        self.seen += 1
        return self.seen >= self.down_at[1]


def serve_subprocess(database_url: str, tmp_path: Path) -> Iterator[str]:
    """`satupintu serve` as a subprocess on `database_url`; yields its base URL."""
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SATUPINTU_VAR_DIR": str(tmp_path),
        "SECRET_KEY": TEST_SECRET,
    }
    env.pop("REDIS_URL", None)
    log = (tmp_path / "server.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "server.cli", "serve", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            with contextlib.suppress(httpx.TransportError):
                httpx.get(f"{url}/healthz")
                break
            assert process.poll() is None, (tmp_path / "server.log").read_text()
            assert time.monotonic() < deadline
            time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            raise
        finally:
            log.close()


@pytest.fixture
def server_refusing_database(tmp_path: Path) -> Iterator[str]:
    """A server whose DATABASE_URL is a port where nothing listens."""
    yield from serve_subprocess(f"postgres://postgres@127.0.0.1:{free_port()}/satupintu", tmp_path)


async def test_database_refusing_connections_gives_503_service_unavailable(
    server_refusing_database, tmp_path
):
    async with httpx.AsyncClient(base_url=server_refusing_database, timeout=30) as client:
        typename = await client.post("/graphql", json={"query": "{ __typename }"})
        assert typename.json()["data"] == {"__typename": "Query"}  # needs no database

        for headers in ({}, {"Authorization": "Bearer sesi-apa-saja"}):
            started = time.perf_counter()
            answer = await client.post("/graphql", json=REGIONS, headers=headers)
            assert time.perf_counter() - started < 5
            assert answer.status_code == 503, answer.text
            assert int(answer.headers["retry-after"]) > 0
            (error,) = answer.json()["errors"]
            assert error["extensions"]["code"] == "SERVICE_UNAVAILABLE"
            assert error["message"].startswith("Layanan sedang tidak tersedia")

        assert (await client.get("/healthz")).status_code == 503
    log = (tmp_path / "server.log").read_text()
    assert "Traceback" not in log, log


@pytest.fixture
def full_disk(tmp_path: Path) -> Iterator[Path]:
    """A 512 KB tmpfs as the media root, filled but for a few kilobytes."""
    root = tmp_path / "media"
    root.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", str(root)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        filler = root / "filler"
        with filler.open("wb", buffering=0) as out, contextlib.suppress(OSError):
            while True:
                out.write(b"\0" * 4096)
        os.truncate(filler, filler.stat().st_size - 16384)
        yield root
    finally:
        subprocess.run(["umount", "-l", str(root)], check=False)


def noise(width: int, height: int) -> bytes:
    """A PNG that does not compress: its renditions need more room than is left."""
    out = io.BytesIO()
    Image.frombytes("RGB", (width, height), os.urandom(width * height * 3)).save(out, "PNG")
    return out.getvalue()


async def upload_refused(settings, picture: bytes) -> None:
    """A new product's photo sent to a server on `settings`, whose media store fails: the
    answer is a UserError on `file`, and no image row is written."""
    async with (
        LiveServer(settings, lifespan="off") as server,
        httpx.AsyncClient(base_url=server.url, timeout=60) as client,
    ):
        gql = GraphQL(client)
        owner = await sign_up(gql)
        shop = await open_shop(gql, owner["token"])
        product = await add_product(gql, owner["token"], shop["id"])
        before = await ImageRow.all().count()
        variables = {"productId": product["id"]}
        result = await upload(client, owner["token"], UPLOAD, variables, "a.png", picture)
    payload = result["data"]["uploadProductImage"]
    assert payload["image"] is None
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [("file", "INVALID_STATE")]
    assert await ImageRow.all().count() == before


@pytest.mark.usefixtures("live")
async def test_full_media_disk_gives_a_user_error_and_leaves_nothing(database_url, full_disk):
    await upload_refused(make_settings(database_url, full_disk), noise(800, 600))
    assert [p.name for p in full_disk.rglob("*") if p.is_file()] == ["filler"]


async def test_database_going_away_and_coming_back(database_url, tmp_path):
    if not database_url.startswith("postgres"):
        pytest.skip("needs the PostgreSQL run (TEST_POSTGRES_URL)")
    parsed = urlparse(database_url)
    forwarder = Forwarder((parsed.hostname or "127.0.0.1", parsed.port or 5432))
    through = parsed._replace(netloc=f"{parsed.username}@127.0.0.1:{forwarder.port}").geturl()
    servers = serve_subprocess(through, tmp_path)
    url = await asyncio.to_thread(next, servers)
    try:
        async with httpx.AsyncClient(base_url=url, timeout=30) as client:

            async def status() -> int:
                return (await client.post("/graphql", json=PRODUCTS)).status_code

            assert await status() == 503
            await forwarder.up()
            await eventually(lambda: _is(status, 200))  # no restart needed
            await forwarder.down()  # the pooled connections are cut mid-life
            answer = await client.post("/graphql", json=PRODUCTS)
            assert answer.status_code == 503, answer.text
            assert answer.json()["errors"][0]["extensions"]["code"] == "SERVICE_UNAVAILABLE"
            await forwarder.up()
            await eventually(lambda: _is(status, 200))
    finally:
        await forwarder.down()
        await asyncio.to_thread(next, servers, None)  # in a thread: the loop carries the forwarder
    assert "Traceback" not in (tmp_path / "server.log").read_text()


async def _is(probe, expected) -> bool:
    return await probe() == expected


@pytest.mark.usefixtures("live")
async def test_s3_unreachable_mid_upload_leaves_no_row_and_no_object(
    database_url, tmp_path, moto_endpoint, bucket
):
    moto = urlparse(moto_endpoint)
    forwarder = Forwarder((moto.hostname or "127.0.0.1", moto.port or 80), down_at=(b"PUT ", 2))
    await forwarder.up()
    endpoint = f"http://127.0.0.1:{forwarder.port}"
    settings = (await s3_server(database_url, tmp_path, endpoint, bucket)).settings
    try:
        await upload_refused(settings, noise(1200, 900))
        assert forwarder.seen == 2  # the first rendition was stored, the second cut off

        def objects() -> list[str]:
            listed = raw_client(moto_endpoint).list_objects_v2(Bucket=bucket)
            return [o["Key"] for o in listed.get("Contents", [])]

        assert len(objects()) == 1  # stored before the store went away
        forwarder.down_at = None
        await forwarder.up()

        async def cleaned() -> bool:
            return objects() == []

        await eventually(cleaned)  # removed once the store answers again
    finally:
        await forwarder.down()
