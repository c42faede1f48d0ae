"""ApplyMembership, DecideMembership and EndMembership through HTTP, from both sides."""

import asyncio

import pytest

from models.bills import Bill
from models.cooperatives.cooperative import Membership
from schema.platform.ids import decode_id, encode_id
from tests.conftest import contract, sign_up
from tests.cooperatives.helpers import Koperasi, codes, journal_size, nik
from tests.loans.helpers import apply, approve, disburse

pytestmark = pytest.mark.usefixtures("books_balance")


async def test_apply_then_approval_gives_a_number_and_the_pokok_bill(gql):
    koperasi = await Koperasi.new(gql)
    warga = await sign_up(gql, "Siti Aminah", phone="0812-3456-7890")
    applied = await koperasi.apply(warga, nik="3671015705900001")
    assert applied["errors"] == []
    assert applied["membership"]["status"] == "PENDING"
    membership_id = applied["membership"]["id"]
    row = await Membership.get(id=decode_id(membership_id, "Membership"))
    assert (row.nik, row.phone) == ("3671015705900001", "+6281234567890")  # the user's phone
    decided = await koperasi.decide(membership_id)
    assert decided["errors"] == []
    assert decided["membership"] == {**decided["membership"], "status": "ACTIVE", "number": 1}
    assert decided["membership"]["joinedAt"]
    page = (await koperasi.dashboard(membership_id, warga["token"]))["data"]["node"]
    assert page["savings"] == [
        {"account": kind, "balance": {"amount": 0, "formatted": "Rp0"}}
        for kind in ("POKOK", "WAJIB", "SUKARELA")
    ]
    assert [(b["kind"], b["amount"]["amount"]) for b in page["bills"]] == [
        ("SIMPANAN_POKOK", 100000)
    ]
    assert page["loans"] == []
    assert page["transactions"]["totalCount"] == 0
    second = await koperasi.member()
    number = await gql("query($id: ID!) { node(id: $id) { ... on Membership { number } } }",
                       {"id": second[1]}, token=koperasi.pengurus["token"])  # fmt: skip
    assert number["data"]["node"]["number"] == 2
    listed = await gql(contract("Cooperatives"), {"query": "Koperasi Warga Sejahtera"})
    assert any(e["node"]["id"] == koperasi.id and e["node"]["isDigital"]
               for e in listed["data"]["cooperatives"]["edges"])  # fmt: skip


async def test_application_input_is_checked(gql):
    koperasi = await Koperasi.new(gql)
    warga = await sign_up(gql)
    bad = await koperasi.apply(warga, nik="3671013102900001", address=" ", phone="12")
    assert sorted(codes(bad)) == [
        ("input.address", "REQUIRED"), ("input.nik", "INVALID"), ("input.phone", "INVALID"),
    ]  # fmt: skip
    assert "Tanggal lahir" in bad["errors"][0]["message"] + bad["errors"][1]["message"]
    anonymous = await gql(
        contract("ApplyMembership"),
        {"cooperativeId": koperasi.id, "input": {"nik": nik(), "address": "x"}},
    )
    assert codes(anonymous["data"]["applyMembership"]) == [(None, "UNAUTHENTICATED")]
    for wrong in (encode_id("Shop", decode_id(koperasi.id, "Cooperative")),
                  encode_id("Cooperative", 2**62), "bm90IGFuIGlk"):  # fmt: skip
        result = await gql(contract("ApplyMembership"),
                           {"cooperativeId": wrong, "input": {"nik": nik(), "address": "x"}},
                           token=warga["token"])  # fmt: skip
        assert codes(result["data"]["applyMembership"]) == [("cooperativeId", "NOT_FOUND")]
    first = await koperasi.apply(warga)
    assert first["errors"] == []
    again = await koperasi.apply(warga)
    assert codes(again) == [("cooperativeId", "DUPLICATE")]
    # Another account with the same NIK is taken too (its pengurus see the conflict:
    # tests/cooperatives/test_nik_owners.py), so the answer tells nothing of the NIK.
    same_nik = await koperasi.apply(await sign_up(gql), nik=(await Membership.get(
        id=decode_id(first["membership"]["id"], "Membership"))).nik)  # fmt: skip
    assert same_nik["errors"] == []


async def test_only_another_pengurus_of_this_cooperative_decides(gql):
    koperasi, other = await Koperasi.new(gql), await Koperasi.new(gql)
    warga = await sign_up(gql)
    applied = (await koperasi.apply(warga))["membership"]["id"]
    assert codes(await koperasi.decide(applied, token=warga["token"])) == [
        ("id", "PERMISSION_DENIED")
    ]
    for token in (other.pengurus["token"], (await sign_up(gql))["token"]):
        refused = await koperasi.decide(applied, token=token)  # as if missing: not probed
        assert codes(refused) == [("id", "NOT_FOUND")]
    # The pengurus applies to their own cooperative: they cannot approve themself.
    own = (await koperasi.apply(koperasi.pengurus))["membership"]["id"]
    assert codes(await koperasi.decide(own)) == [("id", "PERMISSION_DENIED")]
    assert (await Membership.get(id=decode_id(own, "Membership"))).status == "PENDING"
    assert await Bill.filter(membership_id=decode_id(own, "Membership")).count() == 0


async def test_rejection_needs_a_reason_and_a_decision_is_final(gql):
    koperasi = await Koperasi.new(gql)
    applied = (await koperasi.apply(await sign_up(gql)))["membership"]["id"]
    assert codes(await koperasi.decide(applied, approve=False)) == [("reason", "REQUIRED")]
    rejected = await koperasi.decide(applied, approve=False, reason="Bukan warga wilayah kerja")
    assert rejected["membership"]["status"] == "REJECTED"
    assert rejected["membership"]["number"] is None
    assert codes(await koperasi.decide(applied)) == [("id", "INVALID_STATE")]
    row = await Membership.get(id=decode_id(applied, "Membership"))
    assert row.rejection_reason == "Bukan warga wilayah kerja"


async def test_racing_approvals_give_gap_free_numbers(gql):
    koperasi = await Koperasi.new(gql)
    applied = [(await koperasi.apply(await sign_up(gql)))["membership"]["id"] for _ in range(12)]
    # Each approval twice at once: one of the pair wins, the other is INVALID_STATE.
    results = await asyncio.gather(*(koperasi.decide(i) for i in applied + applied))
    winners = [r for r in results if r["errors"] == []]
    assert len(winners) == 12
    assert sorted(r["membership"]["number"] for r in winners) == list(range(1, 13))
    assert all(codes(r) == [("id", "INVALID_STATE")] for r in results if r["errors"])
    assert await Bill.filter(membership__cooperative_id=decode_id(koperasi.id, "Cooperative")
                             ).count() == 12  # fmt: skip


async def test_ending_pays_out_every_balance_and_closes_the_savings(gql):
    koperasi = await Koperasi.new(gql)
    warga, membership_id = await koperasi.member()
    await koperasi.deposit(membership_id, 100000, "POKOK")
    await koperasi.deposit(membership_id, 20000, "WAJIB")
    await koperasi.deposit(membership_id, 55000)
    ended = await gql(contract("EndMembership"), {"id": membership_id}, token=warga["token"])
    payload = ended["data"]["endMembership"]
    assert payload == {
        "membership": {"id": membership_id, "status": "ENDED"},
        "payout": {"amount": 175000, "formatted": "Rp175.000"},
        "errors": [],
    }
    page = (await koperasi.dashboard(membership_id, warga["token"]))["data"]["node"]
    assert page["totalSavings"]["amount"] == 0
    assert page["transactions"]["edges"][0]["node"]["kind"] == "PAYOUT"
    assert [n["node"]["amount"]["amount"] for n in page["transactions"]["edges"][:3]] == [
        -55000, -20000, -100000,
    ]  # fmt: skip
    late = await koperasi.deposit(membership_id, 1000)
    assert codes(late) == [("membershipId", "INVALID_STATE")]
    again = await gql(contract("EndMembership"), {"id": membership_id}, token=warga["token"])
    assert codes(again["data"]["endMembership"]) == [("id", "INVALID_STATE")]


async def test_ending_is_refused_while_a_loan_is_outstanding(gql):
    koperasi = await Koperasi.new(gql)
    warga, membership_id = await koperasi.member()
    await koperasi.deposit(membership_id, 30000)
    row_id = decode_id(membership_id, "Membership")
    loan_id = (await apply(koperasi, membership_id, warga["token"]))["loan"]["id"]
    assert (await approve(koperasi, loan_id))["errors"] == []
    assert (await disburse(koperasi, loan_id))["errors"] == []
    before = await journal_size()
    for token in (warga["token"], koperasi.pengurus["token"]):
        refused = await gql(contract("EndMembership"), {"id": membership_id}, token=token)
        assert codes(refused["data"]["endMembership"]) == [("id", "INVALID_STATE")]
    assert (await Membership.get(id=row_id)).status == "ACTIVE"
    assert await journal_size() == before


async def test_strangers_cannot_end_a_membership(gql):
    koperasi, other = await Koperasi.new(gql), await Koperasi.new(gql)
    _, membership_id = await koperasi.member()
    for token in ((await sign_up(gql))["token"], other.pengurus["token"], None):
        refused = await gql(contract("EndMembership"), {"id": membership_id}, token=token)
        assert refused["data"]["endMembership"]["errors"][0]["code"] in (
            "NOT_FOUND", "UNAUTHENTICATED",
        )  # fmt: skip
    row = await Membership.get(id=decode_id(membership_id, "Membership"))
    assert row.status == "ACTIVE"
