"""Shop vouchers through HTTP: the owner creates and changes them (CreateVoucher and
UpdateVoucher exactly as the contract writes them), and the shop's page lists them (the vouchers
part of ShopMarketplace): the public ones for everyone, all with their uses for the owner."""

from __future__ import annotations

from graphql import build_schema, parse, validate

from models.catalog import Product, ProductStatus
from models.orders import Voucher
from schema import SDL_PATH
from schema.platform.ids import decode_id
from tests.conftest import sign_up
from tests.orders.complaint_helpers import codes, op
from tests.orders.helpers import seller_with_products
from tests.orders.voucher_helpers import (
    SHOP_VOUCHERS,
    create_voucher,
    moment,
    shop_vouchers,
    update_voucher,
    voucher_shop,
)


def test_the_contract_operations_validate_against_the_schema():
    schema = build_schema(SDL_PATH.read_text())
    for document in (op("CreateVoucher"), op("UpdateVoucher"), SHOP_VOUCHERS):
        assert validate(schema, parse(document)) == []


async def test_the_owner_creates_fixed_and_percent_vouchers(gql):
    seller, shop, (_, tea) = await seller_with_products(gql, 2)
    fixed = await create_voucher(gql, seller["token"], shop["id"], code=" hemat5rb ",
                                 minSpend=20000)  # fmt: skip
    assert fixed["errors"] == []
    voucher = fixed["voucher"]
    assert (voucher["code"], voucher["kind"], voucher["used"], voucher["isActive"]) == (
        "HEMAT5RB", "FIXED", 0, True,
    )  # fmt: skip
    assert voucher["amount"] == {"amount": 5000, "formatted": "Rp5.000"}
    assert (voucher["maxDiscount"], voucher["percent"]) == (None, None)
    assert voucher["minSpend"]["amount"] == 20000
    assert (voucher["products"], voucher["shop"]["id"]) == ([], shop["id"])

    percent = await create_voucher(
        gql, seller["token"], shop["id"], code="TEH10", kind="PERCENT", amount=None,
        percent=10, maxDiscount=3000, productIds=[tea["id"]],
    )  # fmt: skip
    assert percent["errors"] == []
    voucher = percent["voucher"]
    assert (voucher["kind"], voucher["percent"], voucher["amount"]) == ("PERCENT", 10, None)
    assert voucher["maxDiscount"]["amount"] == 3000
    assert voucher["products"] == [{"id": tea["id"]}]


async def test_create_refuses_bad_terms_and_writes_nothing(gql):
    seller, shop, _ = await seller_with_products(gql)
    _, _, (foreign,) = await seller_with_products(gql)
    token, tomorrow = seller["token"], moment(1)
    cases = [
        ({"code": "AB1"}, "code", "INVALID"),
        ({"code": "HEMAT-10"}, "code", "INVALID"),
        ({"code": "A" * 21}, "code", "INVALID"),
        ({"amount": 0}, "amount", "INVALID"),
        ({"amount": None}, "amount", "INVALID"),
        ({"kind": "PERCENT", "percent": 0, "maxDiscount": 1000}, "percent", "INVALID"),
        ({"kind": "PERCENT", "percent": 101, "maxDiscount": 1000}, "percent", "INVALID"),
        ({"kind": "PERCENT", "percent": 10}, "maxDiscount", "INVALID"),
        ({"kind": "PERCENT", "percent": 10, "maxDiscount": 0}, "maxDiscount", "INVALID"),
        ({"minSpend": -1}, "minSpend", "INVALID"),
        ({"startsAt": moment(2), "endsAt": moment(1)}, "endsAt", "INVALID"),
        ({"startsAt": tomorrow, "endsAt": tomorrow}, "endsAt", "INVALID"),
        ({"quota": 0}, "quota", "INVALID"),
        ({"productIds": [foreign["id"]]}, "productIds", "INVALID"),
    ]
    for extra, field, code in cases:
        payload = await create_voucher(gql, token, shop["id"], **extra)
        assert codes(payload) == [(field, code)], (extra, payload)
        assert payload["voucher"] is None
    assert not await Voucher.filter(shop_id=decode_id(shop["id"], "Shop")).exists()


async def test_a_code_is_unique_within_its_shop_in_any_case(gql):
    seller, shop, _, _ = await voucher_shop(gql, code="HEMAT10")
    again = await create_voucher(gql, seller["token"], shop["id"], code="hemat10")
    assert codes(again) == [("code", "DUPLICATE")]
    other_seller, other_shop, _ = await seller_with_products(gql)
    theirs = await create_voucher(gql, other_seller["token"], other_shop["id"], code="hemat10")
    assert theirs["errors"] == []  # another shop may use the same code


async def test_only_the_owner_creates_a_voucher(gql):
    _, shop, _ = await seller_with_products(gql)
    stranger = await sign_up(gql)
    payload = await create_voucher(gql, stranger["token"], shop["id"])
    assert codes(payload) == [("shopId", "PERMISSION_DENIED")]
    anonymous = await create_voucher(gql, "", shop["id"])
    assert codes(anonymous) == [(None, "UNAUTHENTICATED")]
    missing = await create_voucher(gql, stranger["token"], "U2hvcDo5OTk5OTk5")  # Shop:9999999
    assert codes(missing) == [("shopId", "NOT_FOUND")]
    assert not await Voucher.filter(shop_id=decode_id(shop["id"], "Shop")).exists()


async def test_update_changes_only_the_fields_given(gql):
    seller, shop, product, voucher = await voucher_shop(gql, minSpend=10000)
    payload = await update_voucher(gql, seller["token"], voucher["id"], quota=7)
    assert payload["errors"] == []
    changed = payload["voucher"]
    assert (changed["quota"], changed["code"], changed["isActive"]) == (7, "HEMAT10", True)
    assert (changed["startsAt"], changed["endsAt"]) == (voucher["startsAt"], voucher["endsAt"])
    stored = await Voucher.get(id=decode_id(voucher["id"], "Voucher"))
    assert (stored.amount, stored.min_spend, stored.quota) == (5000, 10000, 7)

    limited = await update_voucher(gql, seller["token"], voucher["id"], productIds=[product["id"]])
    assert limited["errors"] == []
    listed = await shop_vouchers(gql, shop["slug"], seller["token"])
    assert listed["edges"][0]["node"]["products"] == [
        {"id": product["id"], "name": product["name"]}
    ]


async def test_update_refuses_bad_changes_and_changes_nothing(gql):
    seller, _, _, voucher = await voucher_shop(gql, quota=5)
    await Voucher.filter(id=decode_id(voucher["id"], "Voucher")).update(used=3)
    before = await Voucher.get(id=decode_id(voucher["id"], "Voucher"))
    token = seller["token"]
    for changes, field in [
        ({"quota": 2, "isActive": False}, "quota"),
        ({"endsAt": moment(-2)}, "endsAt"),
        ({"amount": 0}, "amount"),
        ({"minSpend": -5}, "minSpend"),
    ]:
        payload = await update_voucher(gql, token, voucher["id"], **changes)
        assert codes(payload) == [(field, "INVALID")], (changes, payload)
    after = await Voucher.get(id=decode_id(voucher["id"], "Voucher"))
    assert (after.quota, after.is_active, after.ends_at, after.amount) == (
        before.quota, before.is_active, before.ends_at, before.amount,
    )  # fmt: skip
    exactly = await update_voucher(gql, token, voucher["id"], quota=3)  # its uses: allowed
    assert (exactly["errors"], exactly["voucher"]["quota"], exactly["voucher"]["used"]) == (
        [], 3, 3,
    )  # fmt: skip


async def test_others_are_denied_a_public_voucher_and_find_no_hidden_one(gql):
    seller, _, _, voucher = await voucher_shop(gql)
    stranger = await sign_up(gql)
    denied = await update_voucher(gql, stranger["token"], voucher["id"], isActive=False)
    assert codes(denied) == [("id", "PERMISSION_DENIED")]
    off = await update_voucher(gql, seller["token"], voucher["id"], isActive=False)
    assert (off["errors"], off["voucher"]["isActive"]) == ([], False)
    hidden = await update_voucher(gql, stranger["token"], voucher["id"], isActive=True)
    assert codes(hidden) == [("id", "NOT_FOUND")]
    assert not (await Voucher.get(id=decode_id(voucher["id"], "Voucher"))).is_active
    back = await update_voucher(gql, seller["token"], voucher["id"], isActive=True)
    assert back["voucher"]["isActive"] is True


async def test_the_shop_page_lists_public_vouchers_and_the_owner_sees_all(gql):
    seller, shop, _, running = await voucher_shop(gql, code="JALAN1")
    token = seller["token"]
    later = (await create_voucher(gql, token, shop["id"], code="NANTI1", startsAt=moment(2),
                                  endsAt=moment(5)))["voucher"]  # fmt: skip
    ended = (await create_voucher(gql, token, shop["id"], code="LEWAT1", startsAt=moment(-5),
                                  endsAt=moment(-1)))["voucher"]  # fmt: skip
    off = (await create_voucher(gql, token, shop["id"], code="MATI1"))["voucher"]
    await update_voucher(gql, token, off["id"], isActive=False)
    newest = (await create_voucher(gql, token, shop["id"], code="BARU1"))["voucher"]

    public = await shop_vouchers(gql, shop["slug"])
    assert public["totalCount"] == 2
    nodes = [edge["node"] for edge in public["edges"]]
    assert [n["code"] for n in nodes] == ["BARU1", "JALAN1"]  # newest first
    assert all(n["used"] is None for n in nodes)
    buyer = await sign_up(gql)
    assert (await shop_vouchers(gql, shop["slug"], buyer["token"])) == public

    mine = await shop_vouchers(gql, shop["slug"], token)
    assert mine["totalCount"] == 5
    assert [e["node"]["id"] for e in mine["edges"]] == [
        newest["id"], off["id"], ended["id"], later["id"], running["id"],
    ]  # fmt: skip
    assert all(e["node"]["used"] == 0 for e in mine["edges"])


async def test_a_voucher_lists_only_active_products_to_others(gql):
    seller, shop, (kept, drafted) = await seller_with_products(gql, 2)
    made = await create_voucher(gql, seller["token"], shop["id"],
                                productIds=[kept["id"], drafted["id"]])  # fmt: skip
    assert made["errors"] == []
    await Product.filter(id=decode_id(drafted["id"], "Product")).update(status=ProductStatus.DRAFT)
    public = await shop_vouchers(gql, shop["slug"])
    assert [p["id"] for p in public["edges"][0]["node"]["products"]] == [kept["id"]]
    mine = await shop_vouchers(gql, shop["slug"], seller["token"])
    assert [p["id"] for p in mine["edges"][0]["node"]["products"]] == [kept["id"], drafted["id"]]
