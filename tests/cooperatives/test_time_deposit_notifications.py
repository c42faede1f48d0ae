"""Through the test clock: a member is told 7 days before their deposit matures and on the
day it matures, once each."""

from __future__ import annotations

from datetime import date

import httpx

from resolvers.platform import today
from tests.conftest import GraphQL, city_admin, contract
from tests.cooperatives.deposits import open_deposit, product_id
from tests.cooperatives.helpers import Koperasi
from tests.platform.notification_helpers import kinds_of


async def test_the_clock_tells_of_maturing_and_matured_deposits_once(gql, sandbox):
    koperasi = await Koperasi.new(gql)
    member, membership_id = await koperasi.member()
    assert (await koperasi.deposit(membership_id, 2_000_000))["errors"] == []
    product = await product_id(koperasi, termMonths=1, annualRateBps=1200, minimum=1)
    opened = await open_deposit(koperasi, membership_id, product, 1_500_000, member["token"])
    maturity = date.fromisoformat(opened["timeDeposit"]["maturityDate"])
    admin = await city_admin(gql)
    async with httpx.AsyncClient(base_url=sandbox.url, timeout=300) as http:
        for days in ((maturity - today()).days - 7, 1, 6):
            moved = await GraphQL(http)(
                contract("AdvanceTestClock"), {"input": {"days": days}}, token=admin["token"]
            )
            assert moved["data"]["advanceTestClock"]["errors"] == [], moved
            if days != 6:
                assert await deposit_kinds(member) == ["TIME_DEPOSIT_MATURING"]
    assert await deposit_kinds(member) == ["TIME_DEPOSIT_MATURING", "TIME_DEPOSIT_MATURED"]


async def deposit_kinds(member: dict) -> list[str]:
    return [k for k in await kinds_of(member) if k.startswith("TIME_DEPOSIT")]
