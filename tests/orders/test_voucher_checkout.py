"""Vouchers at checkout through HTTP (CheckoutWithShipping as the contract writes it): the
discount on the eligible goods in the order's total and payment, every refusal from the right
and the wrong side, all or nothing."""

from __future__ import annotations

from models.orders import Order, Payment
from schema.platform.ids import decode_id
from tests.conftest import assert_books_balance, contract
from tests.cooperatives.helpers import sukarela
from tests.orders.complaint_helpers import codes
from tests.orders.helpers import add_to_cart, seller_with_products, stock_of
from tests.orders.voucher_helpers import (
    buyer_with,
    check_out,
    create_voucher,
    member_buyer,
    moment,
    update_voucher,
    uses_of,
    voucher_shop,
    with_voucher,
)


async def test_a_fixed_voucher_takes_its_amount_off_the_order_and_the_payment(gql):
    _, shop, product, voucher = await voucher_shop(gql, price=15000, minSpend=30000)
    buyer = await buyer_with(gql, product["id"], 2)
    placed = await check_out(gql, buyer["token"], [{"shopId": shop["id"], "voucherCode": "hemat10"}],
                             method="QRIS", expectedTotal=25000)  # fmt: skip
    assert placed["errors"] == []
    (order,) = placed["orders"]
    assert order["voucherCode"] == "HEMAT10"
    assert (order["subtotal"]["amount"], order["discount"]["amount"]) == (30000, 5000)
    assert (order["shippingFee"]["amount"], order["total"]["amount"]) == (0, 25000)
    assert order["discount"]["formatted"] == "Rp5.000"
    assert order["payment"]["amount"]["amount"] == 25000
    payment = await Payment.get(order_id=decode_id(order["id"], "Order"))
    assert payment.amount == 25000
    assert await uses_of(voucher) == (1, 1)
    details = await gql(contract("MyOrders"), token=buyer["token"])
    assert details["data"]["myOrders"]["totalCount"] == 1


async def test_the_expected_total_is_the_discounted_total(gql):
    _, shop, product, voucher = await voucher_shop(gql, price=15000)
    buyer = await buyer_with(gql, product["id"], 2)
    choice = [{"shopId": shop["id"], "voucherCode": "HEMAT10"}]
    refused = await check_out(gql, buyer["token"], choice, expectedTotal=30000)
    assert [e["code"] for e in refused["errors"]] == ["PRICE_CHANGED"]
    assert await uses_of(voucher) == (0, 0)
    placed = await check_out(gql, buyer["token"], choice, expectedTotal=25000)
    assert placed["errors"] == []


async def test_a_fixed_voucher_is_at_most_the_eligible_goods_and_rp0_is_paid_as_placed(gql):
    _, shop, product, voucher = await voucher_shop(gql, price=4000, amount=50000)
    buyer = await buyer_with(gql, product["id"], 2)
    placed = await check_out(gql, buyer["token"], with_voucher(shop), method="QRIS")
    (order,) = placed["orders"]
    assert (order["subtotal"]["amount"], order["discount"]["amount"], order["total"]["amount"]) == (
        8000, 8000, 0,
    )  # fmt: skip
    payment = order["payment"]
    assert (order["status"], payment["status"], payment["amount"]["amount"]) == (
        "PROCESSING", "PAID", 0,
    )  # fmt: skip
    assert (payment["qrisPayload"], payment["expiresAt"]) == (None, None)  # nothing to pay
    cancelled = await gql(contract("CancelOrder"), {"id": order["id"]}, token=buyer["token"])
    assert cancelled["data"]["cancelOrder"]["errors"] == []
    assert cancelled["data"]["cancelOrder"]["order"]["payment"]["status"] == "CANCELLED"
    assert await uses_of(voucher) == (0, 0)

    member, membership_id = await member_buyer(gql, product["id"], 1, 10000)
    free = await check_out(gql, member["token"], with_voucher(shop),
                           method="COOPERATIVE_BALANCE", membershipId=membership_id)  # fmt: skip
    assert free["orders"][0]["payment"]["status"] == "PAID"
    assert await sukarela(membership_id) == 10000
    await assert_books_balance()


async def test_a_percent_voucher_rounds_down_and_stops_at_its_cap(gql):
    percent = {"kind": "PERCENT", "amount": None, "percent": 15, "maxDiscount": 5000}
    _, shop, product, _ = await voucher_shop(gql, price=3333, **percent)
    buyer = await buyer_with(gql, product["id"], 3)  # 9.999 x 15% = 1.499,85
    (order,) = (await check_out(gql, buyer["token"], [{"shopId": shop["id"], "voucherCode": "HEMAT10"}]))["orders"]  # fmt: skip
    assert (order["discount"]["amount"], order["total"]["amount"]) == (1499, 8500)

    big = await buyer_with(gql, product["id"], 12)  # 39.996 x 15% = 5.999: capped
    (order,) = (await check_out(gql, big["token"], [{"shopId": shop["id"], "voucherCode": "HEMAT10"}]))["orders"]  # fmt: skip
    assert (order["discount"]["amount"], order["total"]["amount"]) == (5000, 34996)


async def test_a_product_voucher_discounts_only_its_products(gql):
    seller, shop, (rice, tea) = await seller_with_products(gql, 2, price=10000)
    made = await create_voucher(gql, seller["token"], shop["id"], code="TEH50", kind="PERCENT",
        amount=None, percent=50, maxDiscount=100000, minSpend=20000, productIds=[tea["id"]])  # fmt: skip
    assert made["errors"] == []
    choice = [{"shopId": shop["id"], "voucherCode": "teh50"}]

    only_rice = await buyer_with(gql, rice["id"], 5)
    refused = await check_out(gql, only_rice["token"], choice)
    assert codes(refused) == [("shops.0.voucherCode", "INVALID")]

    below = await buyer_with(gql, rice["id"], 5)  # Rp50.000 of rice, Rp10.000 of tea
    await add_to_cart(gql, below["token"], tea["id"], 1)
    refused = await check_out(gql, below["token"], choice)
    assert codes(refused) == [("shops.0.voucherCode", "INVALID")]
    assert "minimal" in refused["errors"][0]["message"]

    enough = await buyer_with(gql, rice["id"], 1)
    await add_to_cart(gql, enough["token"], tea["id"], 2)  # Rp20.000 of tea: the minimum
    (order,) = (await check_out(gql, enough["token"], choice))["orders"]
    assert (order["subtotal"]["amount"], order["discount"]["amount"]) == (30000, 10000)
    assert order["total"]["amount"] == 20000


async def test_each_refusal_leaves_no_order_no_stock_no_use(gql):
    seller, shop, product, voucher = await voucher_shop(gql, code="HEMAT10", quota=1)
    token = seller["token"]
    off = (await create_voucher(gql, token, shop["id"], code="MATI10"))["voucher"]
    await update_voucher(gql, token, off["id"], isActive=False)
    await create_voucher(gql, token, shop["id"], code="NANTI10", startsAt=moment(1),
                         endsAt=moment(3))  # fmt: skip
    await create_voucher(gql, token, shop["id"], code="LEWAT10", startsAt=moment(-3),
                         endsAt=moment(-1))  # fmt: skip
    await create_voucher(gql, token, shop["id"], code="MINIM10", minSpend=1000000)
    _, other_shop, (other,) = await seller_with_products(gql)
    await create_voucher(gql, token, shop["id"], code="TOKOLAIN")

    first = await buyer_with(gql, product["id"])
    assert (await check_out(gql, first["token"], [{"shopId": shop["id"], "voucherCode": "HEMAT10"}]))["errors"] == []  # fmt: skip
    buyer = await buyer_with(gql, product["id"], 2)
    await add_to_cart(gql, buyer["token"], other["id"], 1)
    stock = await stock_of(product["id"])
    cases = [
        ("TIDAKADA", "NOT_FOUND"),
        ("MATI10", "INVALID"),
        ("NANTI10", "INVALID"),
        ("LEWAT10", "INVALID"),
        ("MINIM10", "INVALID"),
        ("HEMAT10", "LIMIT_EXCEEDED"),  # its one use is taken
    ]
    for code, error in cases:
        choice = [{"shopId": other_shop["id"]}, {"shopId": shop["id"], "voucherCode": code}]
        refused = await check_out(gql, buyer["token"], choice)
        assert codes(refused) == [("shops.1.voucherCode", error)], (code, refused)
        assert refused["orders"] == []
    # another shop's code is unknown in this one
    refused = await check_out(gql, buyer["token"], [{"shopId": other_shop["id"], "voucherCode": "TOKOLAIN"}])  # fmt: skip
    assert codes(refused) == [("shops.0.voucherCode", "NOT_FOUND")]
    assert await stock_of(product["id"]) == stock
    assert await Order.filter(buyer__email=buyer["user"]["email"]).count() == 0
    assert await uses_of(voucher) == (1, 1)
    cart = await gql(contract("MyCart"), token=buyer["token"])
    assert len(cart["data"]["myCart"]["lines"]) == 2  # the cart is as it was


async def test_a_buyer_uses_a_voucher_once(gql):
    _, shop, product, voucher = await voucher_shop(gql)
    buyer = await buyer_with(gql, product["id"])
    choice = [{"shopId": shop["id"], "voucherCode": "HEMAT10"}]
    assert (await check_out(gql, buyer["token"], choice))["errors"] == []
    await add_to_cart(gql, buyer["token"], product["id"], 1)
    again = await check_out(gql, buyer["token"], choice)
    assert codes(again) == [("shops.0.voucherCode", "DUPLICATE")]
    assert await uses_of(voucher) == (1, 1)
    without = await check_out(gql, buyer["token"], None)  # without it, the cart checks out
    assert without["errors"] == []
    assert without["orders"][0]["discount"]["amount"] == 0
    assert without["orders"][0]["voucherCode"] is None


async def test_the_shops_entries_are_checked(gql):
    _, shop, product, _ = await voucher_shop(gql)
    _, elsewhere, _ = await seller_with_products(gql)
    buyer = await buyer_with(gql, product["id"])
    cases = [
        ([{"shopId": elsewhere["id"]}], "shops.0.shopId", "INVALID"),
        ([{"shopId": shop["id"]}, {"shopId": shop["id"]}], "shops.1.shopId", "INVALID"),
        ([{"shopId": shop["id"], "shippingOptionId": "U2hpcHBpbmdPcHRpb246MQ=="}],
         "shops.0.shippingOptionId", "INVALID"),
        ([{"shopId": "bm9wZQ=="}], "shops.0.shopId", "NOT_FOUND"),
    ]  # fmt: skip
    for shops, field, code in cases:
        refused = await check_out(gql, buyer["token"], shops)
        assert codes(refused) == [(field, code)], (shops, refused)
    placed = await check_out(gql, buyer["token"], [{"shopId": shop["id"], "voucherCode": ""}])
    assert placed["errors"] == []  # an empty code is no voucher
    assert placed["orders"][0]["voucherCode"] is None


async def test_one_voucher_per_shop_in_a_checkout_of_two_shops(gql):
    _, shop, product, _ = await voucher_shop(gql, price=20000)
    _, other_shop, other, _ = await voucher_shop(gql, price=10000, kind="PERCENT", amount=None,
                                                 percent=10, maxDiscount=500)  # fmt: skip
    buyer = await buyer_with(gql, product["id"])
    await add_to_cart(gql, buyer["token"], other["id"], 2)
    choice = [{"shopId": other_shop["id"], "voucherCode": "hemat10"},
              {"shopId": shop["id"], "voucherCode": "HEMAT10"}]  # fmt: skip
    placed = await check_out(gql, buyer["token"], choice, expectedTotal=15000 + 19500)
    assert placed["errors"] == []
    by_shop = {o["shop"]["id"]: o for o in placed["orders"]}
    assert by_shop[shop["id"]]["total"]["amount"] == 15000
    assert by_shop[other_shop["id"]]["discount"]["amount"] == 500


async def test_savings_pay_the_discounted_total(gql):
    _, shop, product, _ = await voucher_shop(gql, price=15000)
    buyer, membership_id = await member_buyer(gql, product["id"], 2, 100000)
    placed = await check_out(gql, buyer["token"], [{"shopId": shop["id"], "voucherCode": "HEMAT10"}],
                             method="COOPERATIVE_BALANCE", membershipId=membership_id)  # fmt: skip
    assert placed["errors"] == []
    assert placed["orders"][0]["payment"]["status"] == "PAID"
    assert await sukarela(membership_id) == 75000
    await assert_books_balance()
