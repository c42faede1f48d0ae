"""S3Storage against moto's S3 server, run for real on a loopback port, and a closed port."""

from __future__ import annotations

import asyncio
import json
import socket
import time
import uuid
from collections.abc import Iterator
from urllib.parse import parse_qs, urlparse

import httpx
import pytest

from media.s3 import CACHE_CONTROL, MAX_PRESIGN_SECONDS, S3Storage
from media.storage import StorageError
from server.app import make_storage, prepare_storage
from tests.conftest import CREDENTIALS, free_port, make_settings
from tests.media.helpers import raw_client


def public_read(bucket: str) -> str:
    """The bucket policy an operator sets with S3_PUBLIC_URL: anyone may GET objects."""
    statement = {
        "Effect": "Allow",
        "Principal": "*",
        "Action": "s3:GetObject",
        "Resource": f"arn:aws:s3:::{bucket}/*",
    }
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=10, trust_env=False) as client:
        yield client


async def test_save_url_and_delete_with_presigned_urls(moto_endpoint, bucket, http):
    storage = S3Storage(bucket, endpoint_url=moto_endpoint, **CREDENTIALS)
    await storage.check()
    key, data = "img/ab/abc123/160.webp", b"RIFF\x00\x01gambar" * 1000

    await storage.save(key, data, "image/webp")

    stored = raw_client(moto_endpoint).get_object(Bucket=bucket, Key=key)
    assert stored["Body"].read() == data
    assert stored["ContentType"] == "image/webp"
    assert stored["CacheControl"] == CACHE_CONTROL

    url = storage.url(key)
    query = parse_qs(urlparse(url).query)
    assert url.startswith(f"{moto_endpoint}/{bucket}/{key}?")
    assert query["X-Amz-Expires"] == [str(MAX_PRESIGN_SECONDS)]
    served = http.get(url)
    assert served.status_code == 200
    assert served.content == data

    await storage.delete(key)
    listed = raw_client(moto_endpoint).list_objects_v2(Bucket=bucket)
    assert listed.get("KeyCount", 0) == 0
    assert http.get(url).status_code == 404
    await storage.delete(key)  # a missing key is not an error


async def test_public_url_serves_the_object(moto_endpoint, bucket, http):
    storage = S3Storage(
        bucket, endpoint_url=moto_endpoint, public_url=f"{moto_endpoint}/{bucket}/", **CREDENTIALS
    )
    key = "img/cd/cdef/640.webp"
    await storage.save(key, b"publik", "image/webp")
    assert storage.url(key) == f"{moto_endpoint}/{bucket}/{key}"
    assert http.get(storage.url(key)).status_code == 403  # private until the operator says so
    raw_client(moto_endpoint).put_bucket_policy(Bucket=bucket, Policy=public_read(bucket))
    served = http.get(storage.url(key))
    assert served.status_code == 200
    assert served.content == b"publik"
    assert served.headers["content-type"] == "image/webp"


async def test_concurrent_saves_run_in_threads(moto_endpoint, bucket):
    storage = S3Storage(bucket, endpoint_url=moto_endpoint, **CREDENTIALS)
    keys = [f"img/ef/{n}/160.webp" for n in range(12)]
    await asyncio.gather(*(storage.save(k, k.encode(), "image/webp") for k in keys))
    client = raw_client(moto_endpoint)
    for key in keys:
        assert client.get_object(Bucket=bucket, Key=key)["Body"].read() == key.encode()


async def test_ensure_bucket_creates_once_and_is_idempotent(moto_endpoint):
    name = f"baru-{uuid.uuid4().hex[:12]}"
    storage = S3Storage(name, endpoint_url=moto_endpoint, region="ap-southeast-3", **CREDENTIALS)
    with pytest.raises(StorageError):
        await storage.check()  # missing bucket
    await storage.ensure_bucket()
    await storage.ensure_bucket()
    await storage.check()
    location = raw_client(moto_endpoint).get_bucket_location(Bucket=name)
    assert location["LocationConstraint"] == "ap-southeast-3"


async def test_make_storage_builds_s3_from_settings(moto_endpoint, tmp_path):
    name = f"app-{uuid.uuid4().hex[:12]}"
    settings = make_settings(
        "sqlite://:memory:",
        tmp_path / "media",
        MEDIA_BACKEND="s3",
        S3_ENDPOINT_URL=moto_endpoint,
        S3_BUCKET=name,
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
    )
    storage = make_storage(settings)
    assert isinstance(storage, S3Storage)
    await prepare_storage(storage)  # creates the bucket as the app does at start
    await storage.check()
    await storage.save("a/b.webp", b"x", "image/webp")
    assert raw_client(moto_endpoint).get_object(Bucket=name, Key="a/b.webp")["Body"].read() == b"x"


async def test_unreachable_store_fails_fast_with_storage_error():
    closed = f"http://127.0.0.1:{free_port()}"  # bound then released: nothing listens
    storage = S3Storage("media", endpoint_url=closed, **CREDENTIALS)
    for attempt in (
        lambda: storage.save("img/x/1.webp", b"x", "image/webp"),
        storage.check,
        storage.ensure_bucket,
        lambda: storage.delete("img/x/1.webp"),
    ):
        started = time.perf_counter()
        with pytest.raises(StorageError):
            await attempt()
        assert time.perf_counter() - started < 3.0
    # Presigning needs no network, and the app starts (degraded) when the store is down.
    assert storage.url("img/x/1.webp").startswith(f"{closed}/media/img/x/1.webp?")
    await prepare_storage(storage)


async def test_silent_store_times_out_with_storage_error():
    with socket.socket() as listener:  # accepts connections, never answers
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        silent = f"http://127.0.0.1:{listener.getsockname()[1]}"
        storage = S3Storage("media", endpoint_url=silent, read_timeout=0.3, **CREDENTIALS)
        started = time.perf_counter()
        with pytest.raises(StorageError):
            await storage.check()
        assert time.perf_counter() - started < 3.0
