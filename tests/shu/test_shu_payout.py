"""PayShuPayable through HTTP: a member who had left when the SHU was distributed is paid their
share, clearing Utang SHU Anggota, in cash or into an open SUKARELA; once, also when two race;
the wrong side (a member, another cooperative's pengurus) and a member with nothing owed."""

import asyncio

import pytest

from models.cooperatives.books import JournalEntry
from models.cooperatives.cooperative import Membership, SavingsAccount
from models.shu import ShuShare
from resolvers.cooperatives.books import DANA_ALOKASI_SHU, KAS, UTANG_SHU
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


FUND = """mutation($id: ID!, $fund: ShuAllocationFund!, $amount: Rupiah!, $note: String!) {
  useShuAllocationFund(cooperativeId: $id, fund: $fund, amount: $amount, note: $note) {
  left { amount } errors { field code message } } }"""


async def use(koperasi: Koperasi, fund: str, amount: int, token: str | None = None) -> dict:
    result = await koperasi.gql(
        FUND,
        {"id": koperasi.id, "fund": fund, "amount": amount, "note": "Pelatihan pengurus"},
        token=token or koperasi.pengurus["token"],
    )
    assert "errors" not in result, result
    return result["data"]["useShuAllocationFund"]


async def test_each_allocation_fund_use_is_its_own_entry_never_beyond_the_pool(gql):
    year = await a_year(gql)
    koperasi = year.koperasi
    assert (await year.distribute())["errors"] == []
    pool = (await accounts(koperasi))[DANA_ALOKASI_SHU]
    assert pool > 2
    member = year.members["siti"][0]
    other = await Koperasi.new(gql)
    for token in (member["token"], other.pengurus["token"]):
        assert codes(await use(koperasi, "PENDIDIKAN", 1, token)) == [
            ("cooperativeId", "PERMISSION_DENIED")
        ]
    assert codes(await use(koperasi, "SOSIAL", 0)) == [("amount", "INVALID")]
    assert codes(await use(koperasi, "SOSIAL", pool + 1)) == [("amount", "INSUFFICIENT_BALANCE")]
    first = await use(koperasi, "PENDIDIKAN", 1)
    assert first == {"left": {"amount": pool - 1}, "errors": []}
    # Two uses racing for the rest: one is paid, the other refused.
    rest = pool - 1
    raced = await asyncio.gather(use(koperasi, "SOSIAL", rest), use(koperasi, "PENGURUS", rest))
    assert sorted(str(codes(r)) for r in raced) == sorted(
        ["[]", str([("amount", "INSUFFICIENT_BALANCE")])]
    )
    assert (await accounts(koperasi))[DANA_ALOKASI_SHU] == 0
    cooperative_id = decode_id(koperasi.id, "Cooperative")
    uses = await JournalEntry.filter(
        cooperative_id=cooperative_id, description__startswith="Penggunaan dana"
    ).values_list("description", flat=True)
    assert sorted(uses) in (
        ["Penggunaan dana pendidikan", "Penggunaan dana sosial"],
        ["Penggunaan dana pendidikan", "Penggunaan dana pengurus"],
    )
