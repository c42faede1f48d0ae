"""PayShuPayable through HTTP: a member who had left when the SHU was distributed is paid their
share, clearing Utang SHU Anggota, in cash or into an open SUKARELA; once, also when two race;
the wrong side (a member, another cooperative's pengurus) and a member with nothing owed."""

import asyncio

import pytest

from models.cooperatives.cooperative import Membership, SavingsAccount
from models.shu import ShuShare
from resolvers.cooperatives.books import KAS, UTANG_SHU
from schema.platform.ids import decode_id
from tests.cooperatives.helpers import Koperasi, accounts, codes
from tests.shu.test_shu_http import YEAR, a_year

pytestmark = pytest.mark.usefixtures("books_balance")

PAY = """mutation($id: ID!, $year: Int!, $to: ShuPayoutTarget!) {
  payShuPayable(membershipId: $id, year: $year, to: $to) {
  paid { amount } errors { field code message } } }"""


async def pay(koperasi: Koperasi, membership_id: str, to: str, token: str | None = None) -> dict:
    result = await koperasi.gql(
        PAY,
        {"id": membership_id, "year": YEAR, "to": to},
        token=token or koperasi.pengurus["token"],
    )
    assert "errors" not in result, result
    return result["data"]["payShuPayable"]


async def test_a_payable_share_is_paid_in_cash_once_even_racing(gql):
    year = await a_year(gql)
    koperasi = year.koperasi
    assert (await year.distribute())["errors"] == []
    before = await accounts(koperasi)
    assert before[UTANG_SHU] == 2885  # ani's share
    ani = year.id("ani")
    answers = await asyncio.gather(pay(koperasi, ani, "CASH"), pay(koperasi, ani, "CASH"))
    assert sorted(str(codes(a)) for a in answers) == sorted(
        ["[]", str([("year", "INVALID_STATE")])]
    )
    assert {"amount": 2885} in [a["paid"] for a in answers]
    after = await accounts(koperasi)
    assert (after[UTANG_SHU], after[KAS]) == (0, before[KAS] - 2885)
    share = await ShuShare.get(membership_id=decode_id(ani, "Membership"))
    assert share.paid_at is not None


async def test_into_sukarela_only_while_it_is_open_and_not_by_the_wrong_side(gql):
    year = await a_year(gql)
    koperasi = year.koperasi
    assert (await year.distribute())["errors"] == []
    ani = year.id("ani")
    member = year.members["siti"][0]
    other = await Koperasi.new(gql)
    assert codes(await pay(koperasi, ani, "CASH", member["token"])) == [
        ("membershipId", "NOT_FOUND")
    ]
    assert codes(await pay(koperasi, ani, "CASH", other.pengurus["token"])) == [
        ("membershipId", "NOT_FOUND")
    ]
    # siti stayed: her share went to her SUKARELA, nothing is owed to her.
    assert codes(await pay(koperasi, year.id("siti"), "CASH")) == [("year", "NOT_FOUND")]
    # ani left: her savings are closed, so SUKARELA is refused and nothing is written.
    closed = await pay(koperasi, ani, "SUKARELA")
    assert codes(closed) == [("membershipId", "INVALID_STATE")]
    assert (await accounts(koperasi))[UTANG_SHU] == 2885
    assert (await ShuShare.get(membership_id=decode_id(ani, "Membership"))).paid_at is None
    # Had it been open (a member who came back), it is credited there.
    membership = await Membership.get(id=decode_id(ani, "Membership"))
    await SavingsAccount.filter(membership_id=membership.id, kind="SUKARELA").update(is_open=True)
    done = await pay(koperasi, ani, "SUKARELA")
    assert done == {"paid": {"amount": 2885}, "errors": []}
    assert (await accounts(koperasi))[UTANG_SHU] == 0
