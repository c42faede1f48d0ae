"""Photo and logo uploads by the GraphQL multipart spec, with real and hostile files."""

import io

import pytest
from PIL import Image

from models.catalog.product import Image as ImageRow
from tests.catalog.helpers import UPLOAD, add_product, picture, upload
from tests.conftest import sign_up
from tests.shops.helpers import open_shop

LOGO = """
mutation UploadShopLogo($shopId: ID!, $file: Upload!) {
  uploadShopLogo(shopId: $shopId, file: $file) {
    shop { id logo { url thumbnail(width: 160) { url width height } } }
    errors { field code message }
  }
}"""
DELETE = "mutation($id: ID!) { deleteProductImage(id: $id) { ok errors { field code message } } }"


def jpeg_with_orientation_and_gps() -> bytes:
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to view
    exif[0x8825] = {1: "S", 2: (6.0, 10.0, 30.0), 3: "E", 4: (106.0, 37.0, 50.0)}
    return picture("JPEG", (1200, 800), exif=exif)


@pytest.fixture
async def product(gql):
    owner = await sign_up(gql)
    shop = await open_shop(gql, owner["token"])
    item = await add_product(gql, owner["token"], shop["id"])
    return {"token": owner["token"], "shop": shop, "product": item}


async def test_jpeg_is_rotated_stripped_and_rendered(client, product):
    result = await upload(
        client,
        product["token"],
        UPLOAD,
        {"productId": product["product"]["id"], "alt": "Keripik"},
        "foto.jpg",
        jpeg_with_orientation_and_gps(),
    )
    image = result["data"]["uploadProductImage"]["image"]
    assert result["data"]["uploadProductImage"]["errors"] == []
    assert (image["width"], image["height"]) == (800, 1200)
    assert image["thumbnail"]["width"] == 320
    served = await client.get(image["url"])
    assert served.status_code == 200
    assert "immutable" in served.headers["cache-control"]
    stored = Image.open(io.BytesIO(served.content))
    assert stored.format == "WEBP"
    assert stored.size == (800, 1200)
    assert not stored.getexif()
    assert "exif" not in stored.info
    assert "xmp" not in stored.info


@pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
async def test_png_and_webp_are_accepted(client, product, fmt):
    result = await upload(
        client,
        product["token"],
        UPLOAD,
        {"productId": product["product"]["id"]},
        "x.bin",
        picture(fmt, (500, 500)),
    )
    assert result["data"]["uploadProductImage"]["image"]["width"] == 500


def big_flat_png() -> bytes:
    out = io.BytesIO()
    Image.new("1", (8000, 6500)).save(out, "PNG", optimize=True)
    return out.getvalue()


HOSTILE = [
    ("php named jpg", "shell.jpg", lambda: b"<?php system($_GET['c']); ?>", "UNSUPPORTED_FILE"),
    ("truncated jpeg", "potong.jpg", lambda: picture("JPEG")[:2000], "UNSUPPORTED_FILE"),
    ("52 megapixels", "bom.png", big_flat_png, "FILE_TOO_LARGE"),
    ("11 MB", "besar.jpg", lambda: b"\xff\xd8\xff" + b"\0" * (11 * 1024 * 1024), "FILE_TOO_LARGE"),
    (
        "svg",
        "logo.svg",
        lambda: b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        "UNSUPPORTED_FILE",
    ),
]


@pytest.mark.parametrize(("name", "filename", "make", "code"), HOSTILE, ids=[h[0] for h in HOSTILE])
async def test_hostile_files_leave_nothing_behind(
    client, live, product, name, filename, make, code
):
    before_rows = await ImageRow.all().count()
    before_files = sorted(p for p in live.settings.media_root.rglob("*") if p.is_file())
    result = await upload(
        client, product["token"], UPLOAD, {"productId": product["product"]["id"]}, filename, make()
    )
    payload = result["data"]["uploadProductImage"]
    assert payload["image"] is None
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [("file", code)]
    assert await ImageRow.all().count() == before_rows
    assert sorted(p for p in live.settings.media_root.rglob("*") if p.is_file()) == before_files


async def test_strangers_cannot_upload_or_delete_and_delete_removes_objects(
    client, gql, live, product
):
    stranger = await sign_up(gql)
    denied = await upload(
        client,
        stranger["token"],
        UPLOAD,
        {"productId": product["product"]["id"]},
        "a.png",
        picture("PNG", (300, 200)),
    )
    assert denied["data"]["uploadProductImage"]["errors"][0]["code"] == "PERMISSION_DENIED"

    own = await upload(
        client,
        product["token"],
        UPLOAD,
        {"productId": product["product"]["id"]},
        "a.png",
        picture("PNG", (333, 222)),
    )
    image = own["data"]["uploadProductImage"]["image"]
    refused = await gql(DELETE, {"id": image["id"]}, token=stranger["token"])
    assert refused["data"]["deleteProductImage"]["errors"][0]["code"] == "PERMISSION_DENIED"
    assert (await client.get(image["url"])).status_code == 200

    deleted = await gql(DELETE, {"id": image["id"]}, token=product["token"])
    assert deleted["data"]["deleteProductImage"] == {"ok": True, "errors": []}
    assert (await client.get(image["url"])).status_code == 404


async def test_shop_logo_uses_the_same_pipeline(client, product):
    result = await upload(
        client,
        product["token"],
        LOGO,
        {"shopId": product["shop"]["id"]},
        "logo.png",
        picture("PNG", (400, 400)),
    )
    logo = result["data"]["uploadShopLogo"]["shop"]["logo"]
    assert logo["thumbnail"] == {"url": logo["thumbnail"]["url"], "width": 160, "height": 160}
    assert (await client.get(logo["url"])).status_code == 200
