"""Sessions, CSRF, the Content-Security-Policy, escaping, static files, weights and failures."""

import base64
import contextlib
import json
import re

import pytest
from itsdangerous import BadSignature
from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Route

from storefront.app import create_app
from storefront.session import TWO_WEEKS, Sealer
from tests.catalog.helpers import add_product
from tests.conftest import LiveServer, free_port, make_settings, sign_up
from tests.shops.helpers import open_shop
from tests.storefront.conftest import SECRET, served, visitor_of
from tests.storefront.helpers import member_with_bills

PAGES = ["/", "/cari?q=keripik", "/masuk", "/daftar", "/koperasi", "/kota"]


def post_routes(app) -> list[str]:
    """Every POST route's path, a whole number where it takes one (`{year:int}`)."""
    return sorted(
        re.sub(r"\{\w+:int\}", "2025", route.path)
        for route in app.routes
        if "POST" in (getattr(route, "methods", None) or ())
    )


async def test_every_post_without_the_csrf_token_is_refused_with_403(storefront, visitor, gql):
    await visitor.sign_up_and_in(gql)
    paths = post_routes(storefront)
    assert {"/masuk", "/daftar", "/keluar", "/keranjang/tambah", "/checkout"} <= set(paths)
    for path in paths:
        for fields in ({}, {"csrf_token": "tebakan"}, {"csrf_token": ""}):
            response = await visitor.http.post(path, data=fields)
            assert response.status_code == 403, (path, fields)
            assert "Akses ditolak" in response.text


async def test_every_post_form_carries_the_csrf_token(visitor, gql, catalogue):
    await visitor.sign_up_and_in(gql)
    paths = [*PAGES, f"/produk/{catalogue['products'][0]['slug']}", "/keluar"]
    for path in paths:
        page = (await visitor.get(path)).text
        forms = re.findall(r"<form [^>]*method=\"post\".*?</form>", page, re.S)
        assert all('name="csrf_token"' in form for form in forms), path


async def test_the_session_cookie_is_httponly_lax_and_secure_over_https(storefront):
    for base, secure in (("http://toko.test", False), ("https://toko.test", True)):
        async with visitor_of(storefront, base) as visitor:
            cookie = (await visitor.get("/masuk")).headers["set-cookie"].lower()
        assert cookie.startswith("satupintu=")
        assert "httponly" in cookie
        assert "samesite=lax" in cookie
        assert ("secure" in cookie.split("; ")) is secure, base


async def test_csp_forbids_inline_scripts_and_pages_use_only_their_own_files(visitor):
    for path in PAGES:
        response = await visitor.get(path)
        csp = response.headers["content-security-policy"]
        assert "script-src 'self'" in csp
        assert "unsafe-inline" not in csp
        assert response.headers["x-content-type-options"] == "nosniff"
        page = response.text
        assert not re.search(r"<script(?![^>]*\bsrc=)", page), path  # no inline script
        assert not re.search(r"<[^>]+\s(style|on[a-z]+)=", page), path  # no inline style/handler
        assert "<style" not in page, path
        for url in re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', page):
            assert url.startswith("/static/") or url.startswith("http://toko.test/"), url


async def test_nothing_from_the_api_is_rendered_unescaped(visitor, gql):
    owner = await sign_up(gql)
    hostile = '<script>alert("toko")</script><img src=x onerror=alert(1)>'
    shop = await open_shop(gql, owner["token"], name=f"Toko {hostile}", description=hostile)
    product = await add_product(
        gql, owner["token"], shop["id"], name=f"Kue {hostile}", description=hostile
    )
    for path in (f"/toko/{shop['slug']}", f"/produk/{product['slug']}", "/"):
        page = (await visitor.get(path)).text
        assert "<script>alert" not in page, path
        assert "<img src=x" not in page, path
        assert "&lt;script&gt;alert(&#34;toko&#34;)&lt;/script&gt;" in page, path


async def test_static_files_have_hashed_names_and_are_cached_for_a_year(visitor):
    page = (await visitor.get("/")).text
    urls = re.findall(r'"(/static/[^"]+)"', page)
    assert {url.rsplit(".", 1)[-1] for url in urls} == {"css", "js", "svg"}
    for url in urls:
        assert re.fullmatch(r"/static/\w+\.[0-9a-f]{12}\.(css|js|svg)", url)
        response = await visitor.get(url)
        assert response.status_code == 200
        assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert (await visitor.get("/static/style.css")).status_code == 404  # only hashed names


async def test_each_page_is_under_100_kb_of_html_css_and_js(visitor, gql, catalogue):
    await visitor.sign_up_and_in(gql)
    pages = [*PAGES, "/keranjang", "/checkout", "/pesanan"]
    pages += [
        f"/toko/{catalogue['shops'][0]['slug']}",
        f"/produk/{catalogue['products'][0]['slug']}",
    ]
    for path in pages:
        response = await visitor.get(path, headers={"Accept-Encoding": "identity"})
        assert response.status_code == 200, path
        assets = re.findall(r'"(/static/[^"]+)"', response.text)
        weight = len(response.content)
        for url in assets:
            weight += len((await visitor.get(url, headers={"Accept-Encoding": "identity"})).content)
        assert weight < 100_000, (path, weight)


async def test_pages_are_gzipped_for_slow_networks(visitor):
    response = await visitor.get("/cari?q=keripik", headers={"Accept-Encoding": "gzip"})
    assert response.headers["content-encoding"] == "gzip"


async def test_without_the_api_pages_say_so_plainly_with_503():
    app = create_app(f"http://127.0.0.1:{free_port()}", SECRET)
    async with visitor_of(app) as visitor:
        for path in ("/", "/cari?q=kopi", "/produk/apa-saja"):
            response = await visitor.get(path)
            assert response.status_code == 503, path
            assert "Layanan sedang tidak tersedia" in response.text
    await app.state.api.close()


@pytest.mark.parametrize(
    "answer",
    [
        {"data": {"unexpected": True}},
        {"errors": [{"message": "x", "extensions": {"code": "INTERNAL"}}]},
    ],
    ids=["broken-answer", "internal-error"],
)
async def test_a_broken_api_answer_is_a_500_or_503_page_not_a_traceback(answer):
    async def graphql(_request):
        return JSONResponse(answer)

    stub = Starlette(routes=[Route("/graphql", graphql, methods=["POST"])])
    async with served(stub) as url:
        app = create_app(url, SECRET)
        async with visitor_of(app) as visitor:
            response = await visitor.get("/")
        await app.state.api.close()
    assert response.status_code in (500, 503)
    assert "Traceback" not in response.text
    assert "KeyError" not in response.text
    if response.status_code == 500:
        assert "Terjadi kesalahan di server kami" in response.text


async def test_the_api_counts_its_limits_per_visitor_not_per_storefront(
    live, database_url, tmp_path
):
    settings = make_settings(database_url, tmp_path / "media", RATE_LIMIT_PER_MINUTE="3")
    async with LiveServer(settings, lifespan="off") as api:
        app = create_app(api.url, SECRET)
        busy, other = ("192.0.2.10", 40000), ("192.0.2.20", 40000)  # as uvicorn would see them
        async with visitor_of(app, client=busy) as visitor:
            answers = [(await visitor.get("/")).status_code for _ in range(3)]
            refused = await visitor.get("/")
        async with visitor_of(app, client=other) as visitor:
            welcome = await visitor.get("/")
        await app.state.api.close()
    assert answers == [200, 200, 200]
    assert refused.status_code == 429
    assert "Terlalu banyak permintaan" in refused.text
    assert welcome.status_code == 200


async def test_member_and_pengurus_pages_are_light_safe_and_carry_csrf(storefront, gql):
    koperasi, member, _ = await member_with_bills(gql, 50_000)
    slug = koperasi.cooperative["slug"]
    for account, paths in (
        (member, ["", "/tagihan", "/tagihan/luar"]),
        (
            koperasi.pengurus,
            [
                "",
                "/pinjaman",
                "/shu",
                "/buku",
                "/buku/kas",
                "/buku/jurnal",
                "/tahun-buku",
                "/laporan",
            ],
        ),
    ):
        area = "/anggota" if account is member else "/pengurus"
        async with visitor_of(storefront) as visitor:
            await visitor.sign_in(account)
            for path in (f"{area}/{slug}{tail}" for tail in paths):
                identity = {"Accept-Encoding": "identity"}
                response = await visitor.get(path, headers=identity)
                assert response.status_code == 200, path
                assert "unsafe-inline" not in response.headers["content-security-policy"]
                forms = re.findall(r"<form [^>]*method=\"post\".*?</form>", response.text, re.S)
                assert forms, path
                assert all('name="csrf_token"' in form for form in forms), path
                weight = len(response.content)
                for url in re.findall(r'"(/static/[^"]+)"', response.text):
                    weight += len((await visitor.get(url, headers=identity)).content)
                assert weight < 100_000, (path, weight)


SIGNED_IN = 'href="/pesanan"'  # the menu of a signed-in visitor


def opened(cookie: str, secret: str = SECRET) -> dict:
    """The session a storefront cookie holds, opened as the storefront opens it."""
    return json.loads(base64.b64decode(Sealer(secret).unsign(cookie.encode(), TWO_WEEKS)))


def readable_parts(cookie: str) -> list[bytes]:
    """The cookie and whatever each of its dot-separated parts decodes to as base64."""
    parts = [cookie.encode()]
    for part in cookie.split("."):
        for decode in (base64.b64decode, base64.urlsafe_b64decode):
            with contextlib.suppress(ValueError):
                parts.append(decode(part + "=" * (-len(part) % 4)))
    return parts


async def test_the_session_cookie_does_not_show_the_api_token(visitor, gql):
    await visitor.sign_up_and_in(gql, "Pembeli Rahasia")
    cookie = visitor.http.cookies["satupintu"]
    token = opened(cookie)["token"]
    assert len(token) >= 20
    for readable in readable_parts(cookie):
        assert token.encode() not in readable
        assert b'"token"' not in readable
        assert b"Pembeli Rahasia" not in readable
    with pytest.raises(BadSignature):
        opened(cookie, "rahasia-storefront-lain")
    assert SIGNED_IN in (await visitor.get("/")).text


@pytest.mark.parametrize("where", [0, 10, -10, -1])
async def test_a_tampered_session_cookie_signs_the_visitor_out(storefront, visitor, gql, where):
    await visitor.sign_up_and_in(gql, "Pembeli Rahasia")
    cookie = visitor.http.cookies["satupintu"]
    flipped = "A" if cookie[where] != "A" else "B"
    tampered = cookie[:where] + flipped + (cookie[where + 1 :] if where != -1 else "")
    async with visitor_of(storefront) as thief:
        thief.http.cookies.set("satupintu", tampered, domain="toko.test")
        assert SIGNED_IN not in (await thief.get("/")).text
        assert (await thief.get("/anggota")).status_code in (302, 303)
