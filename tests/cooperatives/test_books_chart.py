"""ChartOfAccounts, CreateLedgerAccount and DeleteLedgerAccount, from the right and the wrong
side; and the contract's operations of the books validate against the schema."""

import asyncio

import pytest
from graphql import parse, validate

from models.cooperatives.books import LedgerAccount
from resolvers.cooperatives.books import CHART
from schema import build_schema
from tests.conftest import city_admin
from tests.cooperatives.books import OPERATIONS, account_ids, books_op, cash, chart
from tests.cooperatives.helpers import Koperasi, codes

pytestmark = pytest.mark.usefixtures("books_balance")

CREATE = books_op("CreateLedgerAccount")
DELETE = books_op("DeleteLedgerAccount")


def test_the_books_operations_validate_against_the_schema():
    schema = build_schema()._schema
    for name in OPERATIONS:
        assert validate(schema, parse(books_op(name))) == [], name


async def create(koperasi, token=None, **body):
    result = await koperasi.gql(
        CREATE,
        {"cooperativeId": koperasi.id, "input": body},
        token=token or koperasi.pengurus["token"],
    )
    assert "errors" not in result, result
    return result["data"]["createLedgerAccount"]


async def delete(koperasi, account_id, token=None):
    result = await koperasi.gql(
        DELETE, {"id": account_id}, token=token or koperasi.pengurus["token"]
    )
    assert "errors" not in result, result
    return result["data"]["deleteLedgerAccount"]


async def test_every_cooperative_has_the_ksp_chart(gql):
    koperasi = await Koperasi.new(gql)
    found = await chart(koperasi)
    assert [a["code"] for a in found] == sorted(a.code for a in CHART)
    by_code = {a["code"]: a for a in found}
    assert (by_code["1-1100"]["name"], by_code["1-1200"]["name"]) == ("Kas", "Bank")
    assert by_code["2-1200"]["name"] == "Utang kepada Platform"
    assert {c for c, a in by_code.items() if a["isCash"]} == {"1-1100", "1-1200"}
    assert {a["name"] for a in found if a["isControl"]} == {
        "Simpanan Pokok", "Simpanan Wajib", "Simpanan Sukarela", "Simpanan Berjangka",
        "Piutang Pinjaman Anggota", "Piutang Antar Anggota", "Utang kepada Platform",
        "Piutang dari Platform",
    }  # fmt: skip
    names = {a["name"] for a in found}
    assert {"Penyisihan Piutang Tak Tertagih", "Beban Penyisihan Piutang", "Dana Alokasi SHU",
            "Deposit PPOB", "Utang SHU Anggota", "Beban Gaji", "Beban RAT", "Modal Penyertaan",
            "Donasi/Hibah", "Inventaris", "Akumulasi Penyusutan Inventaris"} <= names  # fmt: skip
    kinds = {a["kind"] for a in found}
    assert kinds == {"ASSET", "LIABILITY", "EQUITY", "INCOME", "EXPENSE"}
    assert all(a["code"][0] == "12345"[list(("ASSET", "LIABILITY", "EQUITY", "INCOME",
               "EXPENSE")).index(a["kind"])] for a in found)  # fmt: skip
    assert all(a["isSystem"] and not a["hasEntries"] and a["parent"] is None for a in found)
    assert all(a["balance"]["amount"] == 0 for a in found)


async def test_the_chart_is_for_the_pengurus_and_the_dinas_only(gql):
    koperasi = await Koperasi.new(gql)
    other = await Koperasi.new(gql)
    warga, _ = await koperasi.member()
    assert await chart(koperasi, warga["token"]) is None
    assert await chart(koperasi, other.pengurus["token"]) is None
    assert len(await chart(koperasi, (await city_admin(gql))["token"])) == len(CHART)
    anonymous = await gql(books_op("ChartOfAccounts"), {"cooperativeId": koperasi.id})
    assert anonymous["data"]["node"]["chartOfAccounts"] is None


async def test_balances_are_on_the_normal_side_as_of_a_day(gql):
    koperasi = await Koperasi.new(gql)
    ids = await account_ids(koperasi)
    await cash(koperasi, ids["4-1900"], 300000, "2026-02-01")
    await cash(koperasi, ids["5-1200"], 120000, "2026-03-01", "PAYMENT")
    found = {a["code"]: a for a in await chart(koperasi, asOf="2026-02-15")}
    assert found["1-1100"]["balance"] == {"amount": 300000, "formatted": "Rp300.000"}
    assert found["5-1200"]["balance"]["amount"] == 0
    now = {a["code"]: a for a in await chart(koperasi)}
    assert now["1-1100"]["balance"]["amount"] == 180000
    assert now["4-1900"]["balance"]["amount"] == 300000
    assert now["5-1200"]["balance"]["amount"] == 120000
    assert now["5-1200"]["hasEntries"]
    assert not now["5-1300"]["hasEntries"]


async def test_a_pengurus_adds_sub_accounts(gql):
    koperasi = await Koperasi.new(gql)
    ids = await account_ids(koperasi)
    made = await create(koperasi, kind="EXPENSE", parentId=ids["5-1200"], name="Sewa Kantor")
    assert made["errors"] == []
    account = made["ledgerAccount"]
    assert account == {
        **account, "code": "5-1201", "name": "Sewa Kantor", "kind": "EXPENSE", "isCash": False,
        "isControl": False, "isSystem": False, "hasEntries": False,
        "parent": {"id": ids["5-1200"], "code": "5-1200"},
    }  # fmt: skip
    second = await create(koperasi, kind="EXPENSE", parentId=ids["5-1200"], name="Sewa Gudang")
    assert second["ledgerAccount"]["code"] == "5-1202"
    top = await create(koperasi, kind="INCOME", name="Pendapatan Sewa Tenda")
    assert top["ledgerAccount"]["code"] == "4-2000"
    own = await create(koperasi, kind="ASSET", name="Kas Kecil", code="1-1150")
    assert own["ledgerAccount"]["code"] == "1-1150"
    assert "Sewa Kantor" in {a["name"] for a in await chart(koperasi)}


async def test_bad_sub_accounts_are_refused_and_nothing_is_written(gql):
    koperasi = await Koperasi.new(gql)
    ids = await account_ids(koperasi)
    before = await LedgerAccount.all().count()
    wrong_kind = await create(koperasi, kind="EXPENSE", parentId=ids["1-1100"], name="Beban X")
    assert codes(wrong_kind) == [("input.parentId", "INVALID")]
    other = await Koperasi.new(gql)
    others = await account_ids(other)
    foreign = await create(koperasi, kind="EXPENSE", parentId=others["5-1200"], name="Beban Y")
    assert codes(foreign) == [("input.parentId", "INVALID")]
    assert codes(await create(koperasi, kind="EXPENSE", name="Beban Sewa")) == [
        ("input.name", "DUPLICATE")
    ]
    assert codes(await create(koperasi, kind="EXPENSE", name="Beban Z", code="5-1200")) == [
        ("input.name", "DUPLICATE")
    ]
    assert codes(await create(koperasi, kind="EXPENSE", name="Beban Z", code="1-9000")) == [
        ("input.code", "INVALID")
    ]
    assert codes(await create(koperasi, kind="EXPENSE", name="  ")) == [("input.name", "REQUIRED")]
    assert await LedgerAccount.all().count() == before + len(CHART)  # the other's chart only
    warga, _ = await koperasi.member()
    assert codes(await create(koperasi, warga["token"], kind="EXPENSE", name="Beban W")) == [
        ("cooperativeId", "PERMISSION_DENIED")
    ]
    assert codes(
        await create(koperasi, other.pengurus["token"], kind="EXPENSE", name="Beban W")
    ) == [("cooperativeId", "PERMISSION_DENIED")]
    admin = await city_admin(gql)
    assert codes(await create(koperasi, admin["token"], kind="EXPENSE", name="Beban W")) == [
        ("cooperativeId", "PERMISSION_DENIED")
    ]
    assert await LedgerAccount.filter(name="Beban W").count() == 0


async def test_two_racing_creations_of_one_name_create_one(gql):
    koperasi = await Koperasi.new(gql)
    second = await koperasi.add_pengurus()
    answers = await asyncio.gather(
        *(
            create(koperasi, token, kind="EXPENSE", name="Beban Keamanan")
            for token in [koperasi.pengurus["token"], second["token"]] * 3
        )
    )
    assert sorted(codes(a) for a in answers) == [[]] + [[("input.name", "DUPLICATE")]] * 5
    assert await LedgerAccount.filter(name="Beban Keamanan").count() == 1


async def test_only_an_unused_sub_account_is_deleted(gql):
    koperasi = await Koperasi.new(gql)
    ids = await account_ids(koperasi)
    assert codes(await delete(koperasi, ids["5-1200"])) == [("id", "INVALID_STATE")]
    unused = (await create(koperasi, kind="EXPENSE", name="Beban Parkir"))["ledgerAccount"]
    used = (await create(koperasi, kind="EXPENSE", name="Beban Konsumsi"))["ledgerAccount"]
    await cash(koperasi, used["id"], 50000, "2026-04-01", "PAYMENT")
    assert codes(await delete(koperasi, used["id"])) == [("id", "INVALID_STATE")]
    warga, _ = await koperasi.member()
    other = await Koperasi.new(gql)
    assert codes(await delete(koperasi, unused["id"], warga["token"])) == [("id", "NOT_FOUND")]
    assert codes(await delete(koperasi, unused["id"], other.pengurus["token"])) == [
        ("id", "NOT_FOUND")
    ]
    admin = await city_admin(gql)
    assert codes(await delete(koperasi, unused["id"], admin["token"])) == [
        ("id", "PERMISSION_DENIED")
    ]
    assert await delete(koperasi, unused["id"]) == {"ok": True, "errors": []}
    names = {a["name"] for a in await chart(koperasi)}
    assert "Beban Parkir" not in names
    assert "Beban Konsumsi" in names


async def test_a_signed_out_caller_is_refused(gql):
    koperasi = await Koperasi.new(gql)
    result = await gql(
        CREATE, {"cooperativeId": koperasi.id, "input": {"kind": "EXPENSE", "name": "X"}}
    )
    assert codes(result["data"]["createLedgerAccount"])[0][1] == "UNAUTHENTICATED"
