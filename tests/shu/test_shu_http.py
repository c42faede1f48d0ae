"""ShuPreview and DistributeShu through the running server: the year's figures from a known
history (deposits across Jakarta months, loan interest, purchases at a cooperative-run shop),
once per year also when two race, the live feed, and the wrong side."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any

import pytest

from models.cooperatives.books import EntryKind, JournalEntry
from models.cooperatives.cooperative import Membership, SavingsKind
from models.orders.payments import Payment
from models.platform.accounts import User
from models.shops import Shop
from models.shu import ShuDistribution, ShuShare
from resolvers.cooperatives.books import KAS, PENDAPATAN_DENDA, PENDAPATAN_JASA, Journal, Line
from resolvers.cooperatives.savings import post_deposit
from resolvers.platform.clock import JAKARTA, today
from schema.platform.ids import decode_id, encode_id
from tests.conftest import contract, sign_up
from tests.cooperatives.feed import follow, next_line, wait_for_followers
from tests.cooperatives.helpers import BOOKS, Koperasi, codes, journal_size, sukarela
from tests.orders.helpers import add_to_cart, checkout, seller_with_products
from tests.shu.helpers import PREVIEW

pytestmark = pytest.mark.usefixtures("books_balance")

YEAR = today().year - 1  # the last closed year
INPUT = {"surplus": 50000, "reservePercent": 25, "capitalServicePercent": 30,
         "memberServicePercent": 25}  # fmt: skip


def jakarta(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=JAKARTA)


class Year:
    """A cooperative with a known year of business: siti, budi, ani (who has since left), dewi,
    who joined after the year, and fajar, who left before it."""

    def __init__(self, koperasi: Koperasi, members: dict[str, tuple[dict, str]]) -> None:
        self.koperasi = koperasi
        self.members = members

    def id(self, name: str) -> str:
        return self.members[name][1]

    async def preview(self, token: str | None = None, **variables: Any) -> dict[str, Any]:
        return await self.koperasi.gql(
            PREVIEW,
            {"cooperativeId": self.koperasi.id, "year": YEAR, "input": INPUT, **variables},
            token=self.koperasi.pengurus["token"] if token is None else token or None,
        )

    async def distribute(self, token: str | None = None, **variables: Any) -> dict[str, Any]:
        result = await self.koperasi.gql(
            contract("DistributeShu"),
            {"cooperativeId": self.koperasi.id, "year": YEAR, "input": INPUT, **variables},
            token=self.koperasi.pengurus["token"] if token is None else token or None,
        )
        assert "errors" not in result, result
        return result["data"]["distributeShu"]


async def _post(koperasi_id: int, membership_id: int, code: str, amount: int, at: datetime):
    """Income the loans and bills would post: Kas / `code`, naming the member."""
    await Journal().post(
        koperasi_id, EntryKind.LOAN_REPAYMENT, "Angsuran pinjaman",
        [Line(KAS, debit=amount), Line(code, credit=amount)],
        membership_id=membership_id, at=at,
    )  # fmt: skip


async def a_year(gql) -> Year:
    koperasi = await Koperasi.new(gql)
    members = {name: await koperasi.member() for name in ("siti", "budi", "ani", "dewi", "fajar")}
    rows = {
        name: await Membership.get(id=decode_id(membership_id, "Membership"))
        for name, (_, membership_id) in members.items()
    }
    joined = {"siti": jakarta(YEAR, 1, 2), "budi": jakarta(YEAR - 1, 12, 1),
              "ani": jakarta(YEAR, 3, 15)}  # fmt: skip
    for name, at in joined.items():
        await Membership.filter(id=rows[name].id).update(joined_at=at)
    actor = (await User.get(email=koperasi.pengurus["user"]["email"])).id

    async def deposit(name: str, kind: SavingsKind, amount: int, at: datetime) -> None:
        await post_deposit(Journal(), rows[name], kind, amount, actor_id=actor, at=at)

    # siti: pokok in January, wajib every month: month-ends 120.000 ... 340.000.
    await deposit("siti", SavingsKind.POKOK, 100000, jakarta(YEAR, 1, 10))
    for month in range(1, 13):
        await deposit("siti", SavingsKind.WAJIB, 20000, jakarta(YEAR, month, 5))
    await deposit("siti", SavingsKind.SUKARELA, 500000, jakarta(YEAR, 2, 1))  # not capital
    # budi: pokok the year before; wajib on 30 June 23:30 (June) and on 1 August 00:30
    # Jakarta (31 July in UTC, August here): month-ends 100.000 x5, 120.000 x2, 140.000 x5.
    await deposit("budi", SavingsKind.POKOK, 100000, jakarta(YEAR - 1, 12, 20))
    await deposit("budi", SavingsKind.WAJIB, 20000, jakarta(YEAR, 6, 30, 23, 30))
    await deposit("budi", SavingsKind.WAJIB, 20000, jakarta(YEAR, 8, 1, 0, 30))
    await deposit("budi", SavingsKind.SUKARELA, 100000, jakarta(YEAR, 8, 2))
    # ani: pokok in March: 0, 0, then 100.000 x10; she leaves after the year.
    await deposit("ani", SavingsKind.POKOK, 100000, jakarta(YEAR, 3, 15))
    # After the year: counts for nothing.
    await koperasi.deposit(members["siti"][1], 20000, "WAJIB")

    coop = decode_id(koperasi.id, "Cooperative")
    await _post(coop, rows["siti"].id, PENDAPATAN_JASA, 30000, jakarta(YEAR, 4, 10))
    await _post(coop, rows["budi"].id, PENDAPATAN_JASA, 10000, jakarta(YEAR, 9, 10))
    await _post(coop, rows["budi"].id, PENDAPATAN_JASA, 7000, jakarta(YEAR, 1, 1, 0, 30))
    await _post(coop, rows["budi"].id, PENDAPATAN_JASA, 900, jakarta(YEAR - 1, 12, 31, 23, 30))
    await _post(coop, rows["budi"].id, PENDAPATAN_JASA, 800, jakarta(YEAR + 1, 1, 2))
    await _post(coop, rows["budi"].id, PENDAPATAN_DENDA, 3000, jakarta(YEAR, 5, 10))  # income,
    # not business. The books' surplus of the year: 30.000 + 10.000 + 7.000 + 3.000.

    # Purchases: budi pays 30.000 at a shop the cooperative runs (paid in August) and 15.000
    # at another; siti's order at the cooperative's shop is never paid.
    _, shop, (product,) = await seller_with_products(gql, price=15000, stock=10)
    _, _, (elsewhere,) = await seller_with_products(gql, price=15000, stock=10)
    await Shop.filter(id=decode_id(shop["id"], "Shop")).update(cooperative_id=coop)
    budi, siti = members["budi"][0], members["siti"][0]
    for item, quantity in ((product, 2), (elsewhere, 1)):
        assert (await add_to_cart(gql, budi["token"], item["id"], quantity))["errors"] == []
        placed = await checkout(gql, budi["token"], method="COOPERATIVE_BALANCE",
                                membershipId=members["budi"][1])  # fmt: skip
        assert placed["errors"] == [], placed
        order_id = decode_id(placed["orders"][0]["id"], "Order")
        await Payment.filter(order_id=order_id).update(paid_at=jakarta(YEAR, 8, 15))
    assert (await add_to_cart(gql, siti["token"], product["id"], 1))["errors"] == []
    assert (await checkout(gql, siti["token"], method="BANK_TRANSFER"))["errors"] == []

    for name in ("ani", "fajar"):
        ended = await gql(contract("EndMembership"), {"id": members[name][1]},
                          token=koperasi.pengurus["token"])  # fmt: skip
        assert ended["data"]["endMembership"]["errors"] == [], ended
    await Membership.filter(id=rows["fajar"].id).update(
        joined_at=jakarta(YEAR - 2, 1, 5), ended_at=jakarta(YEAR - 1, 12, 31, 23, 59)
    )
    return Year(koperasi, members)


def _figures(member: dict) -> tuple:
    return (
        member["membership"]["number"], member["destination"],
        member["averageCapital"]["amount"], member["business"]["amount"],
        member["capitalShare"]["amount"], member["serviceShare"]["amount"],
        member["total"]["amount"],
    )  # fmt: skip


# By hand. Capital weights: siti 2.760.000 / 12 = 230.000, budi 1.440.000 / 12 = 120.000, ani
# 1.000.000 / 12; jasa modal 15.000 x (690.000, 360.000, 250.000) / 1.300.000 = 7.961,54,
# 4.153,85, 2.884,62: floors 14.998, the 2 left to budi and ani. Business: siti 30.000, budi
# 10.000 + 7.000 + 30.000 = 47.000; jasa anggota 12.500 x (30, 47) / 77 = 4.870,13, 7.629,87.
EXPECTED = [
    (1, "SUKARELA", 230000, 30000, 7961, 4870, 12831),
    (2, "SUKARELA", 120000, 47000, 4154, 7630, 11784),
    (3, "PAYABLE", 83333, 0, 2885, 0, 2885),
]


async def test_preview_shows_the_years_figures_and_writes_nothing(gql):
    year = await a_year(gql)
    before = await journal_size(), await ShuDistribution.all().count()
    result = await year.preview()
    assert "errors" not in result, result
    preview = result["data"]["shuPreview"]
    amounts = {k: v["amount"] for k, v in preview.items() if isinstance(v, dict)}
    assert amounts == {
        "booksSurplus": 50000, "surplus": 50000, "reserve": 12500,
        "capitalServicePool": 15000, "memberServicePool": 12500, "allocationsPayable": 10000,
    }  # fmt: skip
    assert [_figures(m) for m in preview["members"]] == EXPECTED  # not dewi, not fajar
    assert (await journal_size(), await ShuDistribution.all().count()) == before
    contract_shape = await gql(
        contract("ShuPreview"),
        {"cooperativeId": year.koperasi.id, "year": YEAR, "input": INPUT},
        token=year.koperasi.pengurus["token"],
    )
    totals = [m["total"]["formatted"] for m in contract_shape["data"]["shuPreview"]["members"]]
    assert totals == ["Rp12.831", "Rp11.784", "Rp2.885"]


async def test_distribution_credits_sukarela_once_and_closes_the_year(gql, live):
    year = await a_year(gql)
    siti, budi = year.id("siti"), year.id("budi")
    before = {name: await sukarela(year.id(name)) for name in ("siti", "budi")}
    socket = await follow(live, year.koperasi.pengurus["token"], year.koperasi.id)
    try:
        await wait_for_followers(live.server.config.app.state.services.events, year.koperasi.id)
        done = await year.distribute()
        assert done == {"distributed": {"amount": 27500, "formatted": "Rp27.500"}, "errors": []}
        feed = [await next_line(socket) for _ in range(2)]
    finally:
        await socket.close()
    assert [(x["kind"], x["account"], x["amount"]["amount"], x["membership"]) for x in feed] == [
        ("SHU", "SUKARELA", 12831, {"number": 1}), ("SHU", "SUKARELA", 11784, {"number": 2}),
    ]  # fmt: skip
    assert await sukarela(siti) == before["siti"] + 12831
    assert await sukarela(budi) == before["budi"] + 11784
    books = await gql(BOOKS, {"id": year.koperasi.id}, token=year.koperasi.pengurus["token"])
    book = books["data"]["node"]["books"]
    balances = {a["code"]: a["balance"]["amount"] for a in book["accounts"]}
    assert balances["3-2100"] == 12500  # Cadangan
    assert balances["2-1300"] == 2885  # Utang SHU Anggota: ani's share
    assert balances["2-1900"] == 10000  # Dana Alokasi SHU
    assert balances["3-3100"] == 0  # SHU Belum Dibagi: all of it shared
    # Income left open: what was posted outside the year (900 before it, 800 after).
    assert balances["4-1100"] == 1700
    assert balances["4-1200"] == 0
    assert book["balanced"]
    assert book["surplus"]["amount"] == 1700
    shares = await ShuShare.filter(distribution__cooperative_id=decode_id(
        year.koperasi.id, "Cooperative")).order_by("membership_id").values_list(
        "capital_share", "service_share", "destination")  # fmt: skip
    assert shares == [(7961, 4870, "SUKARELA"), (4154, 7630, "SUKARELA"), (2885, 0, "PAYABLE")]
    again = await year.distribute()
    assert codes(again) == [("year", "INVALID_STATE")]
    assert again["distributed"] is None
    preview = await year.preview()  # the closed year still reads as it was
    assert preview["data"]["shuPreview"]["booksSurplus"]["amount"] == 50000


async def test_two_distributions_racing_post_once(gql):
    year = await a_year(gql)
    below = {**INPUT, "surplus": 40000}
    results = await asyncio.gather(*[year.distribute(input=below) for _ in range(4)])
    assert sorted(codes(r) for r in results) == [[]] + [[("year", "INVALID_STATE")]] * 3
    assert [r["distributed"] for r in results if not r["errors"]] == [
        {"amount": 22000, "formatted": "Rp22.000"}
    ]
    coop = decode_id(year.koperasi.id, "Cooperative")
    assert await JournalEntry.filter(cooperative_id=coop, kind=EntryKind.SHU).count() == 2
    books = await year.koperasi.gql(
        BOOKS, {"id": year.koperasi.id}, token=year.koperasi.pengurus["token"]
    )
    balances = {
        a["code"]: a["balance"]["amount"] for a in books["data"]["node"]["books"]["accounts"]
    }
    assert balances["3-3100"] == 10000  # what the RAT did not share stays undistributed
    assert balances["3-2100"] == 10000  # 25% of 40.000


async def test_wrong_side_sees_and_moves_nothing(gql):
    year = await a_year(gql)
    other = await Koperasi.new(gql)
    member = year.members["siti"][0]["token"]
    stranger = (await sign_up(gql, "Orang Lain"))["token"]
    before = await journal_size()
    for token, code in ((member, "FORBIDDEN"), (other.pengurus["token"], "FORBIDDEN"),
                        (stranger, "FORBIDDEN"), ("", "UNAUTHENTICATED")):  # fmt: skip
        result = await year.preview(token)
        assert result["data"] is None, result
        assert [e["extensions"]["code"] for e in result["errors"]] == [code]
    for token, code in ((member, "PERMISSION_DENIED"), (other.pengurus["token"],
                        "PERMISSION_DENIED"), (stranger, "PERMISSION_DENIED"),
                        ("", "UNAUTHENTICATED")):  # fmt: skip
        assert [c for _, c in codes(await year.distribute(token))] == [code]
    assert await journal_size() == before
    assert not await ShuDistribution.exists(
        cooperative_id=decode_id(year.koperasi.id, "Cooperative")
    )


async def test_bad_input_is_refused_in_preview_and_distribution(gql):
    year = await a_year(gql)
    before = await journal_size()
    cases = [
        ({"input": {**INPUT, "memberServicePercent": 45.01}}, [("input", "INVALID")]),
        ({"input": {**INPUT, "reservePercent": 12.345}}, [("reservePercent", "INVALID")]),
        ({"input": {**INPUT, "surplus": 50001}}, [("surplus", "INVALID")]),
        ({"input": {**INPUT, "surplus": 0}}, [("surplus", "INVALID")]),
        ({"year": YEAR + 1}, [("year", "INVALID_STATE")]),  # the open year
        ({"year": YEAR + 2}, [("year", "INVALID_STATE")]),
    ]
    for variables, expected in cases:
        result = await year.preview(**variables)
        assert result["data"] is None, result
        (error,) = result["errors"]
        assert error["extensions"]["code"] == "BAD_USER_INPUT"
        assert [(e["field"], e["code"]) for e in error["extensions"]["errors"]] == expected
        assert codes(await year.distribute(**variables)) == expected
    assert await journal_size() == before
    unknown = await year.preview(cooperativeId=encode_id("Cooperative", 10**9))
    assert [e["extensions"]["code"] for e in unknown["errors"]] == ["NOT_FOUND"]
