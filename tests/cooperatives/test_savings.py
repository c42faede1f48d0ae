"""RecordDeposit, Withdraw, MemberDashboard, CooperativeMembers and the books, from both sides."""

import asyncio

import pytest
from tortoise.exceptions import IntegrityError, OperationalError

from models.bills import Bill
from models.cooperatives.books import JournalEntry, JournalLine
from models.cooperatives.cooperative import SavingsAccount
from resolvers.cooperatives.books import audit
from schema.platform.ids import decode_id, encode_id
from tests.conftest import StatementCounter, city_admin, contract, sign_up
from tests.cooperatives.helpers import BOOKS, Koperasi, codes, journal_size, sukarela

pytestmark = pytest.mark.usefixtures("books_balance")


async def test_a_teller_deposit_and_a_withdrawal_move_savings_and_the_books(gql):
    koperasi = await Koperasi.new(gql)
    warga, membership_id = await koperasi.member()
    deposited = await koperasi.deposit(membership_id, 250000, note="Setor tunai di kantor")
    assert deposited["errors"] == []
    assert deposited["transaction"] == {
        **deposited["transaction"], "kind": "DEPOSIT", "account": "SUKARELA",
        "amount": {"amount": 250000}, "balanceAfter": {"amount": 250000},
    }  # fmt: skip
    taken = await koperasi.withdraw(membership_id, 40000, warga["token"])
    assert taken["transaction"] == {
        **taken["transaction"], "kind": "WITHDRAWAL", "account": "SUKARELA",
        "amount": {"amount": -40000}, "balanceAfter": {"amount": 210000},
    }  # fmt: skip
    by_pengurus = await koperasi.withdraw(membership_id, 10000, koperasi.pengurus["token"])
    assert by_pengurus["transaction"]["balanceAfter"] == {"amount": 200000}
    page = (await koperasi.dashboard(membership_id, warga["token"]))["data"]["node"]
    assert page["totalSavings"] == {"amount": 200000, "formatted": "Rp200.000"}
    assert [(t["node"]["kind"], t["node"]["amount"]["amount"], t["node"]["balanceAfter"]["amount"])
            for t in page["transactions"]["edges"]] == [
        ("WITHDRAWAL", -10000, 200000), ("WITHDRAWAL", -40000, 210000),
        ("DEPOSIT", 250000, 250000),
    ]  # fmt: skip
    assert page["transactions"]["edges"][2]["node"]["description"] == "Setoran simpanan sukarela"
    books = await gql(BOOKS, {"id": koperasi.id}, token=koperasi.pengurus["token"])
    found = books["data"]["node"]["books"]
    accounts = {a["code"]: a for a in found["accounts"]}
    assert accounts["1-1100"]["balance"] == {"amount": 200000}  # Kas dan Bank
    assert accounts["2-1100"]["balance"] == {"amount": 200000}  # Simpanan Sukarela
    assert found["totalDebit"] == found["totalCredit"] == {"amount": 300000}
    assert (found["assets"], found["liabilities"], found["equity"], found["balanced"]) == (
        {"amount": 200000}, {"amount": 200000}, {"amount": 0}, True,
    )  # fmt: skip


async def test_a_pokok_deposit_settles_the_pokok_bill_once(gql):
    koperasi = await Koperasi.new(gql)
    warga, membership_id = await koperasi.member()
    assert codes(await koperasi.deposit(membership_id, 99000, "POKOK")) == [("amount", "INVALID")]
    paid = await koperasi.deposit(membership_id, 100000, "POKOK")
    assert paid["transaction"]["balanceAfter"] == {"amount": 100000}
    bill = await Bill.get(membership_id=decode_id(membership_id, "Membership"))
    assert bill.status == "PAID"
    assert bill.paid_at is not None
    assert codes(await koperasi.deposit(membership_id, 100000, "POKOK")) == [
        ("account", "INVALID_STATE")
    ]
    page = (await koperasi.dashboard(membership_id, warga["token"]))["data"]["node"]
    assert page["bills"] == []
    books = await gql(BOOKS, {"id": koperasi.id}, token=koperasi.pengurus["token"])
    equity = {a["code"]: a["balance"] for a in books["data"]["node"]["books"]["accounts"]}
    assert equity["3-1100"] == {"amount": 100000}  # Simpanan Pokok is equity


async def test_only_sukarela_is_withdrawn_and_never_below_zero(gql):
    koperasi = await Koperasi.new(gql)
    warga, membership_id = await koperasi.member()
    await koperasi.deposit(membership_id, 20000, "WAJIB")
    await koperasi.deposit(membership_id, 5000)
    before = await journal_size()
    short = await koperasi.withdraw(membership_id, 5001, warga["token"])
    assert codes(short) == [("amount", "INSUFFICIENT_BALANCE")]
    assert await journal_size() == before
    assert await sukarela(membership_id) == 5000


async def test_hostile_amounts_and_ids_get_coded_errors_and_write_nothing(gql):
    koperasi = await Koperasi.new(gql)
    warga, membership_id = await koperasi.member()
    await koperasi.deposit(membership_id, 1000)
    before = await journal_size()
    for amount in (0, -1, -1000, 10**12 + 1, 2**53 - 1):
        assert codes(await koperasi.deposit(membership_id, amount)) == [("amount", "INVALID")]
        assert codes(await koperasi.withdraw(membership_id, amount, warga["token"])) == [
            ("amount", "INVALID")
        ]
    for amount in (2**53, -(2**53), 1.5, "1000"):
        result = await gql(contract("Withdraw"), {"membershipId": membership_id,
                           "amount": amount}, token=warga["token"])  # fmt: skip
        assert result.get("data") is None
        assert result["errors"][0]["message"]
    row = decode_id(membership_id, "Membership")
    for wrong in (encode_id("Cooperative", row), encode_id("Membership", 2**63),
                  encode_id("Membership", "-1"), "Zm9vOmJhcg=="):  # fmt: skip
        assert codes(await koperasi.deposit(wrong, 1000)) == [("membershipId", "NOT_FOUND")]
        assert codes(await koperasi.withdraw(wrong, 1000, warga["token"])) == [
            ("membershipId", "NOT_FOUND")
        ]
    long_note = await koperasi.deposit(membership_id, 1000, note="x" * 256)
    assert codes(long_note) == [("note", "INVALID")]
    assert await journal_size() == before
    assert await sukarela(membership_id) == 1000


async def test_permissions_from_the_wrong_side(gql):
    koperasi, other = await Koperasi.new(gql), await Koperasi.new(gql)
    warga, membership_id = await koperasi.member()
    tetangga, neighbour_id = await koperasi.member()
    await koperasi.deposit(membership_id, 50000)
    before = await journal_size()
    # A member cannot deposit, even into their own savings; another cooperative's pengurus
    # and strangers see no such membership.
    assert codes(await koperasi.deposit(membership_id, 1000, token=warga["token"])) == [
        ("membershipId", "PERMISSION_DENIED")
    ]
    for token in (other.pengurus["token"], tetangga["token"], (await sign_up(gql))["token"]):
        assert codes(await koperasi.deposit(membership_id, 1000, token=token))[0][1] in (
            "NOT_FOUND", "PERMISSION_DENIED",
        )  # fmt: skip
        assert codes(await koperasi.withdraw(membership_id, 1000, token)) == [
            ("membershipId", "NOT_FOUND")
        ]
        page = await koperasi.dashboard(membership_id, token)
        assert page["data"]["node"] is None
    # A pengurus who is also a member: another pengurus must record their deposit.
    second = await koperasi.add_pengurus()
    _, own_id = await koperasi.member(koperasi.pengurus, token=second["token"])
    assert codes(await koperasi.deposit(own_id, 1000)) == [("membershipId", "PERMISSION_DENIED")]
    assert (await koperasi.deposit(own_id, 1000, token=second["token"]))["errors"] == []
    before = await journal_size()
    assert (await koperasi.withdraw(own_id, 1001, koperasi.pengurus["token"]))["errors"][0][
        "code"
    ] == "INSUFFICIENT_BALANCE"  # as a member they may withdraw their own
    assert await journal_size() == before
    # Lists and books: this cooperative's pengurus only.
    members = await gql(contract("CooperativeMembers"), {"id": koperasi.id},
                        token=koperasi.pengurus["token"])  # fmt: skip
    edges = members["data"]["node"]["members"]["edges"]
    assert members["data"]["node"]["members"]["totalCount"] == 3
    assert {e["node"]["id"]: e["node"]["totalSavings"]["amount"] for e in edges}[
        membership_id
    ] == 50000
    assert {e["node"]["user"]["name"] for e in edges} == {"Anggota Koperasi", "Pengurus Koperasi"}
    assert all(e["node"]["number"] for e in edges)
    for token in (warga["token"], other.pengurus["token"], None):
        for query in (contract("CooperativeMembers"), BOOKS):
            refused = await gql(query, {"id": koperasi.id}, token=token)
            assert refused["data"]["node"] is None
            assert refused["errors"][0]["extensions"]["code"] in ("FORBIDDEN", "UNAUTHENTICATED")
    # Another member's page is not theirs; the Dinas sees a membership but not its money.
    assert (await koperasi.dashboard(neighbour_id, warga["token"]))["data"]["node"] is None
    dinas = await city_admin(gql)
    seen = await koperasi.dashboard(membership_id, dinas["token"])
    assert (
        seen["data"] is None
        or seen["data"]["node"] is None
        or "savings" not in str(seen["data"]["node"])
    )
    assert {e["extensions"]["code"] for e in seen["errors"]} == {"FORBIDDEN"}
    status = await gql("query($id: ID!) { node(id: $id) { ... on Membership { status nik } } }",
                       {"id": membership_id}, token=dinas["token"])  # fmt: skip
    assert status["data"]["node"] == {"status": "ACTIVE", "nik": None}


async def test_one_hundred_racing_withdrawals_leave_exactly_zero(gql):
    koperasi = await Koperasi.new(gql)
    warga, membership_id = await koperasi.member()
    await koperasi.deposit(membership_id, 500000)
    before = await JournalEntry.filter(kind="WITHDRAWAL").count()
    results = await asyncio.gather(
        *(koperasi.withdraw(membership_id, 10000, warga["token"]) for _ in range(100))
    )
    succeeded = [r for r in results if r["errors"] == []]
    refused = [r for r in results if r["errors"]]
    assert len(succeeded) == 50
    assert len(refused) == 50
    assert all(codes(r) == [("amount", "INSUFFICIENT_BALANCE")] for r in refused)
    assert sorted(r["transaction"]["balanceAfter"]["amount"] for r in succeeded) == list(
        range(0, 500000, 10000)
    )
    assert await sukarela(membership_id) == 0
    assert await JournalEntry.filter(kind="WITHDRAWAL").count() - before == 50


async def test_the_audit_sees_a_balance_its_lines_do_not_give(gql):
    koperasi = await Koperasi.new(gql)
    _, membership_id = await koperasi.member()
    await koperasi.deposit(membership_id, 1000)
    row = await SavingsAccount.get(
        membership_id=decode_id(membership_id, "Membership"), kind="SUKARELA"
    )
    await SavingsAccount.filter(id=row.id).update(balance=999)
    try:
        assert f"savings {row.id}: balance 999, lines 1000" in await audit()
    finally:
        await SavingsAccount.filter(id=row.id).update(balance=1000)
    assert await audit() == []


async def test_the_member_list_costs_the_same_statements_for_2_or_12_members(gql):
    koperasi = await Koperasi.new(gql)
    for _ in range(12):
        _, membership_id = await koperasi.member()
        await koperasi.deposit(membership_id, 5000)

    async def statements(first: int) -> int:
        with StatementCounter() as counter:
            found = await gql(contract("CooperativeMembers"), {"id": koperasi.id, "first": first},
                              token=koperasi.pengurus["token"])  # fmt: skip
        assert len(found["data"]["node"]["members"]["edges"]) == first
        return len(counter.statements)

    await statements(1)  # the token's user is cached after its first use
    assert await statements(2) == await statements(12)


async def test_the_database_keeps_the_journal_append_only(gql):
    koperasi = await Koperasi.new(gql)
    _, membership_id = await koperasi.member()
    posted = (await koperasi.deposit(membership_id, 1000))["transaction"]["id"]
    line = decode_id(posted, "SavingsTransaction")
    entry = (await JournalLine.get(id=line)).entry_id
    for change in (
        JournalLine.filter(id=line).update(credit=1_000_000),
        JournalLine.filter(id=line).delete(),
        JournalEntry.filter(id=entry).update(description="diubah"),
        JournalEntry.filter(id=entry).delete(),
    ):
        with pytest.raises((IntegrityError, OperationalError), match="append-only"):
            await change
    assert (await JournalLine.get(id=line)).credit == 1000
