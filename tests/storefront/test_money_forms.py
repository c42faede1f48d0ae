"""Money forms as the storefront sends them: the checkout charges the total it showed, and a
money form posted twice (a double click, a retried post) moves the money once."""

from __future__ import annotations

import asyncio
import html
import re

from tests.conftest import assert_books_balance
from tests.cooperatives.helpers import sukarela
from tests.storefront.conftest import visitor_of
from tests.storefront.helpers import add, address, new_koperasi

ORDERS = "query { myOrders { edges { node { total { amount } } } } }"
SET_PRICE = """mutation($id: ID!) {
  updateProduct(id: $id, input: {price: 20000}) { errors { code } } }"""


def hidden_fields(page: str, action: str) -> dict[str, str]:
    """The hidden inputs of the page's form that posts to `action` (the first such form)."""
    found = re.search(rf'<form method="post" action="{re.escape(action)}"(.*?)</form>', page, re.S)
    assert found, f"no form to {action}"
    return {
        name: html.unescape(value)
        for name, value in re.findall(
            r'<input type="hidden" name="([^"]+)" value="([^"]*)">', found.group(1)
        )
    }


async def test_a_price_raised_after_the_page_is_charged_only_once_confirmed(
    visitor, gql, catalogue
):
    account = await visitor.sign_up_and_in(gql)
    chips = catalogue["products"][0]
    await add(visitor, chips)
    shown = hidden_fields((await visitor.get("/checkout")).text, "/checkout")
    assert shown["expectedTotal"] == "15000"
    assert shown["idempotencyKey"]
    changed = await gql(SET_PRICE, {"id": chips["id"]}, token=catalogue["owners"][0]["token"])
    assert changed["data"]["updateProduct"]["errors"] == []

    refused = await visitor.http.post("/checkout", data={**shown, **address()})
    assert refused.status_code == 400, refused.text[-3000:]
    assert "Harga di keranjang berubah; totalnya sekarang Rp20.000." in refused.text
    assert "Harga naik dari Rp15.000 menjadi Rp20.000" in refused.text
    assert (await gql(ORDERS, token=account["token"]))["data"]["myOrders"]["edges"] == []

    cart = (await visitor.get("/keranjang")).text
    assert "Harga naik dari Rp15.000 menjadi Rp20.000" in cart
    agree = hidden_fields(cart, "/keranjang/setujui-harga")
    assert agree["expectedTotal"] == "20000"
    confirmed = await visitor.http.post("/keranjang/setujui-harga", data=agree)
    assert (confirmed.status_code, confirmed.headers["location"]) == (303, "/keranjang")
    assert "Harga naik" not in (await visitor.get("/keranjang")).text

    shown = hidden_fields((await visitor.get("/checkout")).text, "/checkout")
    placed = await visitor.http.post("/checkout", data={**shown, **address()})
    assert placed.status_code == 303, placed.text
    orders = (await gql(ORDERS, token=account["token"]))["data"]["myOrders"]["edges"]
    assert [edge["node"]["total"] for edge in orders] == [{"amount": 20000}]


async def test_a_deposit_form_posted_five_times_at_once_deposits_once(visitor, gql, storefront):
    koperasi = await new_koperasi(gql)
    slug = koperasi.cooperative["slug"]
    _, membership_id = await koperasi.member()
    async with visitor_of(storefront) as pengurus:
        await pengurus.sign_in(koperasi.pengurus)
        form = hidden_fields((await pengurus.get(f"/pengurus/{slug}")).text,
                             f"/pengurus/{slug}/setoran")  # fmt: skip
        assert form["idempotencyKey"]
        body = {**form, "membershipId": membership_id, "account": "SUKARELA", "amount": "50.000"}
        posted = await asyncio.gather(
            *(pengurus.http.post(f"/pengurus/{slug}/setoran", data=body) for _ in range(5))
        )
        assert [response.status_code for response in posted] == [303] * 5
    assert await sukarela(membership_id) == 50000
    await assert_books_balance()
