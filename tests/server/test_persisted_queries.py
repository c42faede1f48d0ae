"""Automatic persisted queries as Apollo clients send them, over POST and GET."""

from __future__ import annotations

import os
import uuid

import httpx
import pytest

from server.persisted_queries import MemoryDocuments, SharedDocuments
from server.redis_broker import redis_client
from tests.conftest import LiveServer, free_port, make_settings
from tests.server.persisted import (
    GQL_RESPONSE,
    error_code,
    fresh_query,
    get,
    persisted,
    post,
    sha256,
)

TYPE = {"name": "Query"}


async def test_unknown_hash_then_full_document_then_hash_alone_over_post(client):
    query = fresh_query()
    missed = await post(client, query, TYPE, send_query=False)
    assert missed.status_code == 404
    assert missed.json()["errors"][0]["message"] == "PersistedQueryNotFound"
    assert error_code(missed) == "PERSISTED_QUERY_NOT_FOUND"
    assert "data" not in missed.json()

    registered = await post(client, query, TYPE, send_query=True)
    assert registered.status_code == 200
    assert registered.json()["data"] == {"__type": {"name": "Query"}}

    hit = await post(client, query, {"name": "Mutation"}, send_query=False)
    assert hit.status_code == 200
    assert hit.json()["data"] == {"__type": {"name": "Mutation"}}


async def test_unknown_hash_then_full_document_then_hash_alone_over_get(client):
    query = fresh_query()
    missed = await get(client, query, TYPE, headers={"Accept": GQL_RESPONSE})
    assert missed.status_code == 404
    assert missed.headers["cache-control"] == "no-store"
    assert error_code(missed) == "PERSISTED_QUERY_NOT_FOUND"

    registered = await get(client, query, TYPE, send_query=True)
    assert registered.json()["data"] == {"__type": {"name": "Query"}}

    hit = await get(client, query, {"name": "Mutation"})
    assert hit.status_code == 200
    assert hit.json()["data"] == {"__type": {"name": "Mutation"}}


async def test_a_hash_that_does_not_match_the_document_is_refused_and_not_stored(client):
    query, other = fresh_query(), fresh_query()
    body = {"query": other, "extensions": persisted(query), "variables": TYPE}
    mismatch = await client.post("/graphql", json=body)
    assert mismatch.status_code == 400
    assert error_code(mismatch) == "PERSISTED_QUERY_HASH_MISMATCH"
    for text in (query, other):
        assert (await post(client, text, TYPE, send_query=False)).status_code == 404


async def test_a_document_that_does_not_validate_is_not_stored(client):
    query = "query Broken { nope }"
    answer = await post(client, query, send_query=True, headers={"Accept": GQL_RESPONSE})
    assert answer.status_code == 400
    assert (await post(client, query, send_query=False)).status_code == 404


async def test_a_stored_mutation_is_still_refused_over_get(client):
    mutation = "mutation StoredLogout { logout { ok } }"
    await post(client, mutation, send_query=True)
    refused = await get(client, mutation)
    assert refused.status_code == 405


async def test_malformed_persisted_queries_are_coded_400(client):
    for extensions in (
        {"persistedQuery": {"version": 2, "sha256Hash": sha256("{ __typename }")}},
        {"persistedQuery": {"version": True, "sha256Hash": sha256("{ __typename }")}},
        {"persistedQuery": {"version": 1, "sha256Hash": 12}},
        {"persistedQuery": {"version": 1, "sha256Hash": "g" * 64}},
        {"persistedQuery": []},
    ):
        answer = await client.post("/graphql", json={"extensions": extensions})
        assert answer.status_code == 400, extensions
        assert error_code(answer) == "BAD_USER_INPUT"


async def test_the_memory_store_keeps_the_most_recently_used():
    store = MemoryDocuments(size=2)
    await store.put("a", "A")
    await store.put("b", "B")
    assert await store.get("a") == "A"
    await store.put("c", "C")
    assert [await store.get(k) for k in ("a", "b", "c")] == ["A", None, "C"]


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL")
async def test_workers_share_persisted_queries_through_redis(live, database_url, tmp_path):
    shared = {"REDIS_KEY_PREFIX": f"satupintu-test-{uuid.uuid4().hex[:10]}:"}
    first = make_settings(database_url, tmp_path / "a" / "media", **shared)
    second = make_settings(database_url, tmp_path / "b" / "media", **shared)
    query = fresh_query()
    async with (
        LiveServer(first, lifespan="off") as a,
        LiveServer(second, lifespan="off") as b,
        httpx.AsyncClient(base_url=a.url) as on_a,
        httpx.AsyncClient(base_url=b.url) as on_b,
    ):
        assert (await post(on_b, query, TYPE, send_query=False)).status_code == 404
        assert (await post(on_a, query, TYPE, send_query=True)).status_code == 200
        hit = await post(on_b, query, TYPE, send_query=False)
        assert hit.status_code == 200
        assert hit.json()["data"] == {"__type": {"name": "Query"}}


async def test_without_redis_a_worker_keeps_to_its_own_documents():
    redis = redis_client(f"redis://127.0.0.1:{free_port()}/0")  # nothing listens there
    store = SharedDocuments(redis, "satupintu-test:", MemoryDocuments())
    try:
        assert await store.get("a" * 64) is None
        await store.put("a" * 64, "{ __typename }")
        assert await store.get("a" * 64) == "{ __typename }"
    finally:
        await redis.aclose()
