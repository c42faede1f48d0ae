"""Masuk, daftar and keluar: the API token lives in the session cookie and leaves with it."""

import re
import uuid

from tests.conftest import sign_up


async def test_login_errors_stand_beside_the_field_and_the_password_is_not_echoed(visitor, gql):
    account = await sign_up(gql)
    response = await visitor.submit(
        "/masuk", "/masuk", {"email": account["user"]["email"], "password": "salah-sekali"}
    )

    assert response.status_code == 400
    assert re.search(r'<p class="error" id="e-password">[^<]+</p>', response.text)
    assert "salah-sekali" not in response.text
    assert f'value="{account["user"]["email"]}"' in response.text


async def test_login_keeps_the_token_in_the_cookie_and_goes_back_only_to_this_site(visitor, gql):
    account = await sign_up(gql, "Siti Pembeli")
    fields = {"email": account["user"]["email"], "password": "rahasia123"}

    response = await visitor.submit(
        "/masuk?next=/pesanan", "/masuk", {**fields, "next": "/pesanan"}
    )
    assert response.headers["location"] == "/pesanan"
    assert account["token"] not in response.headers["set-cookie"]  # signed, not the bare token
    page = await visitor.get("/pesanan")
    assert page.status_code == 200
    assert "Keluar" in page.text

    hostile_targets = (
        "https://jahat.example/",
        "//jahat.example",
        "/\\jahat.example",
        "/\t/jahat.example",
        "/\n/jahat.example",
        "jahat.example",
    )
    for hostile in hostile_targets:
        again = await visitor.submit("/masuk", "/masuk", {**fields, "next": hostile})
        assert again.headers["location"] == "/", hostile


async def test_register_shows_api_errors_by_field_then_signs_in(visitor, gql):
    email = f"b{uuid.uuid4().hex[:10]}@contoh.id"
    fields = {
        "name": "Budi Warga",
        "email": email,
        "phone": "0812 9999 0000",
        "password": "rahasia123",
    }
    response = await visitor.submit(
        "/daftar", "/daftar", {**fields, "phone": "123", "password": "x"}
    )
    assert response.status_code == 400
    for field in ("phone", "password"):
        assert f'<p class="error" id="e-{field}">' in response.text, field
    taken = (await sign_up(gql))["user"]["email"]
    response = await visitor.submit("/daftar", "/daftar", {**fields, "email": taken})
    assert '<p class="error" id="e-email">Email ini sudah terdaftar.</p>' in response.text

    created = await visitor.submit("/daftar", "/daftar", fields)

    assert created.status_code == 303
    assert "Selamat datang, Budi Warga!" in (await visitor.get("/")).text


async def test_keluar_revokes_the_token_at_the_api(visitor, gql):
    account = await visitor.sign_up_and_in(gql)
    login = await gql(
        'mutation($e: String!) { login(email: $e, password: "rahasia123") { token } }',
        {"e": account["user"]["email"]},
    )
    assert login["data"]["login"]["token"]
    cart = (await visitor.get("/keranjang")).status_code
    assert cart == 200

    response = await visitor.submit("/", "/keluar", {})

    assert response.status_code == 303
    assert (await visitor.get("/keranjang")).status_code == 303  # signed out here
    assert "Masuk" in (await visitor.get("/")).text


async def test_an_expired_token_signs_the_visitor_out_and_asks_to_sign_in(visitor, gql):
    await visitor.sign_up_and_in(gql)
    session_cookie = visitor.http.cookies.get("satupintu")
    await visitor.submit("/", "/keluar", {})  # revokes the token at the API
    visitor.http.cookies.set("satupintu", session_cookie, domain="toko.test")  # replayed cookie

    response = await visitor.get("/pesanan")

    assert response.status_code == 303
    assert response.headers["location"] == "/masuk?next=%2Fpesanan"
