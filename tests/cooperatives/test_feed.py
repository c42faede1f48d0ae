"""CooperativeTransactions over graphql-transport-ws: active members and pengurus see every
posting on members' savings within a second, on this worker or through Redis on another;
names never, member numbers only where the contract says; `after` replays what was missed."""

import asyncio
import json
import os
import time

import pytest

from schema.platform.ids import encode_id
from tests.conftest import sign_up
from tests.cooperatives.feed import (
    follow,
    next_line,
    wait_for_followers,
    wait_for_followers_on_redis,
)
from tests.cooperatives.helpers import Koperasi
from tests.server.helpers import ServerProcess

pytestmark = pytest.mark.usefixtures("books_balance")

WITH_BALANCE = """subscription($cooperativeId: ID!, $after: ID) {
  cooperativeTransactions(cooperativeId: $cooperativeId, after: $after) {
    id kind account amount { amount } balanceAfter { amount } membership { number }
  }
}"""


async def test_members_and_pengurus_see_postings_numbers_only_where_allowed(gql, live):
    koperasi = await Koperasi.new(gql)
    siti, siti_id = await koperasi.member()
    _, budi_id = await koperasi.member()
    sockets = [
        await follow(live, t, koperasi.id, WITH_BALANCE)
        for t in (siti["token"], koperasi.pengurus["token"])
    ]
    try:
        await wait_for_followers(live.server.config.app.state.services.events, koperasi.id, 2)
        await koperasi.deposit(budi_id, 70000)
        seen_by_siti, seen_by_pengurus = [await next_line(s) for s in sockets]
        assert seen_by_siti == {
            **seen_by_siti, "kind": "DEPOSIT", "account": "SUKARELA",
            "amount": {"amount": 70000}, "balanceAfter": None, "membership": None,
        }  # fmt: skip
        assert seen_by_pengurus == {
            **seen_by_siti, "balanceAfter": {"amount": 70000}, "membership": {"number": 2},
        }  # fmt: skip
        await koperasi.deposit(siti_id, 5000)
        await koperasi.withdraw(siti_id, 2000, siti["token"])
        own = [await next_line(sockets[0]) for _ in range(2)]
        assert [(x["kind"], x["amount"]["amount"], x["membership"]) for x in own] == [
            ("DEPOSIT", 5000, {"number": 1}), ("WITHDRAWAL", -2000, {"number": 1}),
        ]  # fmt: skip
        assert own[1]["balanceAfter"] == {"amount": 3000}
        assert [(await next_line(sockets[1]))["membership"] for _ in range(2)] == [
            {"number": 1}, {"number": 1},
        ]  # fmt: skip
    finally:
        for socket in sockets:
            await socket.close()


async def test_the_contract_subscription_names_nobody(gql, live):
    koperasi = await Koperasi.new(gql)
    siti, _ = await koperasi.member()
    _, budi_id = await koperasi.member()
    socket = await follow(live, siti["token"], koperasi.id)
    try:
        await wait_for_followers(live.server.config.app.state.services.events, koperasi.id)
        await koperasi.deposit(budi_id, 1000)
        line = await next_line(socket)
        assert set(line) == {"id", "kind", "account", "description", "createdAt", "amount",
                             "membership"}  # fmt: skip
        assert line["membership"] is None
        assert "Anggota" not in json.dumps(line)
    finally:
        await socket.close()


async def test_only_active_members_and_pengurus_may_follow(gql, live):
    koperasi, other = await Koperasi.new(gql), await Koperasi.new(gql)
    pending = await sign_up(gql)
    await koperasi.apply(pending)
    for token, code in (
        ((await sign_up(gql))["token"], "FORBIDDEN"),
        (pending["token"], "FORBIDDEN"),
        (other.pengurus["token"], "FORBIDDEN"),
        (None, "UNAUTHENTICATED"),
    ):
        socket = await follow(live, token, koperasi.id)
        try:
            message = json.loads(await asyncio.wait_for(socket.recv(), 2))
            assert message["payload"]["errors"][0]["extensions"]["code"] == code
        finally:
            await socket.close()
    socket = await follow(live, koperasi.pengurus["token"], encode_id("Cooperative", 2**62))
    try:
        message = json.loads(await asyncio.wait_for(socket.recv(), 2))
        assert message["payload"]["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    finally:
        await socket.close()


async def test_after_replays_what_was_missed_in_order_then_goes_live(gql, live):
    koperasi = await Koperasi.new(gql)
    siti, siti_id = await koperasi.member()
    first = (await koperasi.deposit(siti_id, 10000))["transaction"]["id"]
    missed = [(await koperasi.deposit(siti_id, n))["transaction"]["id"] for n in (1, 2, 3)]
    socket = await follow(live, siti["token"], koperasi.id, WITH_BALANCE, after=first)
    try:
        replayed = [await next_line(socket) for _ in missed]
        assert [x["id"] for x in replayed] == missed
        assert [x["balanceAfter"]["amount"] for x in replayed] == [10001, 10003, 10006]
        await wait_for_followers(live.server.config.app.state.services.events, koperasi.id)
        live_id = (await koperasi.deposit(siti_id, 4))["transaction"]["id"]
        assert (await next_line(socket))["id"] == live_id
    finally:
        await socket.close()


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL")
async def test_a_deposit_on_one_server_reaches_a_member_on_another(gql, live, tmp_path):
    koperasi = await Koperasi.new(gql)
    siti, siti_id = await koperasi.member()
    async with ServerProcess(live, tmp_path) as other:
        socket = await follow(other, siti["token"], koperasi.id, WITH_BALANCE)
        try:
            await wait_for_followers_on_redis(live, koperasi.id)
            started = time.perf_counter()
            deposited = await koperasi.deposit(siti_id, 25000)  # through `live`
            line = await next_line(socket)
            assert time.perf_counter() - started < 2  # the deposit itself, then under a second
            assert line["id"] == deposited["transaction"]["id"]
            assert line["membership"] == {"number": 1}
        finally:
            await socket.close()
