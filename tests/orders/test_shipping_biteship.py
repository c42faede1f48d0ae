"""COURIER shipping through Biteship (SHIPPING_RATES=biteship) in a server of its own, against
a local server that speaks Biteship's protocol: the rates it answers are the options and the
fees charged; while it does not answer, the couriers are left out of the quote and a checkout
with one is SERVICE_UNAVAILABLE, with nothing placed."""

import httpx

from fakes.biteship import API_KEY, FakeBiteshipServer, fee_of
from models.orders import Order
from schema.platform.ids import decode_id
from tests.conftest import GraphQL, sign_up
from tests.orders.helpers import add_to_cart
from tests.orders.shipping_helpers import (
    CIPONDOH_KELURAHAN,
    checkout_with,
    couriers,
    option,
    quote,
    set_method,
    shop_with_product,
)
from tests.server.helpers import ServerProcess


async def test_couriers_are_priced_by_biteship_and_left_out_while_it_is_down(live, tmp_path):
    async with (
        FakeBiteshipServer() as fake,
        ServerProcess(
            live,
            tmp_path,
            SHIPPING_RATES="biteship",
            BITESHIP_BASE_URL=fake.url,
            BITESHIP_API_KEY=API_KEY,
            BITESHIP_COURIERS="jne,sicepat",
            BITESHIP_TIMEOUT_SECONDS="1",
        ) as api,
        httpx.AsyncClient(base_url=api.url, timeout=30) as http,
    ):
        gql = GraphQL(http)
        owner, shop, product = await shop_with_product(gql, weightGrams=700)
        # AnterAja is a sandbox courier, but not one this Biteship account offers.
        unknown = await set_method(
            gql, owner["token"], shop["id"], kind="COURIER", couriers=["anteraja"]
        )
        assert [(e["field"], e["code"]) for e in unknown["errors"]] == [("couriers.0", "INVALID")]
        await couriers(gql, owner["token"], shop["id"], ["jne"])
        buyer = await sign_up(gql, "Pembeli")
        await add_to_cart(gql, buyer["token"], product["id"], 2)

        (quoted,) = (await quote(gql, buyer["token"], CIPONDOH_KELURAHAN))["shops"]
        assert quoted["weightGrams"] == 1400
        assert [
            (o["name"], o["fee"]["amount"], o["estimatedDays"]) for o in quoted["shippingOptions"]
        ] == [
            ("JNE Reguler", fee_of(9_000, 3_000, 1400), "1 - 2"),
            ("JNE Yakin Esok Sampai", fee_of(18_000, 5_000, 1400), "1 - 2"),
        ]
        sent = [r for r in fake.requests if r["path"] == "/v1/rates/couriers"][-1]["body"]
        assert sent["couriers"] == "jne"
        assert sent["items"][0]["weight"] == 1400
        regular = option(quoted, "COURIER", "JNE Reguler")
        choice = [{"shopId": shop["id"], "shippingOptionId": regular["id"]}]

        for mode in ("down", "slow", "malformed"):
            fake.mode = mode
            (down,) = (await quote(gql, buyer["token"], CIPONDOH_KELURAHAN, choice))["shops"]
            assert down["shippingOptions"] == []
            assert down["shippingOption"] is None
            assert [(e["field"], e["code"]) for e in down["errors"]] == [
                ("shops.0.shippingOptionId", "SERVICE_UNAVAILABLE")
            ]
            refused = await checkout_with(gql, buyer["token"], choice, CIPONDOH_KELURAHAN)
            assert [(e["field"], e["code"]) for e in refused["errors"]] == [
                ("shops.0.shippingOptionId", "SERVICE_UNAVAILABLE")
            ]
            assert await Order.filter(buyer_id=decode_id(buyer["user"]["id"], "User")).count() == 0

        fake.mode = "ok"
        placed = await checkout_with(gql, buyer["token"], choice, CIPONDOH_KELURAHAN)
        (order,) = placed["orders"]
        assert order["shipping"] == {
            "kind": "COURIER",
            "name": "JNE Reguler",
            "fee": {"amount": 15_000},
        }
        assert order["total"]["amount"] == 30_000 + 15_000
        assert order["payment"]["amount"]["amount"] == 45_000
