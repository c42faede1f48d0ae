"""Persisted documents as GraphQL Code Generator's client preset makes them: its
`persisted-documents.json` (`sha256:<hex>` -> normalised document) is trusted with
`satupintu trusted-documents add`, read at start, and its client's `documentId` runs them, by
POST, GET and WebSocket, also under TRUSTED_DOCUMENTS=only.

fixtures/persisted-documents.json is four documents of the client preset's (6.2.0) manifest
for examples/web, as `npm run codegen` writes it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import httpx
import pytest

from server.cli import main
from server.trusted_documents import MANIFEST_DIR, TrustedDocuments, document_hash
from tests.conftest import GraphQL, LiveServer, free_port, make_settings, sign_up
from tests.orders.helpers import (
    add_to_cart,
    checkout,
    seller_with_products,
    wait_for_subscriber,
)
from tests.server.helpers import open_socket
from tests.server.persisted import error_code
from tests.server.test_cli_setups import assert_one_line, satupintu

FIXTURE = Path(__file__).parent / "fixtures" / "persisted-documents.json"
MANIFEST: dict[str, str] = json.loads(FIXTURE.read_text())


def document_id(operation: str) -> str:
    """The fixture's id of the operation named `operation`."""
    return next(
        key
        for key, text in MANIFEST.items()
        if f" {operation}(" in text or f" {operation} " in text
    )


SEARCH = document_id("StarterSearch")
ME = document_id("StarterMe")
ORDER_EVENTS = document_id("StarterOrderEvents")


def add(var_dir: Path, manifest: Path, *extra: str) -> int:
    """`satupintu trusted-documents add` as a user runs it; its exit code."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SATUPINTU_VAR_DIR", str(var_dir))
        with pytest.raises(SystemExit) as exit:
            main(["trusted-documents", "add", str(manifest), *extra])
    return int(exit.value.code or 0)


@pytest.fixture(scope="module")
async def trusting(live, database_url, tmp_path_factory):
    """A TRUSTED_DOCUMENTS=only server that was given the fixture before it started."""
    var_dir = tmp_path_factory.mktemp("persisted-documents")
    assert add(var_dir, FIXTURE) == 0
    settings = make_settings(database_url, var_dir / "media", TRUSTED_DOCUMENTS="only")
    async with LiveServer(settings, lifespan="off") as server:
        yield server


@pytest.fixture
async def http(trusting):
    async with httpx.AsyncClient(base_url=trusting.url, timeout=30) as client:
        yield client


def test_add_keeps_the_manifest_under_the_var_directory(tmp_path):
    assert add(tmp_path, FIXTURE) == 0
    kept = tmp_path / MANIFEST_DIR / "persisted-documents.json"
    assert json.loads(kept.read_text()) == MANIFEST
    registry = TrustedDocuments.registered(tmp_path / MANIFEST_DIR)
    assert all(registry.get(key.removeprefix("sha256:")) == text for key, text in MANIFEST.items())
    # Adding a new build under the same name replaces the old one's documents.
    smaller = tmp_path / "next-build.json"
    smaller.write_text(json.dumps({SEARCH: MANIFEST[SEARCH]}))
    assert add(tmp_path, smaller, "--name", "persisted-documents") == 0
    registry = TrustedDocuments.registered(tmp_path / MANIFEST_DIR)
    assert SEARCH.removeprefix("sha256:") in registry
    assert ME.removeprefix("sha256:") not in registry


async def test_the_client_presets_document_ids_run_by_post_and_get(http):
    by_post = await http.post(
        "/graphql", json={"documentId": SEARCH, "variables": {"query": "keripik"}}
    )
    assert by_post.status_code == 200, by_post.text
    assert "products" in by_post.json()["data"]
    by_get = await http.get(
        "/graphql", params={"documentId": SEARCH, "variables": json.dumps({"query": "keripik"})}
    )
    assert by_get.status_code == 200
    assert by_get.json() == by_post.json()
    assert by_get.headers["cache-control"].startswith("public")
    from_a_browser = await http.get(
        "/graphql",
        params={"documentId": SEARCH, "variables": json.dumps({"query": "keripik"})},
        headers={"Accept": "text/html,application/json;q=0.9"},
    )
    assert from_a_browser.json() == by_post.json()  # an answer, not GraphiQL


async def test_a_signed_in_user_runs_them_with_a_token(http, gql):
    user = await sign_up(gql, "Mahasiswa Uji")
    me = await http.post(
        "/graphql",
        json={"documentId": ME},
        headers={"Authorization": f"Bearer {user['token']}"},
    )
    assert me.json()["data"]["me"]["name"] == "Mahasiswa Uji"


async def test_the_manifests_exact_text_runs_and_nothing_else(http):
    text = MANIFEST[SEARCH]
    variables = {"query": "batik"}
    exact = await http.post("/graphql", json={"query": text, "variables": variables})
    assert exact.status_code == 200
    assert "products" in exact.json()["data"]
    respelled = await http.post("/graphql", json={"query": text + " ", "variables": variables})
    assert respelled.status_code == 400
    assert error_code(respelled) == "TRUSTED_DOCUMENT_REQUIRED"


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"documentId": "sha256:" + "0" * 64}, 404, "PERSISTED_QUERY_NOT_FOUND"),
        ({"documentId": "sha1:" + "0" * 40}, 400, "BAD_USER_INPUT"),
        ({"documentId": "0" * 64}, 400, "BAD_USER_INPUT"),
        ({"documentId": 12}, 400, "BAD_USER_INPUT"),
        (
            {"documentId": SEARCH, "extensions": {"persistedQuery": {"version": 1}}},
            400,
            "BAD_USER_INPUT",
        ),
        ({"documentId": SEARCH, "query": "{ __typename }"}, 400, "PERSISTED_QUERY_HASH_MISMATCH"),
    ],
)
async def test_a_wrong_document_id_is_refused(http, body, status, code):
    refused = await http.post("/graphql", json=body)
    assert refused.status_code == status
    assert error_code(refused) == code


async def test_a_server_not_given_the_manifest_does_not_know_its_ids(client):
    unknown = await client.post(
        "/graphql", json={"documentId": SEARCH, "variables": {"query": "x"}}
    )
    assert unknown.status_code == 404
    assert error_code(unknown) == "PERSISTED_QUERY_NOT_FOUND"


async def test_a_subscription_runs_by_id_over_websocket(trusting, http, gql):
    owner, shop, products = await seller_with_products(gql)
    buyer = await sign_up(gql, "Pembeli")
    trusted = GraphQL(http)  # the contract's documents are trusted: the order is made there
    socket = await open_socket(trusting, {"authorization": f"Bearer {owner['token']}"})
    try:
        assert json.loads(await socket.recv()) == {"type": "connection_ack"}
        # graphql-ws's client insists on a `query` string: empty beside the id.
        payload = {"query": "", "documentId": ORDER_EVENTS, "variables": {"shopId": shop["id"]}}
        await socket.send(json.dumps({"id": "1", "type": "subscribe", "payload": payload}))
        await wait_for_subscriber(trusting.server.config.app.state.services.events, shop["id"])
        assert (await add_to_cart(trusted, buyer["token"], products[0]["id"]))["errors"] == []
        placed = await checkout(trusted, buyer["token"], method="COD")
        order = placed["orders"][0]
        event = json.loads(await socket.recv())
        assert event["type"] == "next", event
        assert event["payload"]["data"]["orderEvents"]["type"] == "CREATED"
        assert event["payload"]["data"]["orderEvents"]["order"]["id"] == order["id"]
    finally:
        await socket.close()


async def test_an_unknown_id_over_websocket_is_not_found(trusting):
    socket = await open_socket(trusting, {})
    try:
        assert json.loads(await socket.recv()) == {"type": "connection_ack"}
        payload = {"query": "", "documentId": "sha256:" + "1" * 64}
        await socket.send(json.dumps({"id": "1", "type": "subscribe", "payload": payload}))
        refused = json.loads(await socket.recv())
        assert refused["type"] == "error"
        assert refused["payload"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"
    finally:
        await socket.close()


def lying(tmp_path: Path) -> Path:
    text = MANIFEST[ME]
    path = tmp_path / "lying.json"
    path.write_text(json.dumps({f"sha256:{document_hash(text + ' ')}": text}))
    return path


@pytest.mark.parametrize(
    ("manifest", "words"),
    [
        (lambda tmp: lying(tmp), ["is not the SHA-256 of its document"]),
        (
            lambda tmp: write(tmp, {"d2d9e7c9b6a3b5f3b4c8a1e0f9a8b7c6d5e4f3a2": "{ me { id } }"}),
            ["is not sha256:<hex>", "hashAlgorithm"],
        ),
        (lambda tmp: write_text(tmp, "[1, 2]"), ["JSON object"]),
        (lambda tmp: write_text(tmp, "{"), ["is not UTF-8 JSON"]),
        (lambda tmp: write_valid(tmp, "query Gone { meh { id } }"), ["is not valid", "meh"]),
        (
            lambda tmp: write_valid(tmp, "query A { me { id } } query B { me { id } }"),
            ["one operation"],
        ),
        (lambda tmp: write_valid(tmp, "query {"), ["does not parse"]),
        (lambda tmp: tmp / "missing.json", ["missing.json"]),
    ],
)
def test_add_refuses_a_manifest_it_cannot_trust_in_one_line(tmp_path, manifest, words):
    path = manifest(tmp_path)
    done = satupintu("trusted-documents", "add", str(path), tmp_path=tmp_path)
    assert_one_line(done, str(path.name), *words)
    assert not (tmp_path / MANIFEST_DIR).exists()


def test_add_refuses_a_name_that_is_not_a_file_name(tmp_path):
    done = satupintu("trusted-documents", "add", str(FIXTURE), "--name", "../x", tmp_path=tmp_path)
    assert_one_line(done, "--name")
    assert not (tmp_path / MANIFEST_DIR).exists()


def test_serve_refuses_a_kept_manifest_it_cannot_read(tmp_path):
    kept = tmp_path / MANIFEST_DIR
    kept.mkdir()
    shutil.copy(lying(tmp_path), kept / "web.json")
    done = satupintu("serve", "--port", str(free_port()), tmp_path=tmp_path)
    assert_one_line(done, "web.json", "SHA-256")


def test_the_exported_manifest_holds_the_added_documents(tmp_path, capsys):
    assert add(tmp_path, FIXTURE) == 0
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SATUPINTU_VAR_DIR", str(tmp_path))
        with pytest.raises(SystemExit):
            main(["trusted-documents"])
    exported = json.loads(capsys.readouterr().out)
    assert all(exported[key.removeprefix("sha256:")] == text for key, text in MANIFEST.items())


def write_text(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "persisted-documents.json"
    path.write_text(text)
    return path


def write(tmp_path: Path, manifest: dict[str, str]) -> Path:
    return write_text(tmp_path, json.dumps(manifest))


def write_valid(tmp_path: Path, text: str) -> Path:
    """A manifest whose id is right for `text`, whatever `text` is."""
    return write(tmp_path, {f"sha256:{document_hash(text)}": text})
