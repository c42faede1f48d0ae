"""Public pages rendered from the live API: beranda, cari, toko, produk, the sitemap."""

import html
import re
from urllib.parse import parse_qs, urlsplit

from tests.catalog.helpers import UPLOAD, add_product, picture, upload
from tests.storefront.conftest import visitor_of


def links(page: str, text: str) -> list[str]:
    """The hrefs of the links whose text contains `text`."""
    found = re.findall(r'<a [^>]*href="([^"]+)"[^>]*>([^<]*)</a>', page)
    return [html.unescape(href) for href, label in found if text in label]


async def test_beranda_lists_categories_newest_products_and_shops(visitor, catalogue):
    response = await visitor.get("/")

    assert response.status_code == 200
    assert '<html lang="id">' in response.text
    assert "Camilan &amp; Keripik" in response.text  # a seeded category, escaped
    assert catalogue["shops"][1]["name"] in response.text
    assert f'href="/produk/{catalogue["products"][1]["slug"]}"' in response.text


async def test_search_shows_facets_as_links_with_counts_and_a_facet_filters(visitor, catalogue):
    term = catalogue["term"]
    response = await visitor.get("/cari", params={"q": term})

    assert response.status_code == 200
    assert "2 produk" in response.text
    assert catalogue["products"][0]["name"] in response.text
    assert re.search(r">Batik</a> <small>\(1\)</small>", response.text)
    [batik] = links(response.text, "Batik")
    assert parse_qs(urlsplit(batik).query) == {"q": [term], "kategori": ["batik"]}

    filtered = await visitor.get(batik)

    assert "1 produk" in filtered.text
    assert catalogue["products"][1]["name"] in filtered.text
    assert catalogue["products"][0]["name"] not in filtered.text
    assert 'aria-current="true">✓ Batik' in filtered.text
    [undo] = links(filtered.text, "Batik")  # the chosen value's link takes the filter off
    assert parse_qs(urlsplit(undo).query) == {"q": [term]}


async def test_search_says_maksud_anda_for_a_typo(visitor, catalogue):
    typo = catalogue["term"][:-1] + ("a" if catalogue["term"][-1] != "a" else "b")
    response = await visitor.get("/cari", params={"q": typo})

    assert "Maksud Anda" in response.text
    assert links(response.text, catalogue["term"]) == [f"/cari?q={catalogue['term']}"]


async def test_search_sorts_and_pages_with_cursors(visitor, gql, catalogue):
    token, shop = catalogue["owners"][0]["token"], catalogue["shops"][0]
    for price in range(1000, 26000, 1000):  # 25 more: two pages of 24 with the first two
        await add_product(gql, token, shop["id"], name=f"Keripik {catalogue['term']}", price=price)
    first = await visitor.get("/cari", params={"q": catalogue["term"], "urut": "termurah"})
    assert "27 produk" in first.text
    prices = re.findall(r'class="price">(Rp[\d.]+)<', first.text)
    assert prices[:3] == ["Rp1.000", "Rp2.000", "Rp3.000"]
    [more] = links(first.text, "Halaman berikutnya")
    assert parse_qs(urlsplit(more).query)["urut"] == ["termurah"]

    second = await visitor.get(more)

    prices = re.findall(r'class="price">(Rp[\d.]+)<', second.text)
    assert prices == ["Rp24.000", "Rp25.000", "Rp250.000"]
    assert "Halaman berikutnya" not in second.text


async def test_suggestions_complete_the_search_box(visitor, catalogue):
    response = await visitor.get("/saran", params={"q": catalogue["term"][:5]})

    assert response.status_code == 200
    texts = [item["text"] for item in response.json()]
    assert any(catalogue["term"] in text.lower() for text in texts)
    assert (await visitor.get("/saran", params={"q": "k"})).json() == []


async def test_shop_page_has_its_products_whatsapp_and_canonical_link(visitor, catalogue):
    shop = catalogue["shops"][0]
    response = await visitor.get(f"/toko/{shop['slug']}")

    assert response.status_code == 200
    assert f'<link rel="canonical" href="http://toko.test/toko/{shop["slug"]}">' in response.text
    assert catalogue["products"][0]["name"] in response.text
    assert "https://wa.me/6281234567890?text=" in response.text
    assert "0812-3456-7890" in response.text


async def test_product_page_has_photos_with_srcset_and_tanya_penjual(visitor, client, catalogue):
    product = catalogue["products"][0]
    token = catalogue["owners"][0]["token"]
    for alt in ("Depan", "Belakang"):
        variables = {"productId": product["id"], "alt": alt}
        answer = await upload(client, token, UPLOAD, variables, "p.png", picture("PNG"))
        assert answer["data"]["uploadProductImage"]["errors"] == []

    response = await visitor.get(f"/produk/{product['slug']}")

    assert response.status_code == 200
    assert f'rel="canonical" href="http://toko.test/produk/{product["slug"]}"' in response.text
    images = re.findall(r"<img [^>]+>", response.text)
    assert len(images) == 2
    assert "320w" in images[0]
    assert "640w" in images[0]
    assert "1200w" in images[0]
    assert 'alt="Depan"' in images[0]
    assert 'fetchpriority="high"' in images[0]
    assert 'loading="lazy"' not in images[0]
    assert 'loading="lazy"' in images[1]
    src = re.search(r'src="([^"]+)"', images[0]).group(1)
    assert (await client.get(urlsplit(src).path)).status_code == 200  # the API serves it
    [ask] = links(response.text, "Tanya penjual")
    assert ask.startswith("https://wa.me/6281234567890?text=")
    assert "Rp15.000" in response.text


async def test_unknown_shop_product_and_page_are_404_pages(visitor):
    for path in ("/toko/tidak-ada", "/produk/tidak-ada", "/halaman/lain"):
        response = await visitor.get(path)
        assert response.status_code == 404, path
        assert "Halaman tidak ditemukan" in response.text


async def test_sitemap_lists_shops_and_products_and_robots_points_to_it(storefront, catalogue):
    storefront.state.sitemap = None  # built fresh, with this test's catalogue
    async with visitor_of(storefront) as visitor:
        response = await visitor.get("/sitemap.xml")
        robots = await visitor.get("/robots.txt")

    assert response.headers["content-type"].startswith("application/xml")
    for path in (
        f"/toko/{catalogue['shops'][0]['slug']}",
        f"/produk/{catalogue['products'][1]['slug']}",
    ):
        assert f"<loc>http://toko.test{path}</loc>" in response.text
    assert "Sitemap: http://toko.test/sitemap.xml" in robots.text


async def test_each_page_tells_its_server_time_and_its_one_wait_on_the_api(visitor, catalogue):
    pages = {
        "/": 1,
        "/cari?q=keripik": 1,
        f"/toko/{catalogue['shops'][0]['slug']}": 1,
        f"/produk/{catalogue['products'][0]['slug']}": 1,
        "/masuk": 0,  # a form: nothing asked of the API
    }
    for path, calls in pages.items():
        timing = (await visitor.get(path)).headers["server-timing"]
        found = re.fullmatch(r'app;dur=([\d.]+), api;dur=([\d.]+);desc="(\d+)"', timing)
        assert found, timing
        app, api = float(found[1]), float(found[2])
        assert int(found[3]) == calls, path
        assert (0 < api <= app) if calls else (api == 0 < app), (path, timing)
