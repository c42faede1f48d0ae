"""Rights to the live feed are re-checked while it runs: a member who ends her membership, a
pengurus who leaves office and a session that ends lose the stream within a second, on this
worker and through Redis on another; a pengurus who stays a member goes on seeing what
members see."""

import asyncio
import json
import os

import pytest

from tests.conftest import contract
from tests.cooperatives.feed import (
    follow,
    next_line,
    wait_for_followers,
    wait_for_followers_on_redis,
)
from tests.cooperatives.helpers import Koperasi, codes
from tests.cooperatives.test_feed import WITH_BALANCE
from tests.platform.test_sessions import closed_code, listening
from tests.server.helpers import ServerProcess

pytestmark = pytest.mark.usefixtures("books_balance")

RESIGN = """mutation($id: ID!) { resignPengurus(cooperativeId: $id) {
  cooperative { id } errors { field code message } } }"""


async def ended(socket) -> dict:
    """The stream ends within a second: a coded error, then `complete`."""
    async with asyncio.timeout(1.0):
        message = json.loads(await socket.recv())
        assert message["type"] == "next", message
        assert message["payload"]["data"] is None
        assert [e["extensions"]["code"] for e in message["payload"]["errors"]] == ["FORBIDDEN"]
        assert json.loads(await socket.recv()) == {"id": "1", "type": "complete"}
    return message["payload"]["errors"][0]


async def end_membership(koperasi: Koperasi, membership_id: str, token: str) -> None:
    result = await koperasi.gql(contract("EndMembership"), {"id": membership_id}, token=token)
    assert result["data"]["endMembership"]["errors"] == [], result


async def test_a_member_who_ends_her_membership_loses_the_feed(gql, live):
    koperasi = await Koperasi.new(gql)
    siti, siti_id = await koperasi.member()
    budi, budi_id = await koperasi.member()
    events = live.server.config.app.state.services.events
    leaving = await follow(live, siti["token"], koperasi.id)
    staying = await follow(live, budi["token"], koperasi.id)
    try:
        await wait_for_followers(events, koperasi.id, 2)
        await end_membership(koperasi, siti_id, siti["token"])
        error = await ended(leaving)
        assert error["message"] == "Hak Anda mengikuti transaksi koperasi ini sudah berakhir."
        await koperasi.deposit(budi_id, 1000)
        assert (await next_line(staying))["amount"]["amount"] == 1000  # the others go on
    finally:
        await leaving.close()
        await staying.close()


async def two_pengurus(gql) -> tuple[Koperasi, dict, str]:
    """A cooperative whose second pengurus is also a member; (it, the second, a member's id)."""
    koperasi = await Koperasi.new(gql)
    second = await koperasi.add_pengurus()
    _, budi_id = await koperasi.member()
    await koperasi.member(second)
    return koperasi, second, budi_id


async def test_a_pengurus_who_leaves_office_loses_the_feed_or_what_only_pengurus_see(gql, live):
    koperasi, second, budi_id = await two_pengurus(gql)
    events = live.server.config.app.state.services.events
    first = await follow(live, koperasi.pengurus["token"], koperasi.id, WITH_BALANCE)
    member = await follow(live, second["token"], koperasi.id, WITH_BALANCE)
    try:
        await wait_for_followers(events, koperasi.id, 2)
        await koperasi.deposit(budi_id, 1000)
        assert (await next_line(member))["membership"] == {"number": 1}
        assert (await next_line(first))["membership"] == {"number": 1}
        resigned = await gql(RESIGN, {"id": koperasi.id}, token=koperasi.pengurus["token"])
        assert resigned["data"]["resignPengurus"]["errors"] == []
        await ended(first)
        last = await gql(RESIGN, {"id": koperasi.id}, token=second["token"])
        assert codes(last["data"]["resignPengurus"]) == [("cooperativeId", "INVALID_STATE")]
        await koperasi.deposit(budi_id, 2000, token=second["token"])
        assert (await next_line(member))["membership"] == {"number": 1}  # still a pengurus
    finally:
        await first.close()
        await member.close()


async def test_a_pengurus_member_who_leaves_office_sees_what_members_see(gql, live):
    koperasi, second, budi_id = await two_pengurus(gql)
    events = live.server.config.app.state.services.events
    socket = await follow(live, second["token"], koperasi.id, WITH_BALANCE)
    try:
        await wait_for_followers(events, koperasi.id)
        resigned = await gql(RESIGN, {"id": koperasi.id}, token=second["token"])
        assert resigned["data"]["resignPengurus"]["errors"] == []
        await koperasi.deposit(budi_id, 3000)
        line = await next_line(socket)
        assert (line["membership"], line["balanceAfter"]) == (None, None)
    finally:
        await socket.close()


async def test_only_a_pengurus_resigns_and_not_the_last(gql):
    koperasi = await Koperasi.new(gql)
    warga, _ = await koperasi.member()
    refused = await gql(RESIGN, {"id": koperasi.id}, token=warga["token"])
    assert codes(refused["data"]["resignPengurus"]) == [("cooperativeId", "PERMISSION_DENIED")]
    last = await gql(RESIGN, {"id": koperasi.id}, token=koperasi.pengurus["token"])
    assert codes(last["data"]["resignPengurus"]) == [("cooperativeId", "INVALID_STATE")]


async def test_two_pengurus_racing_to_leave_leave_one(gql):
    koperasi = await Koperasi.new(gql)
    second = await koperasi.add_pengurus()
    answers = await asyncio.gather(*[
        gql(RESIGN, {"id": koperasi.id}, token=t)
        for t in (koperasi.pengurus["token"], second["token"])
    ])  # fmt: skip
    errors = [a["data"]["resignPengurus"]["errors"] for a in answers]
    assert sorted(len(e) for e in errors) == [0, 1], errors


async def test_a_logout_closes_a_feed_within_a_second(gql, live):
    koperasi = await Koperasi.new(gql)
    siti, _ = await koperasi.member()
    await listening(live)
    socket = await follow(live, siti["token"], koperasi.id)
    try:
        await wait_for_followers(live.server.config.app.state.services.events, koperasi.id)
        assert (await gql("mutation { logout { ok } }", token=siti["token"]))["data"]
        assert await closed_code(socket, 1.0) == 4401
    finally:
        await socket.close()


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL")
async def test_an_ended_membership_ends_the_feed_on_another_worker(gql, live, tmp_path):
    koperasi = await Koperasi.new(gql)
    siti, siti_id = await koperasi.member()
    async with ServerProcess(live, tmp_path) as other:
        socket = await follow(other, siti["token"], koperasi.id)
        try:
            await wait_for_followers_on_redis(live, koperasi.id)
            await end_membership(koperasi, siti_id, koperasi.pengurus["token"])  # on `live`
            await ended(socket)
        finally:
            await socket.close()
