"""Limits from the attacker's side: the WebSocket is the same door as HTTP, API keys share
their owner's count, failed authentications and wrong passwords are counted, the webhook
is limited, and X-Forwarded-For is believed only from the proxies in FORWARDED_ALLOW_IPS."""

import asyncio
import json
import time
import uuid
from contextlib import asynccontextmanager

import httpx
import pytest

from resolvers.platform.attempts import FREE_FAILURES, MAX_DELAY, delay_after
from tests.conftest import LiveServer, fresh_rate_window, make_settings, sign_up
from tests.server.helpers import open_socket

LOGIN = """mutation($email: String!, $password: String!) {
  login(email: $email, password: $password) { token errors { field code message } }
}"""
CREATE_KEY = "mutation($name: String!) { createApiKey(name: $name) { key errors { code } } }"


def test_wrong_passwords_cost_nothing_at_first_then_ever_longer():
    assert [delay_after(n) for n in range(FREE_FAILURES)] == [0] * FREE_FAILURES
    assert [delay_after(FREE_FAILURES + n) for n in range(4)] == [1, 2, 4, 8]
    assert delay_after(FREE_FAILURES + 40) == MAX_DELAY


def limited(database_url, tmp_path, **settings) -> LiveServer:
    return LiveServer(make_settings(database_url, tmp_path / "media", **settings), lifespan="off")


@asynccontextmanager
async def limited_client(database_url, tmp_path, **settings):
    """A client of a server of its own, with these settings."""
    async with (
        limited(database_url, tmp_path, **settings) as server,
        httpx.AsyncClient(base_url=server.url) as http,
    ):
        yield http


async def post(http, query, variables=None, **headers):
    return await http.post("/graphql", json={"query": query, "variables": variables or {}},
                           headers=headers)  # fmt: skip


async def test_websocket_operations_count_against_the_same_limit(
    live, database_url, tmp_path, monkeypatch
):
    async with limited(database_url, tmp_path, RATE_LIMIT_PER_MINUTE="6") as server:
        fresh_rate_window(monkeypatch)
        socket = await open_socket(server, {})  # the connection itself is one request
        assert json.loads(await socket.recv()) == {"type": "connection_ack"}
        answered = refused = 0
        try:
            for n in range(10):
                variables = {"email": "korban@contoh.id", "password": f"tebakan{n}"}
                payload = {"query": LOGIN, "variables": variables}
                await socket.send(
                    json.dumps({"id": str(n), "type": "subscribe", "payload": payload})
                )
                message = json.loads(await asyncio.wait_for(socket.recv(), 5))
                if message["type"] == "next":
                    answered += 1
                    await socket.recv()  # its "complete"
                else:
                    assert message["type"] == "error", message
                    assert message["payload"][0]["extensions"]["code"] == "RATE_LIMITED"
                    refused += 1
        finally:
            await socket.close()
        assert (answered, refused) == (5, 5)
        async with httpx.AsyncClient(base_url=server.url) as http:
            assert (await post(http, "{ __typename }")).status_code == 429  # one count for both


async def test_query_limits_hold_over_the_websocket_too(live):
    socket = await open_socket(live, {})
    assert json.loads(await socket.recv()) == {"type": "connection_ack"}
    deep = "{ me { shops { products { edges { node { shop { products { edges { node { shop {"
    deep += " products { edges { node { shop { name } } } } } } } } } } } } } } }"
    try:
        await socket.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": deep}}))
        message = json.loads(await asyncio.wait_for(socket.recv(), 5))
        assert message["type"] in ("error", "next")
        errors = message["payload"] if message["type"] == "error" else message["payload"]["errors"]
        assert errors[0]["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    finally:
        await socket.close()


async def test_api_keys_share_one_count_per_owner(gql, database_url, tmp_path, monkeypatch):
    owner = await sign_up(gql)
    keys = [
        (await gql(CREATE_KEY, {"name": name}, token=owner["token"]))["data"]["createApiKey"]["key"]
        for name in ("a", "b")
    ]
    async with limited_client(database_url, tmp_path, RATE_LIMIT_PER_MINUTE="2") as http:
        fresh_rate_window(monkeypatch)
        statuses = [
            (await post(http, "{ __typename }", **{"x-api-key": key})).status_code
            for _ in range(15)
            for key in keys
        ]
    assert statuses.count(200) == 20  # ten times the limit for the owner, not for each key
    assert statuses[-1] == 429


async def test_a_user_has_at_most_five_api_keys(gql):
    owner = await sign_up(gql)
    answers = [
        (await gql(CREATE_KEY, {"name": f"k{n}"}, token=owner["token"]))["data"]["createApiKey"]
        for n in range(6)
    ]
    assert [bool(a["key"]) for a in answers] == [True] * 5 + [False]
    assert answers[-1]["errors"] == [{"code": "LIMIT_EXCEEDED"}]


async def test_keys_made_at_once_stay_within_the_cap(gql):
    owner = await sign_up(gql)
    answers = await asyncio.gather(
        *(gql(CREATE_KEY, {"name": f"k{n}"}, token=owner["token"]) for n in range(8))
    )
    made = [a for a in answers if a["data"]["createApiKey"]["key"]]
    assert len(made) == 5


async def test_a_key_beside_another_users_token_is_refused(gql, client):
    keeper = await sign_up(gql)
    key = (await gql(CREATE_KEY, {"name": "kampus"}, token=keeper["token"]))["data"]
    other = await sign_up(gql)
    headers = {"x-api-key": key["createApiKey"]["key"], "authorization": f"Bearer {other['token']}"}
    refused = await post(client, "{ me { email } }", **headers)
    assert refused.status_code == 401
    assert refused.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    own = {**headers, "authorization": f"Bearer {keeper['token']}"}
    assert (await post(client, "{ me { email } }", **own)).status_code == 200


async def test_wrong_passwords_for_one_account_make_it_wait(gql):
    victim = await sign_up(gql)
    email = victim["user"]["email"]
    for n in range(FREE_FAILURES):
        answer = await gql(LOGIN, {"email": email, "password": f"salah{n}"})
        assert answer["data"]["login"]["errors"][0]["code"] == "INVALID"
    started = time.monotonic()
    right = {"email": email, "password": "rahasia123"}
    waiting = (await gql(LOGIN, right))["data"]["login"]
    assert waiting["token"] is None  # not even the right password is tried during the wait
    assert waiting["errors"][0]["code"] == "LIMIT_EXCEEDED"
    await asyncio.sleep(max(0.0, 1.1 - (time.monotonic() - started)))
    assert (await gql(LOGIN, right))["data"]["login"]["token"]
    assert (await gql(LOGIN, {**right, "password": "salah"}))["data"]["login"]["errors"][0][
        "code"
    ] == "INVALID"  # a success forgets the failures


async def test_unknown_accounts_are_limited_alike(gql):
    email = f"tidak-ada-{uuid.uuid4().hex[:8]}@contoh.id"
    codes = [
        (await gql(LOGIN, {"email": email, "password": "x" * 8}))["data"]["login"]["errors"][0][
            "code"
        ]
        for _ in range(FREE_FAILURES + 1)
    ]
    assert codes == ["INVALID"] * FREE_FAILURES + ["LIMIT_EXCEEDED"]


async def test_the_webhook_is_limited(live, database_url, tmp_path, monkeypatch):
    async with limited_client(database_url, tmp_path, RATE_LIMIT_PER_MINUTE="3") as http:
        fresh_rate_window(monkeypatch)
        statuses = [
            (await http.post("/payments/webhook", content=b"{}")).status_code for _ in range(5)
        ]
    assert statuses[:3] == [401, 401, 401]
    assert statuses[-1] == 429


@pytest.mark.parametrize(
    ("trusted", "limited_by_address"), [("10.9.9.9", True), ("127.0.0.1", False)]
)
async def test_forwarded_addresses_are_believed_only_from_listed_proxies(
    live, database_url, tmp_path, trusted, limited_by_address
):
    settings = {"RATE_LIMIT_PER_MINUTE": "3", "FORWARDED_ALLOW_IPS": trusted}
    async with limited_client(database_url, tmp_path, **settings) as http:
        statuses = [
            (
                await post(http, "{ __typename }", **{"x-forwarded-for": f"203.0.113.{n}"})
            ).status_code
            for n in range(6)
        ]
    assert (429 in statuses) is limited_by_address
