"""Checkout with shipping (CheckoutWithShipping as the contract writes it): the default
PICKUP, REQUIRED naming the shop, INVALID options, the fee computed again by the server and
charged in the order's total and payment, and all or nothing."""

import pytest

from models.catalog import Product
from models.orders import CartLine, Order, Payment
from schema.platform.ids import decode_id
from tests.conftest import contract, sign_up
from tests.cooperatives.helpers import Koperasi, sukarela
from tests.orders.helpers import add_to_cart, checkout_input
from tests.orders.shipping_helpers import (
    CIPONDOH_KELURAHAN,
    KARAWACI_KELURAHAN,
    checkout_with,
    couriers,
    option,
    pickup,
    quote,
    shop_courier,
    shop_with_product,
)


def errors(payload: dict) -> list[tuple[str | None, str]]:
    return [(e["field"], e["code"]) for e in payload["errors"]]


async def buyer_with(gql, product: dict, quantity: int = 2) -> dict:
    buyer = await sign_up(gql, "Pembeli")
    assert (await add_to_cart(gql, buyer["token"], product["id"], quantity))["errors"] == []
    return buyer


async def nothing_placed(buyer: dict, product: dict, stock: int = 10) -> None:
    """No order, no payment, the stock untouched and the cart as it was."""
    buyer_id = decode_id(buyer["user"]["id"], "User")
    assert await Order.filter(buyer_id=buyer_id).count() == 0
    assert await Payment.filter(order__buyer_id=buyer_id).count() == 0
    assert (await Product.get(id=decode_id(product["id"], "Product"))).stock == stock
    assert await CartLine.filter(buyer_id=buyer_id).count() == 1


async def two_shop_cart(gql) -> tuple[dict, dict, dict, dict, dict]:
    """A buyer's cart of two products (2 and 1) from two shops: the first with PICKUP, the
    other with only its own courier (Rp4.000 to kecamatan Tangerang)."""
    owner, shop, product = await shop_with_product(gql)
    await pickup(gql, owner["token"], shop["id"])
    other_owner, other_shop, other_product = await shop_with_product(gql)
    await shop_courier(gql, other_owner["token"], other_shop["id"], {"36.71.01": 4000})
    buyer = await buyer_with(gql, product)
    await add_to_cart(gql, buyer["token"], other_product["id"], 1)
    return shop, product, other_shop, other_product, buyer


async def test_a_shop_without_methods_charges_no_fee_and_takes_no_option(gql):
    owner, shop, product = await shop_with_product(gql)
    other_owner, other_shop, _ = await shop_with_product(gql)
    other_pickup = await pickup(gql, other_owner["token"], other_shop["id"])
    buyer = await buyer_with(gql, product)
    quoted = await quote(gql, owner["token"])  # the owner's own cart is empty
    assert quoted == {"total": {"amount": 0, "formatted": "Rp0"}, "shops": []}
    refused = await checkout_with(
        gql, buyer["token"], [{"shopId": shop["id"], "shippingOptionId": other_pickup["id"]}]
    )
    assert errors(refused) == [("shops.0.shippingOptionId", "INVALID")]
    await nothing_placed(buyer, product)

    placed = await checkout_with(gql, buyer["token"])
    (order,) = placed["orders"]
    assert order["shipping"] is None
    assert order["shippingFee"]["amount"] == 0
    assert order["subtotal"]["amount"] == order["total"]["amount"] == 30000
    assert order["payment"]["amount"]["amount"] == 30000


async def test_pickup_is_the_default_and_free(gql):
    owner, shop, product = await shop_with_product(gql)
    await pickup(gql, owner["token"], shop["id"])
    await shop_courier(gql, owner["token"], shop["id"], {"36.71.01": 7000})
    buyer = await buyer_with(gql, product)
    # The contract's plain Checkout, without `shops`, takes the PICKUP too.
    result = await gql(contract("Checkout"), {"input": checkout_input()}, token=buyer["token"])
    assert result["data"]["checkout"]["errors"] == []
    order_id = result["data"]["checkout"]["orders"][0]["id"]
    order = await Order.get(id=decode_id(order_id, "Order"))
    assert (order.shipping_kind, order.shipping_fee, order.total) == ("PICKUP", 0, 30000)
    assert order.shipping_name == "Ambil di toko"


async def test_a_shop_with_methods_but_no_pickup_needs_a_choice(gql):
    owner, shop, product = await shop_with_product(gql)
    await shop_courier(gql, owner["token"], shop["id"], {"36.71.01": 7000})
    buyer = await buyer_with(gql, product)
    for shops in (None, [], [{"shopId": shop["id"]}]):
        refused = await checkout_with(gql, buyer["token"], shops)
        assert errors(refused) == [("shops", "REQUIRED")]
        assert shop["name"] in refused["errors"][0]["message"]
    plain = await gql(contract("Checkout"), {"input": checkout_input()}, token=buyer["token"])
    assert [e["code"] for e in plain["data"]["checkout"]["errors"]] == ["REQUIRED"]
    await nothing_placed(buyer, product)


async def test_the_own_courier_fee_is_charged_in_the_total_and_the_payment(gql):
    owner, shop, product = await shop_with_product(gql)
    await pickup(gql, owner["token"], shop["id"])
    await shop_courier(gql, owner["token"], shop["id"], {"36.71.05": 9000})
    buyer = await buyer_with(gql, product)
    quoted = (await quote(gql, buyer["token"], CIPONDOH_KELURAHAN))["shops"][0]
    courier = option(quoted, "SHOP_COURIER")
    assert courier["fee"]["amount"] == 9000
    choice = [{"shopId": shop["id"], "shippingOptionId": courier["id"]}]

    # What the buyer was shown is the goods and the fee: the goods alone are not the total.
    stale = await checkout_with(
        gql, buyer["token"], choice, CIPONDOH_KELURAHAN, expectedTotal=30000
    )
    assert errors(stale) == [("expectedTotal", "PRICE_CHANGED")]
    await nothing_placed(buyer, product)

    placed = await checkout_with(
        gql, buyer["token"], choice, CIPONDOH_KELURAHAN, expectedTotal=39000
    )
    (order,) = placed["orders"]
    assert order["subtotal"] == {"amount": 30000, "formatted": "Rp30.000"}
    assert order["shippingFee"] == {"amount": 9000, "formatted": "Rp9.000"}
    assert order["discount"]["amount"] == 0
    assert order["total"] == {"amount": 39000, "formatted": "Rp39.000"}
    assert order["shipping"] == {
        "kind": "SHOP_COURIER",
        "name": "Kurir toko",
        "fee": {"amount": 9000},
    }
    assert order["payment"]["amount"]["amount"] == 39000
    assert "Rp39.000" in order["payment"]["instructions"]
    assert order["voucherCode"] is None


async def test_the_fee_is_computed_again_at_checkout(gql):
    owner, shop, product = await shop_with_product(gql)
    await shop_courier(gql, owner["token"], shop["id"], {"36.71.01": 5000})
    buyer = await buyer_with(gql, product)
    courier = option((await quote(gql, buyer["token"]))["shops"][0], "SHOP_COURIER")
    await shop_courier(gql, owner["token"], shop["id"], {"36.71.01": 8000})
    choice = [{"shopId": shop["id"], "shippingOptionId": courier["id"]}]
    shown = 30000 + courier["fee"]["amount"]
    refused = await checkout_with(gql, buyer["token"], choice, expectedTotal=shown)
    assert errors(refused) == [("expectedTotal", "PRICE_CHANGED")]
    placed = await checkout_with(gql, buyer["token"], choice)
    assert placed["orders"][0]["shippingFee"]["amount"] == 8000
    assert placed["orders"][0]["total"]["amount"] == 38000


async def test_free_shipping_from_the_threshold_on(gql):
    owner, shop, product = await shop_with_product(gql)
    await shop_courier(
        gql, owner["token"], shop["id"], {"36.71.01": 6000}, freeShippingMinimum=45000
    )
    below = await buyer_with(gql, product, 2)  # Rp30.000
    at = await buyer_with(gql, product, 3)  # Rp45.000
    for buyer, fee in ((below, 6000), (at, 0)):
        courier = option((await quote(gql, buyer["token"]))["shops"][0], "SHOP_COURIER")
        assert courier["fee"]["amount"] == fee
        assert courier["note"] == "Gratis ongkir mulai Rp45.000"
        placed = await checkout_with(
            gql, buyer["token"], [{"shopId": shop["id"], "shippingOptionId": courier["id"]}]
        )
        assert placed["orders"][0]["shippingFee"]["amount"] == fee


async def test_options_not_reaching_the_address_withdrawn_or_of_another_shop_are_invalid(gql):
    owner, shop, product = await shop_with_product(gql)
    await pickup(gql, owner["token"], shop["id"])
    await shop_courier(gql, owner["token"], shop["id"], {"36.71.01": 5000})
    buyer = await buyer_with(gql, product)
    ours = option((await quote(gql, buyer["token"]))["shops"][0], "SHOP_COURIER")

    # Karawaci is not served by the shop's own courier.
    far = await checkout_with(
        gql, buyer["token"], [{"shopId": shop["id"], "shippingOptionId": ours["id"]}],
        KARAWACI_KELURAHAN,
    )  # fmt: skip
    assert errors(far) == [("shops.0.shippingOptionId", "INVALID")]

    # An id that names no option at all.
    for made_up in ("bm9wZQ==", "U2hpcHBpbmdPcHRpb246OTk5OTk5", product["id"]):
        refused = await checkout_with(
            gql, buyer["token"], [{"shopId": shop["id"], "shippingOptionId": made_up}]
        )
        assert errors(refused) == [("shops.0.shippingOptionId", "INVALID")]
    await nothing_placed(buyer, product)

    # Withdrawn after the quote.
    await shop_courier(gql, owner["token"], shop["id"], {"36.71.01": 5000}, isActive=False)
    withdrawn = await checkout_with(
        gql, buyer["token"], [{"shopId": shop["id"], "shippingOptionId": ours["id"]}]
    )
    assert errors(withdrawn) == [("shops.0.shippingOptionId", "INVALID")]
    await nothing_placed(buyer, product)


async def test_another_shops_option_is_invalid(gql):
    shop, _, other_shop, _, buyer = await two_shop_cart(gql)
    quoted = {s["shop"]["id"]: s for s in (await quote(gql, buyer["token"]))["shops"]}
    theirs = option(quoted[other_shop["id"]], "SHOP_COURIER")
    refused = await checkout_with(
        gql, buyer["token"], [
            {"shopId": shop["id"], "shippingOptionId": theirs["id"]},
            {"shopId": other_shop["id"], "shippingOptionId": theirs["id"]},
        ],
    )  # fmt: skip
    assert errors(refused) == [("shops.0.shippingOptionId", "INVALID")]
    buyer_id = decode_id(buyer["user"]["id"], "User")
    assert await Order.filter(buyer_id=buyer_id).count() == 0


async def test_entries_name_each_shop_of_the_cart_once(gql):
    owner, shop, product = await shop_with_product(gql)
    await pickup(gql, owner["token"], shop["id"])
    _, stranger, _ = await shop_with_product(gql)
    buyer = await buyer_with(gql, product)
    not_in_cart = await checkout_with(gql, buyer["token"], [{"shopId": stranger["id"]}])
    assert errors(not_in_cart) == [("shops.0.shopId", "INVALID")]
    twice = await checkout_with(
        gql, buyer["token"], [{"shopId": shop["id"]}, {"shopId": shop["id"]}]
    )
    assert errors(twice) == [("shops.1.shopId", "INVALID")]
    await nothing_placed(buyer, product)


async def test_no_voucher_exists_yet(gql):
    owner, shop, product = await shop_with_product(gql)
    await pickup(gql, owner["token"], shop["id"])
    buyer = await buyer_with(gql, product)
    refused = await checkout_with(
        gql, buyer["token"], [{"shopId": shop["id"], "voucherCode": "HEMAT10"}]
    )
    assert errors(refused) == [("shops.0.voucherCode", "NOT_FOUND")]
    await nothing_placed(buyer, product)


async def test_couriers_priced_by_the_sandbox_provider(gql):
    owner, shop, product = await shop_with_product(gql, weightGrams=600)
    await couriers(gql, owner["token"], shop["id"], ["jne", "sicepat"])
    buyer = await buyer_with(gql, product)  # 2 x 600 g: two started kilograms
    quoted = (await quote(gql, buyer["token"], CIPONDOH_KELURAHAN))["shops"][0]
    assert quoted["weightGrams"] == 1200
    fees = {o["name"]: o["fee"]["amount"] for o in quoted["shippingOptions"]}
    # Base + per started kilogram x 2 + Rp2.000 out of the shop's kecamatan (the sandbox).
    assert fees == {"JNE Reguler": 13000, "JNE YES": 24000, "SiCepat REG": 12500}
    assert quoted["errors"][0]["code"] == "REQUIRED"  # no PICKUP: a choice is needed
    jne = option(quoted, "COURIER", "JNE Reguler")
    assert jne["estimatedDays"] == "1-2"
    placed = await checkout_with(
        gql, buyer["token"], [{"shopId": shop["id"], "shippingOptionId": jne["id"]}],
        CIPONDOH_KELURAHAN,
    )  # fmt: skip
    (order,) = placed["orders"]
    assert order["shipping"] == {"kind": "COURIER", "name": "JNE Reguler", "fee": {"amount": 13000}}
    assert order["total"]["amount"] == 43000
    stored = await Order.get(id=decode_id(order["id"], "Order"))
    assert stored.shipping_service == "jne/reg"


async def test_all_or_nothing_across_shops(gql):
    shop, product, other_shop, other_product, buyer = await two_shop_cart(gql)
    refused = await checkout_with(gql, buyer["token"])
    assert errors(refused) == [("shops", "REQUIRED")]
    assert other_shop["name"] in refused["errors"][0]["message"]
    buyer_id = decode_id(buyer["user"]["id"], "User")
    assert await Order.filter(buyer_id=buyer_id).count() == 0
    for item in (product, other_product):
        assert (await Product.get(id=decode_id(item["id"], "Product"))).stock == 10

    theirs = option(
        next(
            s
            for s in (await quote(gql, buyer["token"]))["shops"]
            if s["shop"]["id"] == other_shop["id"]
        ),
        "SHOP_COURIER",
    )
    placed = await checkout_with(
        gql, buyer["token"], [{"shopId": other_shop["id"], "shippingOptionId": theirs["id"]}]
    )
    by_shop = {o["shop"]["id"]: o for o in placed["orders"]}
    assert by_shop[shop["id"]]["shipping"]["kind"] == "PICKUP"
    assert by_shop[shop["id"]]["total"]["amount"] == 30000
    assert by_shop[other_shop["id"]]["total"]["amount"] == 19000


async def test_the_same_key_with_other_choices_is_another_request(gql):
    owner, shop, product = await shop_with_product(gql)
    await pickup(gql, owner["token"], shop["id"])
    await shop_courier(gql, owner["token"], shop["id"], {"36.71.01": 5000})
    buyer = await buyer_with(gql, product)
    courier = option((await quote(gql, buyer["token"]))["shops"][0], "SHOP_COURIER")
    choice = [{"shopId": shop["id"], "shippingOptionId": courier["id"]}]
    first = await checkout_with(gql, buyer["token"], choice, idempotencyKey="kunci-ongkir-1")
    again = await checkout_with(gql, buyer["token"], choice, idempotencyKey="kunci-ongkir-1")
    assert [o["id"] for o in again["orders"]] == [o["id"] for o in first["orders"]]
    other = await checkout_with(gql, buyer["token"], None, idempotencyKey="kunci-ongkir-1")
    assert errors(other) == [("idempotencyKey", "DUPLICATE")]


@pytest.mark.usefixtures("books_balance")
async def test_savings_pay_the_goods_and_the_fee_and_the_books_balance(gql):
    owner, shop, product = await shop_with_product(gql)
    await shop_courier(gql, owner["token"], shop["id"], {"36.71.01": 6000})
    koperasi = await Koperasi.new(gql)
    buyer, membership_id = await koperasi.member()
    await koperasi.deposit(membership_id, 35000)
    assert (await add_to_cart(gql, buyer["token"], product["id"], 2))["errors"] == []
    courier = option((await quote(gql, buyer["token"]))["shops"][0], "SHOP_COURIER")
    choice = [{"shopId": shop["id"], "shippingOptionId": courier["id"]}]
    # Rp30.000 of goods fit in Rp35.000 of savings; with the Rp6.000 fee they do not.
    short = await checkout_with(
        gql, buyer["token"], choice, paymentMethod="COOPERATIVE_BALANCE", membershipId=membership_id
    )
    assert errors(short) == [("membershipId", "INSUFFICIENT_BALANCE")]
    assert await sukarela(membership_id) == 35000
    await koperasi.deposit(membership_id, 1000)
    placed = await checkout_with(
        gql, buyer["token"], choice, paymentMethod="COOPERATIVE_BALANCE", membershipId=membership_id
    )
    (order,) = placed["orders"]
    assert order["total"]["amount"] == 36000
    assert order["payment"]["status"] == "PAID"
    assert order["payment"]["amount"]["amount"] == 36000
    assert await sukarela(membership_id) == 0
