"""The nota (PDF) from the storefront: a link on the buyer's and the seller's order pages
that leads to the API's signed PDF, and to nothing for anyone else."""

from __future__ import annotations

import html
import re

import httpx

from tests.orders.pdf_helpers import pdf_text
from tests.storefront.conftest import visitor_of
from tests.storefront.helpers import add, address

NOTA_LINK = re.compile(r'<a href="(/pesanan/nota\?id=[^"]+)">Unduh nota (SP-[\d-]+)</a>')


async def pdf_behind(visitor, link: str) -> str:
    answer = await visitor.get(link)
    assert answer.status_code == 303
    async with httpx.AsyncClient() as browser:  # the API's own origin, as a browser goes
        pdf = await browser.get(answer.headers["location"])
    assert pdf.headers["content-type"] == "application/pdf"
    return pdf_text(pdf.content)


async def test_buyer_and_seller_download_the_nota_and_nobody_else(
    storefront, visitor, gql, catalogue
):
    await visitor.sign_up_and_in(gql)
    await add(visitor, catalogue["products"][0], 2)
    await visitor.submit("/checkout", "/checkout", address(paymentMethod="COD"))
    [(link, number)] = NOTA_LINK.findall((await visitor.get("/pesanan")).text)
    link = html.unescape(link)
    text = await pdf_behind(visitor, link)
    assert number in text
    assert catalogue["shops"][0]["name"] in text
    assert "Rp30.000" in text

    async with visitor_of(storefront) as seller:
        await seller.sign_in(catalogue["owners"][0])
        dashboard = (await seller.get(f"/penjual/toko/{catalogue['shops'][0]['slug']}")).text
        assert (link, number) in [(html.unescape(f), n) for f, n in NOTA_LINK.findall(dashboard)]
        assert number in await pdf_behind(seller, link)

    async with visitor_of(storefront) as other_seller:
        await other_seller.sign_in(catalogue["owners"][1])
        assert (await other_seller.get(link)).status_code == 404
    async with visitor_of(storefront) as stranger:
        await stranger.sign_up_and_in(gql, "Orang Lain")
        assert (await stranger.get(link)).status_code == 404
        assert (await stranger.get("/pesanan/nota?id=bukan-id")).status_code in (400, 404)
    async with visitor_of(storefront) as anonymous:
        assert (await anonymous.get(link)).status_code == 303  # to sign in first
        assert (await anonymous.get(link)).headers["location"].startswith("/masuk")
