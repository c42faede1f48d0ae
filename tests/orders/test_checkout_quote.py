"""CheckoutQuote (the contract's, less the variants' part of its lines): each shop's options
to the address with their fees, the default choice, the choices' problems in the shop's
errors, totals, and nothing reserved."""

from models.catalog import Product
from schema.platform.ids import decode_id
from tests.conftest import sign_up
from tests.orders.helpers import add_to_cart
from tests.orders.shipping_helpers import (
    CIPONDOH_KELURAHAN,
    KARAWACI_KELURAHAN,
    QUOTE,
    couriers,
    option,
    pickup,
    quote,
    shop_courier,
    shop_with_product,
)


async def test_each_shop_is_quoted_with_its_options(gql):
    owner, shop, product = await shop_with_product(gql, weightGrams=400)
    await pickup(gql, owner["token"], shop["id"])
    await shop_courier(gql, owner["token"], shop["id"], {"36.71.05": 9000, "36.71.01": 5000})
    await couriers(gql, owner["token"], shop["id"], ["sicepat"])
    _plain_owner, plain_shop, plain_product = await shop_with_product(gql, price=20000)
    buyer = await sign_up(gql, "Pembeli")
    await add_to_cart(gql, buyer["token"], product["id"], 3)
    await add_to_cart(gql, buyer["token"], plain_product["id"], 1)

    quoted = await quote(gql, buyer["token"], CIPONDOH_KELURAHAN)
    by_shop = {s["shop"]["id"]: s for s in quoted["shops"]}
    ours, plain = by_shop[shop["id"]], by_shop[plain_shop["id"]]
    assert ours["shop"]["name"] == shop["name"]
    assert [(line["quantity"], line["subtotal"]["amount"]) for line in ours["lines"]] == [
        (3, 45000)
    ]
    assert ours["weightGrams"] == 1200
    assert ours["subtotal"]["amount"] == 45000
    assert [(o["kind"], o["name"], o["fee"]["amount"]) for o in ours["shippingOptions"]] == [
        ("PICKUP", "Ambil di toko", 0),
        ("SHOP_COURIER", "Kurir toko", 9000),
        ("COURIER", "SiCepat REG", 6500 + 2000 * 2 + 2000),
    ]
    first = ours["shippingOptions"][0]
    assert first["note"] == "Senin-Sabtu 08.00-17.00"
    assert first["estimatedDays"] is None
    # No choice: PICKUP, as checkout would take it.
    assert ours["shippingOption"] == {"id": first["id"], "kind": "PICKUP", "name": "Ambil di toko"}
    assert ours["shippingFee"]["amount"] == 0
    assert ours["total"]["amount"] == 45000
    assert ours["errors"] == []
    assert ours["voucherCode"] is None
    assert ours["discount"]["amount"] == 0
    # A shop without methods: no options, no fee, nothing to choose.
    assert plain["shippingOptions"] == []
    assert plain["shippingOption"] is None
    assert plain["total"]["amount"] == 20000
    assert quoted["total"] == {"amount": 65000, "formatted": "Rp65.000"}

    courier = option(ours, "SHOP_COURIER")
    chosen = await quote(
        gql, buyer["token"], CIPONDOH_KELURAHAN,
        [{"shopId": shop["id"], "shippingOptionId": courier["id"]}],
    )  # fmt: skip
    ours = next(s for s in chosen["shops"] if s["shop"]["id"] == shop["id"])
    assert ours["shippingOption"]["kind"] == "SHOP_COURIER"
    assert ours["shippingFee"] == {"amount": 9000, "formatted": "Rp9.000"}
    assert ours["total"]["amount"] == 54000
    assert chosen["total"]["amount"] == 74000


async def test_an_option_that_does_not_reach_the_address_is_not_listed(gql):
    owner, shop, product = await shop_with_product(gql)
    await shop_courier(gql, owner["token"], shop["id"], {"36.71.01": 5000})
    buyer = await sign_up(gql, "Pembeli")
    await add_to_cart(gql, buyer["token"], product["id"], 1)
    near = (await quote(gql, buyer["token"]))["shops"][0]
    courier = option(near, "SHOP_COURIER")
    far = await quote(
        gql, buyer["token"], KARAWACI_KELURAHAN,
        [{"shopId": shop["id"], "shippingOptionId": courier["id"]}],
    )  # fmt: skip
    (shop_quote,) = far["shops"]
    assert shop_quote["shippingOptions"] == []
    # The refused choice counts as absent, and checkout would refuse it so.
    assert [(e["field"], e["code"]) for e in shop_quote["errors"]] == [
        ("shops.0.shippingOptionId", "INVALID")
    ]
    assert shop_quote["shippingOption"] is None
    assert shop_quote["shippingFee"]["amount"] == 0
    assert far["total"]["amount"] == 15000


async def test_a_shop_without_pickup_and_without_a_choice_is_required(gql):
    owner, shop, product = await shop_with_product(gql)
    await shop_courier(gql, owner["token"], shop["id"], {"36.71.01": 5000})
    buyer = await sign_up(gql, "Pembeli")
    await add_to_cart(gql, buyer["token"], product["id"], 1)
    (shop_quote,) = (await quote(gql, buyer["token"]))["shops"]
    assert len(shop_quote["shippingOptions"]) == 1
    assert shop_quote["shippingOption"] is None
    ((field, code, message),) = [
        (e["field"], e["code"], e["message"]) for e in shop_quote["errors"]
    ]
    assert (field, code) == ("shops", "REQUIRED")
    assert shop["name"] in message


async def test_a_voucher_code_is_unknown_in_the_quote_too(gql):
    owner, shop, product = await shop_with_product(gql)
    await pickup(gql, owner["token"], shop["id"])
    buyer = await sign_up(gql, "Pembeli")
    await add_to_cart(gql, buyer["token"], product["id"], 1)
    quoted = await quote(
        gql, buyer["token"], shops=[{"shopId": shop["id"], "voucherCode": "HEMAT10"}]
    )
    (shop_quote,) = quoted["shops"]
    assert shop_quote["voucherCode"] == "HEMAT10"
    assert shop_quote["discount"]["amount"] == 0
    assert [(e["field"], e["code"]) for e in shop_quote["errors"]] == [
        ("shops.0.voucherCode", "NOT_FOUND")
    ]
    assert shop_quote["total"]["amount"] == 15000


async def test_the_quote_reserves_nothing(gql):
    owner, shop, product = await shop_with_product(gql, stock=3)
    await pickup(gql, owner["token"], shop["id"])
    buyer = await sign_up(gql, "Pembeli")
    await add_to_cart(gql, buyer["token"], product["id"], 3)
    for _ in range(2):
        await quote(gql, buyer["token"])
    assert (await Product.get(id=decode_id(product["id"], "Product"))).stock == 3


async def test_the_quote_is_for_a_signed_in_buyer_and_a_known_kelurahan(gql):
    anonymous = await gql(QUOTE, {"kelurahanCode": "36.71.01.1001"})
    assert anonymous["data"]["checkoutQuote"] is None
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    buyer = await sign_up(gql, "Pembeli")
    nowhere = await gql(QUOTE, {"kelurahanCode": "32.73.01.1001"}, token=buyer["token"])
    assert nowhere["data"]["checkoutQuote"] is None
    assert nowhere["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    bad_shop = await gql(
        QUOTE, {"kelurahanCode": "36.71.01.1001", "shops": [{"shopId": "nope"}]},
        token=buyer["token"],
    )  # fmt: skip
    assert bad_shop["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
