"""A NIK belongs to one account across the city, from the squatter's side: applying first with
someone's NIK locks nobody out, answers never tell whether a NIK is or was a member, and the
pengurus see the conflict and cannot approve a NIK verified for another account."""

import asyncio
import importlib

import pytest
from tortoise.transactions import in_transaction

from models.cooperatives.cooperative import Membership, NikOwner
from resolvers.platform.clock import now
from schema.platform.ids import decode_id
from tests.conftest import sign_up
from tests.cooperatives.helpers import Koperasi, codes, nik

pytestmark = pytest.mark.usefixtures("books_balance")

CONFLICT = "query($id: ID!) { node(id: $id) { ... on Membership { status nikConflict } } }"


async def conflict(gql, membership_id: str, token: str) -> str | None:
    found = await gql(CONFLICT, {"id": membership_id}, token=token)
    assert "errors" not in found, found
    return (found["data"]["node"] or {}).get("nikConflict")


def answer(applied: dict) -> tuple:
    """What an applicant learns from applying: the errors and the membership's status."""
    return tuple(codes(applied)), applied["membership"] and applied["membership"]["status"]


async def test_applying_first_with_someones_nik_locks_nobody_out(gql):
    koperasi = await Koperasi.new(gql)
    victims_nik = nik()
    squatter, victim = await sign_up(gql, "Penyerobot"), await sign_up(gql, "Pemilik NIK")
    squatted = await koperasi.apply(squatter, nik=victims_nik)
    assert answer(squatted) == ((), "PENDING")
    applied = await koperasi.apply(victim, nik=victims_nik)
    assert answer(applied) == ((), "PENDING")
    token = koperasi.pengurus["token"]
    # The pengurus sees both applications flagged; the applicants see nothing of it.
    for membership in (squatted, applied):
        flagged = await conflict(gql, membership["membership"]["id"], token)
        assert "1 pengajuan akun lain" in (flagged or "")
    assert await conflict(gql, applied["membership"]["id"], victim["token"]) is None
    approved = await koperasi.decide(applied["membership"]["id"])
    assert approved["errors"] == []
    owner = await NikOwner.get(nik=victims_nik)
    assert owner.membership_id == decode_id(applied["membership"]["id"], "Membership")
    # Now the squatter's application names the verified NIK and cannot be approved.
    flagged = await conflict(gql, squatted["membership"]["id"], token)
    assert "terverifikasi untuk akun lain" in (flagged or "")
    refused = await koperasi.decide(squatted["membership"]["id"])
    assert codes(refused) == [("id", "DUPLICATE")]
    row = await Membership.get(id=decode_id(squatted["membership"]["id"], "Membership"))
    assert (row.status, row.number) == ("PENDING", None)
    rejected = await koperasi.decide(squatted["membership"]["id"], approve=False, reason="NIK")
    assert rejected["membership"]["status"] == "REJECTED"


async def test_a_rejected_squatter_frees_the_nik_and_a_rejected_applicant_applies_again(gql):
    koperasi = await Koperasi.new(gql)
    victims_nik = nik()
    squatter, victim = await sign_up(gql), await sign_up(gql)
    squatted = (await koperasi.apply(squatter, nik=victims_nik))["membership"]["id"]
    await koperasi.decide(squatted, approve=False, reason="KTP tidak cocok")
    applied = await koperasi.apply(victim, nik=victims_nik)
    assert answer(applied) == ((), "PENDING")
    assert await conflict(gql, applied["membership"]["id"], koperasi.pengurus["token"]) is None
    assert (await koperasi.decide(applied["membership"]["id"]))["errors"] == []
    # The rejected account may apply again (same row), and is told nothing of the owner.
    again = await koperasi.apply(squatter, nik=victims_nik)
    assert answer(again) == ((), "PENDING")
    assert again["membership"]["id"] == squatted
    assert codes(await koperasi.apply(squatter)) == [("cooperativeId", "DUPLICATE")]


async def test_answers_never_tell_whether_a_nik_is_or_was_a_member(gql):
    koperasi, elsewhere = await Koperasi.new(gql), await Koperasi.new(gql)
    member, _ = await koperasi.member()
    members_nik = (await Membership.get(user__email=member["user"]["email"])).nik
    ended_user, ended_id = await elsewhere.member()
    ended_nik = (await Membership.get(id=decode_id(ended_id, "Membership"))).nik
    assert (await elsewhere.gql(
        "mutation($id: ID!) { endMembership(id: $id) { errors { code } } }",
        {"id": ended_id}, token=ended_user["token"],
    ))["data"]["endMembership"]["errors"] == []  # fmt: skip
    answers = set()
    for tried in (members_nik, ended_nik, nik()):
        for where in (koperasi, elsewhere):
            applied = await where.apply(await sign_up(gql), nik=tried)
            answers.add(answer(applied))
            assert await conflict(gql, applied["membership"]["id"], member["token"]) is None
    assert answers == {((), "PENDING")}
    # An ended membership does not give its NIK away: it stays its account's.
    stranger = await elsewhere.apply(await sign_up(gql), nik=ended_nik)
    refused = await elsewhere.decide(stranger["membership"]["id"])
    assert codes(refused) == [("id", "DUPLICATE")]


async def test_only_the_cooperatives_pengurus_see_the_conflict(gql):
    koperasi, other = await Koperasi.new(gql), await Koperasi.new(gql)
    member, _ = await koperasi.member()
    members_nik = (await Membership.get(user__email=member["user"]["email"])).nik
    squatter = await sign_up(gql)
    squatted = (await other.apply(squatter, nik=members_nik))["membership"]["id"]
    assert "terverifikasi" in (await conflict(gql, squatted, other.pengurus["token"]) or "")
    for token in (squatter["token"], member["token"], koperasi.pengurus["token"],
                  (await sign_up(gql))["token"]):  # fmt: skip
        assert await conflict(gql, squatted, token) is None


async def test_racing_approvals_of_one_nik_for_two_accounts_verify_it_once(gql):
    shared = nik()
    pairs = []
    for _ in range(4):
        koperasi = await Koperasi.new(gql)
        applied = await koperasi.apply(await sign_up(gql), nik=shared)
        pairs.append((koperasi, applied["membership"]["id"]))
    results = await asyncio.gather(*(k.decide(m) for k, m in pairs))
    assert sorted(tuple(codes(r)) for r in results) == [()] + [(("id", "DUPLICATE"),)] * 3
    assert await NikOwner.filter(nik=shared).count() == 1
    active = await Membership.filter(nik=shared, status="ACTIVE").values_list("id", flat=True)
    assert active == [(await NikOwner.get(nik=shared)).membership_id]


async def test_the_migration_makes_each_niks_first_approved_account_its_owner(gql):
    first_owners = importlib.import_module("models.migrations.0022_nik_owners").FIRST_OWNERS
    shared = nik()
    koperasi, other = await Koperasi.new(gql), await Koperasi.new(gql)
    first = await koperasi.apply(await sign_up(gql), nik=shared)
    later = await other.apply(await sign_up(gql), nik=shared)
    await koperasi.decide(first["membership"]["id"])
    # Before owners existed, two accounts could both be approved with one NIK.
    later_id = decode_id(later["membership"]["id"], "Membership")
    await Membership.filter(id=later_id).update(status="ACTIVE", number=1, joined_at=now())
    async with in_transaction() as connection:
        await NikOwner.all().delete()
        await connection.execute_script(first_owners)
    owner = await NikOwner.get(nik=shared)
    assert owner.membership_id == decode_id(first["membership"]["id"], "Membership")
