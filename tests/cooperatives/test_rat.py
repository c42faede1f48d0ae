"""RecordRat, the RAT on BookYears, distributeShu held to the RAT's decision, and the Dinas's
CooperativeRatStatus."""

import asyncio
from datetime import date

import pytest

from models.cooperatives.books import Rat
from resolvers.platform import today
from tests.conftest import city_admin, contract
from tests.cooperatives.books import account_ids, book_years, books_op, cash, close
from tests.cooperatives.helpers import Koperasi, codes, journal_size

pytestmark = pytest.mark.usefixtures("books_balance")

TODAY = today()  # in Jakarta
LY = TODAY.year - 1
DECISION = {"reservePercent": 25, "capitalServicePercent": 30, "memberServicePercent": 25}


async def record(koperasi, token=None, year=LY, **body):
    given = {"heldOn": TODAY.isoformat(), "membersPresent": 2, "shuToDistribute": 400000,
             **DECISION, **body}  # fmt: skip
    result = await koperasi.gql(
        books_op("RecordRat"),
        {"cooperativeId": koperasi.id, "year": year, "input": given},
        token=token or koperasi.pengurus["token"],
    )
    assert "errors" not in result, result
    return result["data"]["recordRat"]


async def closed_year(gql) -> Koperasi:
    koperasi = await Koperasi.new(gql)
    ids = await account_ids(koperasi)
    await cash(koperasi, ids["4-1900"], 900000, f"{LY}-03-01")
    await cash(koperasi, ids["5-2000"], 400000, f"{LY}-09-01", "PAYMENT")
    await koperasi.member()
    await koperasi.member()
    return koperasi


async def test_the_rat_of_a_closed_year_is_recorded_once(gql):
    koperasi = await closed_year(gql)
    assert codes(await record(koperasi)) == [("year", "INVALID_STATE")]
    assert (await close(koperasi, LY))["errors"] == []
    bad = [
        ({"heldOn": f"{LY}-12-31", "membersPresent": 0}, "input.heldOn"),
        ({"heldOn": date(TODAY.year + 1, 1, 1).isoformat(), "membersPresent": 0}, "input.heldOn"),
        ({"membersPresent": 3}, "input.membersPresent"),
        ({"membersPresent": -1}, "input.membersPresent"),
        ({"shuToDistribute": 500001}, "shuToDistribute"),
        ({"shuToDistribute": -1}, "shuToDistribute"),
        ({"reservePercent": 25.555}, "input.reservePercent"),
        ({"reservePercent": 50}, "input.reservePercent"),  # 105% together
    ]
    for body, field in bad:
        assert codes(await record(koperasi, **body)) == [(field, "INVALID")], body
    warga, _ = await koperasi.member()
    other = await Koperasi.new(gql)
    admin = await city_admin(gql)
    for token in (warga["token"], other.pengurus["token"], admin["token"]):
        assert codes(await record(koperasi, token)) == [("cooperativeId", "PERMISSION_DENIED")]
    assert (
        await Rat.all().filter(year=LY, cooperative__slug=koperasi.cooperative["slug"]).count() == 0
    )
    second = await koperasi.add_pengurus()
    answers = await asyncio.gather(
        *(record(koperasi, t, membersPresent=3) for t in [koperasi.pengurus["token"],
          second["token"]] * 2)
    )  # fmt: skip
    done = [a for a in answers if a["errors"] == []]
    assert len(done) == 1
    assert all(codes(a) == [("year", "DUPLICATE")] for a in answers if a not in done)
    rat = done[0]["rat"]
    assert rat == {
        **rat, "year": LY, "heldOn": TODAY.isoformat(), "membersPresent": 3, "membersEligible": 3,
        "shuToDistribute": {"amount": 400000, "formatted": "Rp400.000"}, "reservePercent": 25.0,
        "capitalServicePercent": 30.0, "memberServicePercent": 25.0,
    }  # fmt: skip
    years = {y["year"]: y for y in await book_years(koperasi)}
    assert years[LY]["rat"]["membersPresent"] == 3
    assert years[LY + 1]["rat"] is None


async def test_the_shu_distribution_follows_the_rat(gql):
    koperasi = await closed_year(gql)
    await close(koperasi, LY)
    assert (await record(koperasi))["errors"] == []
    before = await journal_size(koperasi)

    async def distribute(**given):
        result = await gql(
            contract("DistributeShu"),
            {"cooperativeId": koperasi.id, "year": LY,
             "input": {"surplus": 400000, **DECISION, **given}},
            token=koperasi.pengurus["token"],
        )  # fmt: skip
        assert "errors" not in result, result
        return result["data"]["distributeShu"]

    assert codes(await distribute(surplus=300000)) == [("input", "INVALID_STATE")]
    assert codes(await distribute(reservePercent=20)) == [("input", "INVALID_STATE")]
    assert await journal_size(koperasi) == before


async def test_the_dinas_sees_who_held_last_years_rat(gql):
    koperasi = await closed_year(gql)
    await close(koperasi, LY)
    assert (await record(koperasi))["errors"] == []
    without = await Koperasi.new(gql)
    admin = await city_admin(gql)
    result = await gql(contract_status := books_op("CooperativeRatStatus"), token=admin["token"])
    rows = {r["cooperativeId"]: r for r in result["data"]["cooperativeHealth"]}
    assert rows[koperasi.id]["previousYearRatHeld"] is True
    assert rows[koperasi.id]["lastRat"] == {
        "year": LY, "heldOn": TODAY.isoformat(), "membersPresent": 2, "membersEligible": 2,
    }  # fmt: skip
    assert rows[without.id]["previousYearRatHeld"] is False
    assert rows[without.id]["lastRat"] is None
    held = sum(1 for r in rows.values() if r["previousYearRatHeld"])
    assert result["data"]["cityStats"]["cooperativesWithPreviousYearRat"] == held
    refused = await gql(contract_status, token=koperasi.pengurus["token"])
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
