"""Keranjang, checkout and pesanan through the storefront, with the live API behind it."""

import html
import re
from urllib.parse import quote

from storefront.pages.orders import qr_svg
from tests.storefront.conftest import visitor_of
from tests.storefront.helpers import add, address

ORDERS = """
query { myOrders { edges { node { id number payment { method qrisPayload instructions } } } } }"""


async def test_signed_out_visitors_are_sent_to_masuk_and_back(visitor, catalogue):
    product = catalogue["products"][0]
    page = f"/produk/{product['slug']}"
    assert (await visitor.get("/keranjang")).headers["location"] == "/masuk?next=%2Fkeranjang"
    assert (await visitor.get("/pesanan")).headers["location"] == "/masuk?next=%2Fpesanan"

    html_page = (await visitor.get(page)).text
    token = re.search(r'name="csrf_token" value="([^"]+)"', html_page).group(1)
    refused = await visitor.http.post(
        "/keranjang/tambah",
        data={"csrf_token": token, "product_id": product["id"], "quantity": "1"},
        headers={"Referer": f"http://toko.test{page}"},
    )
    assert refused.status_code == 303
    assert refused.headers["location"] == f"/masuk?next=%2Fproduk%2F{product['slug']}"


async def test_cart_groups_lines_by_shop_and_changes_and_removes_them(visitor, gql, catalogue):
    await visitor.sign_up_and_in(gql)
    chips, cloth = catalogue["products"]
    assert (await add(visitor, chips, 2)).headers["location"] == "/keranjang"
    await add(visitor, cloth)

    cart = (await visitor.get("/keranjang")).text
    headings = re.findall(r'<h2 id="toko-\d"><a href="/toko/([^"]+)">', cart)
    assert sorted(headings) == sorted(shop["slug"] for shop in catalogue["shops"])
    assert "Rp30.000" in cart  # 2 × Rp15.000
    assert "Total (3 barang): <strong>Rp280.000</strong>" in cart
    line = re.findall(r'name="line_id" value="([^"]+)"', cart)

    await visitor.submit(
        "/keranjang", "/keranjang/ubah", {"line_id": line[0], "quantity": "1", "ubah": "1"}
    )
    await visitor.submit("/keranjang", "/keranjang/ubah", {"line_id": line[1], "hapus": "1"})

    cart = (await visitor.get("/keranjang")).text
    assert "Produk dihapus dari keranjang." in cart
    assert "Total (1 barang)" in cart


async def test_adding_more_than_the_stock_says_so_beside_the_quantity(visitor, gql, catalogue):
    await visitor.sign_up_and_in(gql)
    response = await add(visitor, catalogue["products"][0], 11)  # stock is 10

    assert response.status_code == 400
    error = re.search(r'<p class="error" id="e-quantity">([^<]+)</p>', response.text)
    assert error, response.text
    assert 'aria-invalid="true" aria-describedby="e-quantity"' in response.text


async def test_checkout_errors_stand_beside_their_fields_and_nothing_is_ordered(
    visitor, gql, catalogue
):
    account = await visitor.sign_up_and_in(gql)
    await add(visitor, catalogue["products"][0])

    response = await visitor.submit(
        "/checkout", "/checkout", address(recipient="", phone="12", kelurahanCode="99.99")
    )

    assert response.status_code == 400
    for field in ("recipient", "phone", "kelurahanCode"):
        assert f'<p class="error" id="e-{field}">' in response.text, field
    assert 'value="Jl. Perintis Kemerdekaan No. 5"' in response.text  # what was typed stays
    orders = (await gql(ORDERS, token=account["token"]))["data"]["myOrders"]["edges"]
    assert orders == []


async def test_qris_and_cod_checkouts_show_on_pesanan_and_one_is_cancelled(visitor, gql, catalogue):
    account = await visitor.sign_up_and_in(gql)
    chips, cloth = catalogue["products"]
    await add(visitor, chips)
    await add(visitor, cloth)
    placed = await visitor.submit("/checkout", "/checkout", address(paymentMethod="QRIS"))
    assert placed.status_code == 303
    assert placed.headers["location"] == "/pesanan"
    await add(visitor, chips)
    await visitor.submit("/checkout", "/checkout", address(paymentMethod="COD"))

    page = (await visitor.get("/pesanan")).text
    orders = (await gql(ORDERS, token=account["token"]))["data"]["myOrders"]["edges"]
    assert len(orders) == 3
    for edge in orders:
        assert edge["node"]["number"] in page
    qris = [e["node"] for e in orders if e["node"]["payment"]["method"] == "QRIS"]
    assert len(qris) == 2
    shown = [html.unescape(src) for src in re.findall(r'<img class="qr" src="([^"]+)"', page)]
    assert sorted(shown) == sorted(f"/pesanan/qris.svg?id={quote(o['id'])}" for o in qris)
    for order, src in zip(sorted(qris, key=lambda o: quote(o["id"])), sorted(shown), strict=True):
        image = await visitor.get(src)
        assert image.headers["content-type"] == "image/svg+xml"
        assert image.content == qr_svg(order["payment"]["qrisPayload"])
    assert "Bayar di tempat (COD)" in page
    assert "Siapkan Rp15.000" in page
    assert "0812-1111-2222" in page

    cod = next(e["node"] for e in orders if e["node"]["payment"]["method"] == "COD")
    await visitor.submit("/pesanan", "/pesanan/batal", {"order_id": cod["id"]})

    page = (await visitor.get("/pesanan")).text
    assert "Pesanan dibatalkan." in page
    assert page.count("Dibatalkan") >= 2  # the status and its history line


async def test_virtual_account_instructions_are_shown(visitor, gql, catalogue):
    await visitor.sign_up_and_in(gql)
    await add(visitor, catalogue["products"][1])
    await visitor.submit("/checkout", "/checkout", address(paymentMethod="BANK_TRANSFER"))

    page = (await visitor.get("/pesanan")).text

    assert re.search(r'<p class="instructions">[^<]*\d{8,}', page), page
    assert "Transfer virtual account" in page


async def test_a_buyer_cannot_cancel_another_buyers_order(storefront, visitor, gql, catalogue):
    await visitor.sign_up_and_in(gql)
    await add(visitor, catalogue["products"][0])
    await visitor.submit("/checkout", "/checkout", address())
    order_id = re.search(r'name="order_id" value="([^"]+)"', (await visitor.get("/pesanan")).text)

    async with visitor_of(storefront) as stranger:
        await stranger.sign_up_and_in(gql, "Orang Lain")
        await stranger.submit("/pesanan", "/pesanan/batal", {"order_id": order_id.group(1)})
        assert "Pesanan tidak ditemukan" in (await stranger.get("/pesanan")).text  # not probed

    assert "Dibatalkan" not in (await visitor.get("/pesanan")).text


async def test_the_qris_image_is_only_for_the_orders_buyer(storefront, visitor, gql, catalogue):
    await visitor.sign_up_and_in(gql)
    await add(visitor, catalogue["products"][0])
    await visitor.submit("/checkout", "/checkout", address(paymentMethod="QRIS"))
    [src] = re.findall(r'<img class="qr" src="([^"]+)"', (await visitor.get("/pesanan")).text)
    assert (await visitor.get(html.unescape(src))).status_code == 200

    async with visitor_of(storefront) as stranger:
        await stranger.sign_up_and_in(gql, "Orang Lain")
        assert (await stranger.get(html.unescape(src))).status_code == 404
        assert (await stranger.get("/pesanan/qris.svg?id=bukan-id")).status_code in (400, 404)
