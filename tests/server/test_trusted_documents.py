"""Trusted-only mode: the contract's and the storefront's operations run, by hash or text;
anything else only for holders of an API key."""

from __future__ import annotations

import json

import httpx
import pytest

from schema.execution.operations import contract_documents, contract_operation
from server.cli import main
from server.trusted_documents import TrustedDocuments
from storefront.api import Api
from storefront.operations import documents as storefront_documents
from tests.conftest import LiveServer, make_settings, sign_up
from tests.server.helpers import open_socket
from tests.server.persisted import CREATE_KEY, error_code, fresh_query, get, persisted, post, sha256

AD_HOC = "{ categories { slug } }"
CATEGORIES = contract_operation("Categories")


@pytest.fixture(scope="module")
async def trusted(live, database_url, tmp_path_factory):
    media = tmp_path_factory.mktemp("trusted") / "media"
    settings = make_settings(database_url, media, TRUSTED_DOCUMENTS="only")
    async with LiveServer(settings, lifespan="off") as server:
        yield server


@pytest.fixture
async def http(trusted):
    async with httpx.AsyncClient(base_url=trusted.url, timeout=30) as client:
        yield client


async def test_an_ad_hoc_query_is_refused_anonymous_and_signed_in(http, gql):
    user = await sign_up(gql)
    for headers in ({}, {"Authorization": f"Bearer {user['token']}"}):
        refused = await http.post("/graphql", json={"query": AD_HOC}, headers=headers)
        assert refused.status_code == 400
        assert error_code(refused) == "TRUSTED_DOCUMENT_REQUIRED"
        assert "data" not in refused.json()


async def test_a_contract_operation_runs_by_full_text_and_by_hash(http):
    by_text = await http.post("/graphql", json={"query": CATEGORIES})
    assert by_text.status_code == 200
    categories = by_text.json()["data"]["categories"]
    assert categories
    by_post = await post(http, CATEGORIES, send_query=False)
    assert by_post.json()["data"]["categories"] == categories
    by_get = await get(http, CATEGORIES)
    assert by_get.json()["data"]["categories"] == categories


async def test_a_storefront_operation_runs_as_the_storefront_sends_it(trusted):
    api = Api(trusted.url)
    try:
        home = await api.run("HomePage")
    finally:
        await api.close()
    assert "categories" in home


async def test_new_documents_cannot_be_registered_without_an_api_key(http):
    query = fresh_query()
    refused = await post(http, query, {"name": "Query"}, send_query=True)
    assert refused.status_code == 400
    assert error_code(refused) == "TRUSTED_DOCUMENT_REQUIRED"
    assert (await post(http, query, {"name": "Query"}, send_query=False)).status_code == 404


async def test_an_api_key_holder_keeps_ad_hoc_queries(http, gql):
    user = await sign_up(gql)
    key = (await gql(CREATE_KEY, {"name": "Tim Kampus"}, token=user["token"]))["data"]
    headers = {"X-Api-Key": key["createApiKey"]["key"]}
    answer = await http.post("/graphql", json={"query": AD_HOC}, headers=headers)
    assert answer.status_code == 200
    assert answer.json()["data"]["categories"]

    # What a key holder registers serves the key holder, not anonymous callers.
    query = fresh_query()
    assert (await post(http, query, {"name": "Query"}, send_query=True, headers=headers)).json()[
        "data"
    ] == {"__type": {"name": "Query"}}
    again = await post(http, query, {"name": "Query"}, send_query=False, headers=headers)
    assert again.status_code == 200
    assert (await post(http, query, {"name": "Query"}, send_query=False)).status_code == 404


async def test_over_websocket_too_only_trusted_documents_run(trusted):
    socket = await open_socket(trusted, {})
    try:
        assert json.loads(await socket.recv()) == {"type": "connection_ack"}
        await socket.send(
            json.dumps({"id": "1", "type": "subscribe", "payload": {"query": AD_HOC}})
        )
        refused = json.loads(await socket.recv())
        assert refused["type"] == "error"
        assert refused["payload"][0]["extensions"]["code"] == "TRUSTED_DOCUMENT_REQUIRED"

        by_hash = {"extensions": persisted(CATEGORIES)}
        await socket.send(json.dumps({"id": "2", "type": "subscribe", "payload": by_hash}))
        answer = json.loads(await socket.recv())
        assert answer["type"] == "next", answer
        assert answer["payload"]["data"]["categories"]
    finally:
        await socket.close()


async def test_the_default_mode_runs_ad_hoc_queries(client):
    answer = await client.post("/graphql", json={"query": AD_HOC})
    assert answer.status_code == 200
    assert answer.json()["data"]["categories"]


def test_the_registry_holds_every_contract_and_storefront_operation():
    registry = TrustedDocuments.registered()
    texts = [*contract_documents().values(), *storefront_documents().values()]
    assert all(sha256(text) in registry for text in texts)
    assert sha256(AD_HOC) not in registry


def test_the_manifest_is_exported_hash_to_document(tmp_path, monkeypatch):
    monkeypatch.setenv("SATUPINTU_VAR_DIR", str(tmp_path))
    target = tmp_path / "persisted-documents.json"
    with pytest.raises(SystemExit) as exit:
        main(["trusted-documents", "--output", str(target)])
    assert exit.value.code == 0
    manifest = json.loads(target.read_text())
    assert manifest == dict(TrustedDocuments.registered().manifest())
    assert manifest[sha256(CATEGORIES)] == CATEGORIES
    assert all(sha256(text) == digest for digest, text in manifest.items())
