"""Simpanan berjangka over HTTP: products, opening, early withdrawal, from the right and the
wrong side and under racing requests; the books after each."""

import asyncio

import pytest

from demo.deposits import seed_time_deposit_products
from models.cooperatives import JournalEntry, TimeDeposit
from resolvers.cooperatives.books import (
    KAS,
    PENDAPATAN_PENALTI_BERJANGKA,
    SIMPANAN_BERJANGKA,
    SIMPANAN_SUKARELA,
)
from resolvers.platform import today
from schema.platform.ids import decode_id, encode_id
from tests.conftest import contract, sign_up
from tests.cooperatives.deposits import (
    create_product,
    deposits_of,
    month_later,
    open_deposit,
    product_id,
    withdraw_early,
)
from tests.cooperatives.helpers import Koperasi, accounts, codes, sukarela

pytestmark = pytest.mark.usefixtures("books_balance")


async def saver(koperasi: Koperasi, amount: int = 5_000_000) -> tuple[dict, str]:
    member, membership_id = await koperasi.member()
    assert (await koperasi.deposit(membership_id, amount))["errors"] == []
    return member, membership_id


async def test_the_pengurus_creates_products_that_anyone_reads_shortest_term_first(gql):
    koperasi = await Koperasi.new(gql)
    year = await create_product(koperasi, name="  Berjangka Setahun ", termMonths=12,
                                annualRateBps=750, interestPayout="AT_MATURITY")  # fmt: skip
    assert year["errors"] == []
    assert year["timeDepositProduct"] == {
        **year["timeDepositProduct"], "name": "Berjangka Setahun", "termMonths": 12,
        "annualRateBps": 750, "earlyWithdrawalPenaltyBps": 100, "interestPayout": "AT_MATURITY",
        "minimum": {"amount": 1_000_000, "formatted": "Rp1.000.000"},
    }  # fmt: skip
    await product_id(koperasi, name="Berjangka Sebulan", termMonths=1)
    listed = await gql(contract("TimeDepositProducts"), {"cooperativeId": koperasi.id})
    assert [p["termMonths"] for p in listed["data"]["node"]["timeDepositProducts"]] == [1, 12]


async def test_only_its_pengurus_creates_a_product_and_every_bad_term_is_named(gql):
    koperasi = await Koperasi.new(gql)
    other = await Koperasi.new(gql)
    member, _ = await koperasi.member()
    stranger = await sign_up(gql, "Orang Lain")
    for token in (member["token"], other.pengurus["token"], stranger["token"]):
        assert codes(await create_product(koperasi, token)) == [
            ("cooperativeId", "PERMISSION_DENIED")
        ]
    missing = await create_product(koperasi, cooperativeId=encode_id("Cooperative", 10**9))
    assert codes(missing) == [("cooperativeId", "NOT_FOUND")]
    bad = await create_product(koperasi, name=" ", termMonths=2, annualRateBps=0, minimum=0,
                               earlyWithdrawalPenaltyBps=2001)  # fmt: skip
    assert sorted(codes(bad)) == [
        ("input.annualRateBps", "INVALID"), ("input.earlyWithdrawalPenaltyBps", "INVALID"),
        ("input.minimum", "INVALID"), ("input.name", "REQUIRED"), ("input.termMonths", "INVALID"),
    ]  # fmt: skip
    assert codes(await create_product(koperasi, annualRateBps=2401)) == [
        ("input.annualRateBps", "INVALID")
    ]
    edge = await create_product(koperasi, annualRateBps=2400, minimum=1,
                                earlyWithdrawalPenaltyBps=2000, termMonths=6)  # fmt: skip
    assert edge["errors"] == []


async def test_a_member_opens_a_deposit_from_sukarela_in_one_balanced_entry(gql):
    koperasi = await Koperasi.new(gql)
    member, membership_id = await saver(koperasi, 1_000_000)
    product = await product_id(koperasi, minimum=500_000)
    before = await accounts(koperasi)
    opened = await open_deposit(koperasi, membership_id, product, 750_001, member["token"],
                                maturity="ROLL_OVER")  # fmt: skip
    assert opened["errors"] == []
    deposit = opened["timeDeposit"]
    assert deposit == {
        **deposit, "status": "ACTIVE", "termMonths": 3, "annualRateBps": 600,
        "startDate": today().isoformat(), "maturityDate": month_later(today(), 3).isoformat(),
        "maturityInstruction": "ROLL_OVER", "principal": {"amount": 750_001,
                                                          "formatted": "Rp750.001"},
        "product": {"id": product, "name": "Berjangka 3 Bulan"},
    }  # fmt: skip
    assert await sukarela(membership_id) == 249_999
    after = await accounts(koperasi)
    assert after[SIMPANAN_BERJANGKA] == 750_001
    assert after[SIMPANAN_SUKARELA] == before[SIMPANAN_SUKARELA] - 750_001
    assert after[KAS] == before[KAS]  # nothing left the cooperative's liabilities
    page = (await koperasi.dashboard(membership_id, member["token"]))["data"]["node"]
    newest = page["transactions"]["edges"][0]["node"]
    assert (newest["kind"], newest["amount"]["amount"]) == ("TIME_DEPOSIT", -750_001)
    listed = await deposits_of(koperasi, membership_id, member["token"])
    assert listed is not None
    assert listed["totalCount"] == 1
    node = listed["edges"][0]["node"]
    assert (
        node["accruedInterest"]
        == node["interestPaid"]
        == node["taxWithheld"]
        == {"amount": 0, "formatted": "Rp0"}
    )
    assert node["earlyWithdrawalPenalty"]["amount"] == 7_500  # 1% of 750.001, rounded down
    assert node["closingAmount"] is None
    assert node["rolledOverTo"] is None


async def test_opening_is_refused_from_the_wrong_side_and_nothing_moves(gql):
    koperasi = await Koperasi.new(gql)
    member, membership_id = await saver(koperasi, 1_000_000)
    neighbour, _ = await saver(koperasi)
    other = await Koperasi.new(gql)
    product = await product_id(koperasi, minimum=500_000)
    elsewhere = await product_id(other)
    cases = [
        (neighbour["token"], {}, product, 600_000, [("membershipId", "NOT_FOUND")]),
        (other.pengurus["token"], {}, product, 600_000, [("membershipId", "NOT_FOUND")]),
        (koperasi.pengurus["token"], {}, product, 600_000,
         [("membershipId", "PERMISSION_DENIED")]),
        (member["token"], {"fromSavings": False}, product, 600_000,
         [("membershipId", "PERMISSION_DENIED")]),
        (member["token"], {}, elsewhere, 600_000, [("productId", "NOT_FOUND")]),
        (member["token"], {}, product, 499_999, [("amount", "INVALID")]),
        (member["token"], {}, product, 1_000_001, [("amount", "INSUFFICIENT_BALANCE")]),
    ]  # fmt: skip
    for token, extra, which, amount, expected in cases:
        refused = await open_deposit(koperasi, membership_id, which, amount, token, **extra)
        assert codes(refused) == expected, (amount, expected)
    assert await sukarela(membership_id) == 1_000_000
    assert not await TimeDeposit.exists(membership_id=decode_id(membership_id, "Membership"))


async def test_a_pengurus_opens_one_in_cash_for_another_member_only(gql):
    koperasi = await Koperasi.new(gql)
    _, membership_id = await koperasi.member()
    product = await product_id(koperasi)
    cash = await open_deposit(koperasi, membership_id, product, 2_000_000,
                              koperasi.pengurus["token"], fromSavings=False)  # fmt: skip
    assert cash["errors"] == []
    books = await accounts(koperasi)
    assert (books[KAS], books[SIMPANAN_BERJANGKA]) == (2_000_000, 2_000_000)
    assert await sukarela(membership_id) == 0
    # A pengurus who is also a member records their own cash at another pengurus.
    second = await koperasi.add_pengurus()
    _, own = await koperasi.member(koperasi.pengurus, token=second["token"])
    refused = await open_deposit(koperasi, own, product, 2_000_000, koperasi.pengurus["token"],
                                 fromSavings=False)  # fmt: skip
    assert codes(refused) == [("membershipId", "PERMISSION_DENIED")]


async def test_racing_openings_never_take_sukarela_below_zero(gql):
    koperasi = await Koperasi.new(gql)
    member, membership_id = await saver(koperasi, 1_000_000)
    product = await product_id(koperasi, minimum=100_000)
    results = await asyncio.gather(*[
        open_deposit(koperasi, membership_id, product, 300_000, member["token"])
        for _ in range(8)
    ])  # fmt: skip
    opened = [r for r in results if not r["errors"]]
    assert len(opened) == 3
    assert all(codes(r) == [("amount", "INSUFFICIENT_BALANCE")] for r in results if r["errors"])
    assert await sukarela(membership_id) == 100_000
    assert (await accounts(koperasi))[SIMPANAN_BERJANGKA] == 900_000


async def test_one_idempotency_key_opens_one_deposit_however_the_requests_race(gql):
    koperasi = await Koperasi.new(gql)
    member, membership_id = await saver(koperasi, 3_000_000)
    product = await product_id(koperasi)
    results = await asyncio.gather(*[
        open_deposit(koperasi, membership_id, product, 1_000_000, member["token"],
                     idempotencyKey="berjangka-1")
        for _ in range(6)
    ])  # fmt: skip
    assert all(r["errors"] == [] for r in results), results
    assert len({r["timeDeposit"]["id"] for r in results}) == 1
    assert await sukarela(membership_id) == 2_000_000
    owner = decode_id(membership_id, "Membership")
    assert await TimeDeposit.filter(membership_id=owner).count() == 1
    assert await JournalEntry.filter(membership_id=owner, kind="TIME_DEPOSIT").count() == 1


async def test_an_early_withdrawal_pays_the_principal_less_the_penalty_once(gql):
    koperasi = await Koperasi.new(gql)
    member, membership_id = await saver(koperasi, 3_000_000)
    product = await product_id(koperasi, earlyWithdrawalPenaltyBps=175)
    opened = await open_deposit(koperasi, membership_id, product, 2_345_679, member["token"])
    deposit = opened["timeDeposit"]["id"]
    neighbour, _ = await saver(koperasi)
    other = await Koperasi.new(gql)
    for token in (neighbour["token"], other.pengurus["token"]):
        assert codes(await withdraw_early(koperasi, deposit, token)) == [("id", "NOT_FOUND")]
    results = await asyncio.gather(*[
        withdraw_early(koperasi, deposit, token)
        for token in [member["token"], koperasi.pengurus["token"]] * 4
    ])  # fmt: skip
    won = [r for r in results if not r["errors"]]
    assert len(won) == 1
    assert all(codes(r) == [("id", "INVALID_STATE")] for r in results if r["errors"])
    penalty = 2_345_679 * 175 // 10_000  # 41.049
    assert won[0]["timeDeposit"]["status"] == "WITHDRAWN_EARLY"
    assert won[0]["timeDeposit"]["closingAmount"]["amount"] == 2_345_679 - penalty
    assert await sukarela(membership_id) == 3_000_000 - penalty
    books = await accounts(koperasi)
    assert books[SIMPANAN_BERJANGKA] == 0
    assert books[PENDAPATAN_PENALTI_BERJANGKA] == penalty
    listed = await deposits_of(koperasi, membership_id, member["token"], status="WITHDRAWN_EARLY")
    assert listed is not None
    node = listed["edges"][0]["node"]
    assert node["earlyWithdrawalPenalty"]["amount"] == 0
    assert node["closedAt"] is not None


async def test_the_list_is_the_member_and_pengurus_own_and_newest_first(gql):
    koperasi = await Koperasi.new(gql)
    member, membership_id = await saver(koperasi, 5_000_000)
    product = await product_id(koperasi)
    ids = [
        (await open_deposit(koperasi, membership_id, product, 1_000_000, member["token"]))[
            "timeDeposit"
        ]["id"]
        for _ in range(3)
    ]
    first = await deposits_of(koperasi, membership_id, koperasi.pengurus["token"], first=2)
    assert first is not None
    assert first["totalCount"] == 3
    assert [e["node"]["id"] for e in first["edges"]] == ids[::-1][:2]
    assert first["pageInfo"]["hasNextPage"]
    rest = await deposits_of(koperasi, membership_id, member["token"],
                             after=first["pageInfo"]["endCursor"])  # fmt: skip
    assert rest is not None
    assert [e["node"]["id"] for e in rest["edges"]] == [ids[0]]
    neighbour, _ = await koperasi.member()
    other = await Koperasi.new(gql)
    for token in (neighbour["token"], other.pengurus["token"]):
        assert await deposits_of(koperasi, membership_id, token) is None


async def test_the_demo_products_are_read_like_any_other(gql):
    koperasi = await Koperasi.new(gql)
    await seed_time_deposit_products(decode_id(koperasi.id, "Cooperative"))
    listed = await gql(contract("TimeDepositProducts"), {"cooperativeId": koperasi.id})
    found = listed["data"]["node"]["timeDepositProducts"]
    assert [(p["termMonths"], p["interestPayout"]) for p in found] == [
        (3, "MONTHLY"), (12, "AT_MATURITY"),
    ]  # fmt: skip


async def test_a_deposit_is_a_node_only_its_member_and_pengurus_see(gql):
    koperasi = await Koperasi.new(gql)
    member, membership_id = await saver(koperasi)
    product = await product_id(koperasi)
    opened = await open_deposit(koperasi, membership_id, product, 1_000_000, member["token"])
    query = "query($id: ID!) { node(id: $id) { ... on TimeDeposit { id principal { amount } } } }"
    deposit = opened["timeDeposit"]["id"]
    for token in (member["token"], koperasi.pengurus["token"]):
        seen = await gql(query, {"id": deposit}, token=token)
        assert seen["data"]["node"] == {"id": deposit, "principal": {"amount": 1_000_000}}
    neighbour, _ = await koperasi.member()
    other = await Koperasi.new(gql)
    for token in (neighbour["token"], other.pengurus["token"], None):
        assert (await gql(query, {"id": deposit}, token=token))["data"]["node"] is None


async def test_a_membership_with_an_active_deposit_does_not_end(gql):
    koperasi = await Koperasi.new(gql)
    member, membership_id = await saver(koperasi, 2_000_000)
    product = await product_id(koperasi)
    opened = await open_deposit(koperasi, membership_id, product, 1_000_000, member["token"])
    ended = await gql(contract("EndMembership"), {"id": membership_id}, token=member["token"])
    assert codes(ended["data"]["endMembership"]) == [("id", "INVALID_STATE")]
    assert (await withdraw_early(koperasi, opened["timeDeposit"]["id"], member["token"]))[
        "errors"
    ] == []
    ended = await gql(contract("EndMembership"), {"id": membership_id}, token=member["token"])
    assert ended["data"]["endMembership"]["errors"] == []
