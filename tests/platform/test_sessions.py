"""Sessions from the attacker's side: a revoked or ended session stops working at once, on
HTTP and on WebSockets opened before, on this worker and on another."""

import asyncio
import json
import os
from datetime import timedelta

import pytest
from redis.asyncio import Redis
from websockets.exceptions import ConnectionClosed

from models.platform.accounts import ApiKey, AuthToken, User
from resolvers.platform.clock import now
from resolvers.platform.sessions import SessionPolicy, digest, ends_at
from tests.conftest import sign_up
from tests.orders.helpers import seller_with_products, subscribe
from tests.server.helpers import ServerProcess, open_socket

ME = "{ me { email } }"
LOGIN = """mutation($email: String!, $password: String!) {
  login(email: $email, password: $password) { token errors { field code } }
}"""
LOGOUT = "mutation { logout { ok } }"
EVERYWHERE = "mutation { logoutEverywhere { ok errors { code } } }"
CHANGE = """mutation($current: String!, $new: String!) {
  changePassword(currentPassword: $current, newPassword: $new) { ok errors { field code } }
}"""
CREATE_KEY = 'mutation { createApiKey(name: "curian") { key errors { code } } }'


def test_a_session_ends_when_idle_or_old_whichever_comes_first():
    policy = SessionPolicy(idle=timedelta(days=14), max_age=timedelta(days=90))
    born = now()
    assert ends_at(born, None, policy) == born + timedelta(days=14)
    used = born + timedelta(days=30)
    assert ends_at(born, used, policy) == used + timedelta(days=14)
    assert ends_at(born, born + timedelta(days=85), policy) == born + timedelta(days=90)


async def closed_code(socket, within: float) -> int:
    """The close code of `socket`, which must close within `within` seconds."""
    with pytest.raises(ConnectionClosed) as closed:  # noqa: PT012 (read until it closes)
        async with asyncio.timeout(within):
            while True:
                await socket.recv()
    return closed.value.rcvd.code


async def still_open(socket) -> bool:
    try:
        await asyncio.wait_for(socket.recv(), 0.3)
    except TimeoutError:
        return True
    except ConnectionClosed:
        return False
    return True


async def listening(live, workers: int = 1) -> None:
    """Until every worker listens for revocations."""
    watch = live.server.config.app.state.watch
    await asyncio.wait_for(watch.listening.wait(), 5)
    if workers == 1:
        return
    redis = Redis.from_url(live.settings.redis_url)
    try:
        channel = watch.events.prefix + "sessions"
        for _ in range(500):
            if (await redis.pubsub_numsub(channel))[0][1] >= workers:
                return
            await asyncio.sleep(0.01)
    finally:
        await redis.aclose()
    raise AssertionError("not every worker listens for revocations")


async def second_session(gql, account) -> str:
    answer = await gql(LOGIN, {"email": account["user"]["email"], "password": "rahasia123"})
    return answer["data"]["login"]["token"]


async def test_a_logout_closes_that_tokens_sockets_within_a_second(gql, live):
    owner, shop, _ = await seller_with_products(gql)
    other_token = await second_session(gql, owner)
    await listening(live)
    leaving = await subscribe(live, owner["token"], shop["id"])
    staying = await subscribe(live, other_token, shop["id"])
    try:
        assert await still_open(leaving)
        assert (await gql(LOGOUT, token=owner["token"]))["data"]["logout"]["ok"] is True
        assert await closed_code(leaving, 1.0) == 4401
        assert await still_open(staying)  # another session of the same user goes on
    finally:
        await leaving.close()
        await staying.close()


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="two workers share events by Redis")
async def test_a_logout_on_one_worker_closes_the_socket_on_another(gql, live, tmp_path):
    owner, shop, _ = await seller_with_products(gql)
    async with ServerProcess(live, tmp_path) as other:
        await listening(live, workers=2)
        socket = await subscribe(other, owner["token"], shop["id"])
        try:
            assert await still_open(socket)
            await gql(LOGOUT, token=owner["token"])  # through `live`
            assert await closed_code(socket, 1.0) == 4401
        finally:
            await socket.close()


async def test_a_revoked_token_runs_nothing_more_on_an_open_socket(gql, live):
    user = await sign_up(gql)
    socket = await open_socket(live, {"authorization": f"Bearer {user['token']}"})
    assert json.loads(await socket.recv()) == {"type": "connection_ack"}
    # Revoked behind the server's back: no event, only the check before each operation.
    await AuthToken.filter(digest=digest(user["token"])).update(revoked_at=now())
    try:
        payload = {"query": CREATE_KEY}
        await socket.send(json.dumps({"id": "1", "type": "subscribe", "payload": payload}))
        assert await closed_code(socket, 2.0) == 4401
    finally:
        await socket.close()
    owner = await User.get(email=user["user"]["email"])
    assert not await ApiKey.filter(user_id=owner.id).exists()


async def test_a_socket_closes_when_its_session_ends(gql, live):
    user = await sign_up(gql)
    ninety_days = timedelta(days=live.settings.session_max_days)
    born = now() - ninety_days + timedelta(seconds=1.5)
    await AuthToken.filter(digest=digest(user["token"])).update(created_at=born, last_used_at=now())
    socket = await open_socket(live, {"authorization": f"Bearer {user['token']}"})
    try:
        assert json.loads(await socket.recv()) == {"type": "connection_ack"}
        assert await closed_code(socket, 4.0) == 4401
    finally:
        await socket.close()
    assert (await gql(ME, token=None))["data"]["me"] is None


async def test_sessions_end_when_idle_or_old(gql, client):
    idle, old, used = [await sign_up(gql) for _ in range(3)]
    idle_for = timedelta(minutes=15 * 24 * 60)
    await AuthToken.filter(digest=digest(idle["token"])).update(last_used_at=now() - idle_for)
    await AuthToken.filter(digest=digest(old["token"])).update(
        created_at=now() - timedelta(days=91), last_used_at=now()
    )
    for ended in (idle, old):
        response = await client.post(
            "/graphql", json={"query": ME}, headers={"Authorization": f"Bearer {ended['token']}"}
        )
        assert response.status_code == 401
        assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert (await gql(ME, token=used["token"]))["data"]["me"]["email"] == used["user"]["email"]
    touched = await AuthToken.get(digest=digest(used["token"]))
    assert now() - touched.last_used_at < timedelta(minutes=1)


async def test_logout_everywhere_ends_every_session_and_socket(gql, live, client):
    user = await sign_up(gql)
    other = await second_session(gql, user)
    await listening(live)
    socket = await open_socket(live, {"authorization": f"Bearer {other}"})
    assert json.loads(await socket.recv()) == {"type": "connection_ack"}
    try:
        done = await gql(EVERYWHERE, token=user["token"])
        assert done["data"]["logoutEverywhere"] == {"ok": True, "errors": []}
        assert await closed_code(socket, 1.0) == 4401
    finally:
        await socket.close()
    for token in (user["token"], other):
        response = await client.post(
            "/graphql", json={"query": ME}, headers={"Authorization": f"Bearer {token}"}
        )
        assert response.status_code == 401
    anonymous = await gql(EVERYWHERE)
    assert anonymous["data"]["logoutEverywhere"]["errors"] == [{"code": "UNAUTHENTICATED"}]


async def test_change_password_ends_the_other_sessions(gql, client):
    user = await sign_up(gql)
    email = user["user"]["email"]
    other = await second_session(gql, user)
    wrong = await gql(CHANGE, {"current": "tebakan1", "new": "baru-sekali-123"}, token=other)
    assert wrong["data"]["changePassword"]["errors"] == [
        {"field": "currentPassword", "code": "INVALID"}
    ]
    short = await gql(CHANGE, {"current": "rahasia123", "new": "pendek"}, token=other)
    assert short["data"]["changePassword"]["errors"] == [
        {"field": "newPassword", "code": "INVALID"}
    ]
    changed = await gql(CHANGE, {"current": "rahasia123", "new": "baru-sekali-123"}, token=other)
    assert changed["data"]["changePassword"] == {"ok": True, "errors": []}
    assert (await gql(ME, token=other))["data"]["me"]["email"] == email  # this one goes on
    ended = await client.post(
        "/graphql", json={"query": ME}, headers={"Authorization": f"Bearer {user['token']}"}
    )
    assert ended.status_code == 401
    old = await gql(LOGIN, {"email": email, "password": "rahasia123"})
    assert old["data"]["login"]["token"] is None
    assert (await gql(LOGIN, {"email": email, "password": "baru-sekali-123"}))["data"]["login"][
        "token"
    ]


async def test_a_revoked_api_key_closes_its_socket(gql, live):
    user = await sign_up(gql)
    made = await gql(
        'mutation { createApiKey(name: "kampus") { key apiKey { id } } }', token=user["token"]
    )
    key = made["data"]["createApiKey"]
    await listening(live)
    socket = await open_socket(live, {"apiKey": key["key"]})
    assert json.loads(await socket.recv()) == {"type": "connection_ack"}
    try:
        revoke = "mutation($id: ID!) { revokeApiKey(id: $id) { ok } }"
        await gql(revoke, {"id": key["apiKey"]["id"]}, token=user["token"])
        assert await closed_code(socket, 1.0) == 4401
    finally:
        await socket.close()
