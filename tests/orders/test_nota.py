"""The order's receipt (nota): a signed PDF link for the buyer and the shop's owner only, a
PDF that opens and holds the order's figures, and links that refuse to be changed."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from urllib.parse import parse_qsl, urlsplit

from models.orders import OrderLine
from models.shops import Shop
from resolvers.orders import nota
from resolvers.platform import now, signed_links
from schema.platform.ids import decode_id
from tests.catalog.variant_helpers import batik_shirt
from tests.conftest import city_admin, sign_up
from tests.orders.complaint_helpers import open_complaint, shipped_sale
from tests.orders.helpers import CANCEL, buy, notify, payment_of, seller_with_products
from tests.orders.pdf_helpers import assert_opens, pdf_text
from tests.orders.shipping_helpers import checkout_with, option, quote, shop_courier
from tests.orders.test_variant_orders import add_variant
from tests.orders.voucher_helpers import create_voucher

ORDER_NOTA = """
query OrderNota($id: ID!) {
  node(id: $id) {
    ... on Order {
      id number status
      total { amount formatted }
      nota { url expiresAt }
    }
  }
}"""
NIB = "9120001234567"


async def nota_of(gql, order_id: str, token: str | None) -> dict | None:
    result = await gql(ORDER_NOTA, {"id": order_id}, token=token)
    assert "errors" not in result, result
    return result["data"]["node"]


async def download(client, found: dict) -> str:
    answer = await client.get(found["nota"]["url"])
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/pdf"
    assert f'filename="nota-{found["number"]}.pdf"' in answer.headers["content-disposition"]
    assert_opens(answer.content)
    return pdf_text(answer.content)


async def test_the_nota_holds_the_whole_order(gql, client, live):
    owner, shop, _, variants = await batik_shirt(gql)
    await Shop.filter(id=decode_id(shop["id"], "Shop")).update(
        nib=NIB, address="Jl. Kisamaun No. 8"
    )
    await shop_courier(gql, owner["token"], shop["id"], {"36.71.01": 8000})
    made = await create_voucher(gql, owner["token"], shop["id"], code="hemat5", amount=5000)
    assert made["errors"] == [], made
    buyer = await sign_up(gql, "Pembeli")
    assert (await add_variant(gql, buyer["token"], variants["M / Merah"]["id"], 2))["errors"] == []
    assert (await add_variant(gql, buyer["token"], variants["L / Biru"]["id"]))["errors"] == []
    courier = option((await quote(gql, buyer["token"]))["shops"][0], "SHOP_COURIER")
    choice = [{"shopId": shop["id"], "shippingOptionId": courier["id"], "voucherCode": "HEMAT5"}]
    placed = await checkout_with(gql, buyer["token"], choice, paymentMethod="QRIS")
    assert placed["errors"] == [], placed
    (order,) = placed["orders"]
    payment = await payment_of(order)
    body = {"id": "nota-1", "reference": payment.reference, "amount": 118000, "status": "PAID"}
    assert (await notify(client, live, body)).status_code == 200

    found = await nota_of(gql, order["id"], buyer["token"])
    assert found["total"] == {"amount": 118000, "formatted": "Rp118.000"}
    expires = datetime.fromisoformat(found["nota"]["expiresAt"])
    assert timedelta(minutes=5) <= expires - now() <= timedelta(minutes=60)
    assert found["nota"]["url"].startswith(str(client.base_url).rstrip("/") + "/orders/")
    text = await download(client, found)
    for shown in (
        "NOTA PESANAN", shop["name"], "Jl. Kisamaun No. 8, Kel. Sukarasa, Kec. Tangerang",
        f"NIB: {NIB}", found["number"], "Diproses penjual", "Siti Aminah", "Tanggal pesanan",
        "Tanggal bayar", "Kemeja Batik Parang", "M / Merah", "L / Biru", "Rp35.000",
        "Rp70.000", "Rp45.000", "Subtotal barang", "Rp115.000", "Ongkos kirim (Kurir toko)",
        "Rp8.000", "Diskon voucher (HEMAT5)", "-Rp5.000", "Total", "Rp118.000", "QRIS",
        "Lunas", payment.reference,
    ):  # fmt: skip
        assert shown in text, shown
    assert re.search(r"^2\n", text, re.MULTILINE)  # the quantity of M / Merah

    # The seller's nota is the same, but for the moment it was made (its last line).
    seller_text = await download(client, await nota_of(gql, order["id"], owner["token"]))
    assert seller_text.splitlines()[:-1] == text.splitlines()[:-1]


async def test_a_bank_transfer_nota_names_its_virtual_account(gql, client):
    _, _, (product,) = await seller_with_products(gql, name="Kopi Susu Gula Aren ☕", price=12500)
    buyer, order = await buy(gql, product["id"], 2, method="BANK_TRANSFER")
    text = await download(client, await nota_of(gql, order["id"], buyer["token"]))
    payment = await payment_of(order)
    for shown in ("Transfer virtual account", "Belum dibayar", "Menunggu pembayaran",
                  "Kopi Susu Gula Aren ?", "Rp25.000", payment.instructions, "NIB: -"):  # fmt: skip
        assert shown in text, shown
    assert "Tanggal bayar" not in text


async def test_only_the_buyer_and_the_shops_owner_get_the_nota(gql):
    sale = await shipped_sale(gql)
    other_buyer, _ = await buy(gql, sale.product["id"])
    other_owner, _, _ = await seller_with_products(gql)
    for token in (sale.buyer["token"], sale.seller["token"]):
        assert (await nota_of(gql, sale.order_id, token))["nota"]["url"]
    for token in (other_buyer["token"], other_owner["token"], None):
        assert await nota_of(gql, sale.order_id, token) is None
    # A marketplace admin reads a complained-about order, but not its nota.
    await open_complaint(gql, sale)
    admin = await city_admin(gql)
    seen = await nota_of(gql, sale.order_id, admin["token"])
    assert seen["number"]
    assert seen["nota"] is None


async def test_a_changed_or_expired_link_answers_404(gql, client):
    sale = await shipped_sale(gql)
    other = await shipped_sale(gql)
    url = (await nota_of(gql, sale.order_id, sale.buyer["token"]))["nota"]["url"]
    other_id = decode_id(other.order_id, "Order")
    assert (await client.get(url)).status_code == 200
    for changed in (
        re.sub(r"/orders/\d+/", f"/orders/{other_id}/", url),
        re.sub(r"/orders/\d+/", "/orders/x1/", url),
        re.sub(r"expires=(\d+)", lambda m: f"expires={int(m.group(1)) + 60}", url),
        re.sub(r"expires=\d+", "expires=99999999999999999999", url),
        re.sub(r"sig=[0-9a-f]{4}", "sig=0000", url),
        url.split("&sig=")[0],
        url.split("?")[0],
    ):
        answer = await client.get(changed)
        assert answer.status_code == 404, changed
        assert not answer.content.startswith(b"%PDF")


def test_a_link_expires_and_names_its_order():
    order_id, secret, path = 41, "rahasia", nota.nota_path(41)

    def query(expires_at: datetime) -> dict[str, str]:
        url = signed_links.signed_url(secret, path, {}, expires_at)
        return dict(parse_qsl(urlsplit(url).query))

    fresh = query(signed_links.expiry(now(), nota.LIFETIME))
    assert nota.is_signed(secret, order_id, fresh)
    assert not nota.is_signed("lain", order_id, fresh)
    assert not nota.is_signed(secret, order_id + 1, fresh)
    assert not nota.is_signed(secret, order_id, query(now() - timedelta(seconds=1)))


async def test_a_line_too_long_for_its_cell_is_cut_short(gql, client):
    _, _, (product,) = await seller_with_products(gql, price=1000)
    buyer, order = await buy(gql, product["id"])
    await OrderLine.filter(order_id=decode_id(order["id"], "Order")).update(
        product_name="Keripik Singkong Balado Pedas Manis Khas Tangerang Kemasan Besar Sekali"
    )
    text = await download(client, await nota_of(gql, order["id"], buyer["token"]))
    assert "Keripik Singkong Balado Pedas Manis K...\n" in text


async def test_a_cancelled_paid_order_shows_its_refund(gql, client, live):
    _, _, (product,) = await seller_with_products(gql, price=20000)
    buyer, order = await buy(gql, product["id"], method="QRIS")
    payment = await payment_of(order)
    body = {"id": "nota-refund", "reference": payment.reference, "amount": 20000, "status": "PAID"}
    assert (await notify(client, live, body)).status_code == 200
    cancelled = await gql(CANCEL, {"id": order["id"]}, token=buyer["token"])
    assert "errors" not in cancelled, cancelled
    text = await download(client, await nota_of(gql, order["id"], buyer["token"]))
    for shown in ("Dibatalkan", "Status pembayaran\nDikembalikan", "Dikembalikan\nRp20.000"):
        assert shown in text, shown
