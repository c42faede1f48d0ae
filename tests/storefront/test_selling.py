"""Penjual through the storefront: opening a shop, products, photos, and incoming orders."""

import asyncio
import json
import re

import httpx

from storefront.app import create_app
from tests.catalog.helpers import picture
from tests.orders.helpers import past_auto_complete, wait_for_subscriber
from tests.storefront.conftest import SECRET, Visitor, served, visitor_of
from tests.storefront.helpers import add, address

SHOP_ID = "query($slug: String!) { shop(slug: $slug) { id } }"


def shop_fields(**extra):
    return {
        "name": "Dapur Mbak Sari",
        "sizeClass": "MIKRO",
        "kelurahanCode": "36.71.01.1003",
        "whatsapp": "0813 2222 3333",
        "address": "",
        "nib": "",
        "description": "Kue basah setiap pagi",
        **extra,
    }


def product_fields(**extra):
    return {
        "name": "Kue Lapis Legit",
        "price": "45.000",
        "stock": "5",
        "weightGrams": "500",
        "categorySlug": "kue-roti",
        "status": "ACTIVE",
        "isHalal": "1",
        "description": "Lapis legit 20 lapis",
        **extra,
    }


async def open_shop(visitor: Visitor) -> str:
    response = await visitor.submit("/penjual/toko-baru", "/penjual/toko-baru", shop_fields())
    assert response.status_code == 303, response.text
    return response.headers["location"].rsplit("/", 1)[-1]


async def new_product(visitor: Visitor, shop: str, **extra) -> str:
    page = f"/penjual/toko/{shop}/produk-baru"
    response = await visitor.submit(page, page, product_fields(**extra))
    assert response.status_code == 303, response.text
    return response.headers["location"].rsplit("/", 1)[-1]


async def test_opening_a_shop_shows_api_errors_beside_the_fields(visitor, gql):
    await visitor.sign_up_and_in(gql, "Sari")
    refused = await visitor.submit(
        "/penjual/toko-baru", "/penjual/toko-baru", shop_fields(whatsapp="12", name="")
    )
    assert refused.status_code == 400
    assert '<p class="error" id="e-whatsapp">' in refused.text
    assert '<p class="error" id="e-name">' in refused.text

    slug = await open_shop(visitor)

    dashboard = (await visitor.get(f"/penjual/toko/{slug}")).text
    assert "Dapur Mbak Sari" in dashboard
    assert "Belum ada pesanan." in dashboard
    assert f'href="/penjual/toko/{slug}"' in (await visitor.get("/penjual")).text


async def test_products_are_created_checked_and_edited(visitor, gql):
    await visitor.sign_up_and_in(gql, "Sari")
    shop = await open_shop(visitor)
    page = f"/penjual/toko/{shop}/produk-baru"
    refused = await visitor.submit(page, page, product_fields(price="empat puluh ribu"))
    assert '<p class="error" id="e-price">Harga harus berupa bilangan bulat' in refused.text
    refused = await visitor.submit(page, page, product_fields(categorySlug="tidak-ada"))
    assert '<p class="error" id="e-categorySlug">' in refused.text

    slug = await new_product(visitor, shop)
    public = (await visitor.get(f"/produk/{slug}")).text
    assert "Rp45.000" in public
    assert "Halal" in public

    edited = await visitor.submit(
        f"/penjual/produk/{slug}",
        f"/penjual/produk/{slug}",
        product_fields(price="47500", isHalal=""),
    )
    assert edited.status_code == 303
    public = (await visitor.get(f"/produk/{slug}")).text
    assert "Rp47.500" in public
    assert '<span class="tag">Halal</span>' not in public


async def test_photos_upload_through_the_storefront_and_bad_files_are_refused(visitor, gql):
    await visitor.sign_up_and_in(gql, "Sari")
    slug = await new_product(visitor, await open_shop(visitor))
    edit = f"/penjual/produk/{slug}"
    token = re.search(r'name="csrf_token" value="([^"]+)"', (await visitor.get(edit)).text)

    async def send(name: str, content: bytes) -> httpx.Response:
        return await visitor.http.post(
            f"{edit}/foto",
            data={"csrf_token": token.group(1), "alt": "Kemasan depan"},
            files={"file": (name, content, "image/jpeg")},
        )

    assert (await send("kue.png", picture("PNG"))).headers["location"] == edit
    page = (await visitor.get(edit)).text
    assert "Foto ditambahkan." in page
    assert 'alt="Kemasan depan"' in page
    assert 'alt="Kemasan depan"' in (await visitor.get(f"/produk/{slug}")).text

    await send("bukan.jpg", b"ini bukan gambar")
    page = (await visitor.get(edit)).text
    assert re.search(r'<p class="error" id="e-file">[^<]+</p>', page)


async def test_nobody_else_edits_or_sees_a_shops_orders(storefront, visitor, gql):
    await visitor.sign_up_and_in(gql, "Sari")
    shop = await open_shop(visitor)
    slug = await new_product(visitor, shop)

    async with visitor_of(storefront) as stranger:
        await stranger.sign_up_and_in(gql, "Orang Lain")
        assert (await stranger.get(f"/penjual/produk/{slug}")).status_code == 404
        assert (await stranger.get(f"/penjual/toko/{shop}")).status_code == 403
        assert (await stranger.get(f"/penjual/toko/{shop}/produk-baru")).status_code == 404
        assert (await stranger.get(f"/penjual/toko/{shop}/langsung")).status_code == 404
        forged = await stranger.submit(
            "/", f"/penjual/produk/{slug}", product_fields(name="Dibajak", price="1")
        )
        assert forged.status_code == 404
    assert "Dibajak" not in (await visitor.get(f"/produk/{slug}")).text


async def test_the_seller_moves_an_order_along_and_errors_stand_beside_the_resi(
    storefront, visitor, gql
):
    await visitor.sign_up_and_in(gql, "Sari")
    shop = await open_shop(visitor)
    slug = await new_product(visitor, shop)
    product = {
        "slug": slug,
        "id": re.search(
            r'name="product_id" value="([^"]+)"', (await visitor.get(f"/produk/{slug}")).text
        ).group(1),
    }
    async with visitor_of(storefront) as buyer:
        await buyer.sign_up_and_in(gql)
        await add(buyer, product)
        await buyer.submit("/checkout", "/checkout", address(paymentMethod="COD"))

    dashboard = f"/penjual/toko/{shop}"
    page = (await visitor.get(dashboard)).text
    order_id = re.search(r'name="order_id" value="([^"]+)"', page).group(1)
    move = {"order_id": order_id, "shop": shop, "status": "SHIPPED", "trackingNumber": ""}
    await visitor.submit(dashboard, "/penjual/pesanan", move)
    page = (await visitor.get(dashboard)).text
    assert re.search(r'<p class="error" id="e-resi-1">Nomor resi wajib diisi.</p>', page)

    await visitor.submit(dashboard, "/penjual/pesanan", {**move, "trackingNumber": "JNE123456"})
    page = (await visitor.get(dashboard)).text
    assert "Nomor resi: <strong>JNE123456</strong>" in page
    await visitor.submit(dashboard, "/penjual/pesanan", {**move, "status": "DELIVERED"})
    await past_auto_complete({"id": order_id})  # the seller completes after autoCompleteAt
    await visitor.submit(dashboard, "/penjual/pesanan", {**move, "status": "COMPLETED"})
    page = (await visitor.get(dashboard)).text
    assert '<span class="status">Selesai</span>' in page


async def test_new_orders_arrive_live_as_server_sent_events(live, gql):
    app = create_app(live.url, SECRET)
    async with served(app) as url, httpx.AsyncClient(base_url=url, timeout=10) as http:
        seller = Visitor(http)
        await seller.sign_up_and_in(gql, "Sari")
        shop = await open_shop(seller)
        slug = await new_product(seller, shop)
        page = (await http.get(f"/produk/{slug}")).text
        product = {
            "slug": slug,
            "id": re.search(r'name="product_id" value="([^"]+)"', page).group(1),
        }

        async with http.stream("GET", f"/penjual/toko/{shop}/langsung") as stream:
            assert stream.headers["content-type"].startswith("text/event-stream")
            lines = stream.aiter_lines()
            assert await anext(lines) == "retry: 5000"
            shop_id = (await gql(SHOP_ID, {"slug": shop}))["data"]["shop"]["id"]
            await wait_for_subscriber(live.server.config.app.state.services.events, shop_id)
            async with visitor_of(app) as buyer:
                await buyer.sign_up_and_in(gql)
                await add(buyer, product)
                await buyer.submit("/checkout", "/checkout", address(paymentMethod="COD"))
            event = await asyncio.wait_for(_next_event(lines), 5)
    await app.state.api.close()
    assert event["type"] == "CREATED"
    assert event["text"].startswith(f"Pesanan baru: {event['number']} · Rp45.000")


async def _next_event(lines) -> dict:
    async for line in lines:
        if line.startswith("data: "):
            return json.loads(line.removeprefix("data: "))
    raise AssertionError("the stream ended")
