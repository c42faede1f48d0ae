"""Uploads through GraphQL with the S3 backend: objects land in the bucket, and an
unreachable store gives a clean UserError with no row written."""

import httpx
import pytest

from models.catalog.product import Image as ImageRow
from tests.catalog.helpers import UPLOAD, add_product, picture, upload
from tests.conftest import GraphQL, free_port, sign_up
from tests.media.helpers import s3_server
from tests.shops.helpers import open_shop


@pytest.mark.usefixtures("live")
async def test_upload_lands_in_the_bucket_and_its_url_serves_it(
    database_url,
    tmp_path,
    moto_endpoint,
    bucket,
):
    server = await s3_server(database_url, tmp_path, moto_endpoint, bucket)
    async with server, httpx.AsyncClient(base_url=server.url, timeout=30) as client:
        gql = GraphQL(client)
        owner = await sign_up(gql)
        shop = await open_shop(gql, owner["token"])
        product = await add_product(gql, owner["token"], shop["id"])
        result = await upload(
            client,
            owner["token"],
            UPLOAD,
            {"productId": product["id"]},
            "a.png",
            picture("PNG", (700, 500)),
        )
        image = result["data"]["uploadProductImage"]["image"]
        assert image["url"].startswith(moto_endpoint)
        served = await client.get(image["thumbnail"]["url"])
        assert served.status_code == 200
        assert served.headers["content-type"] == "image/webp"


@pytest.mark.usefixtures("live")
async def test_unreachable_store_gives_a_user_error_and_writes_nothing(database_url, tmp_path):
    closed = f"http://127.0.0.1:{free_port()}"
    server = await s3_server(database_url, tmp_path, closed, "nowhere")
    async with server, httpx.AsyncClient(base_url=server.url, timeout=30) as client:
        gql = GraphQL(client)
        owner = await sign_up(gql)
        shop = await open_shop(gql, owner["token"])
        product = await add_product(gql, owner["token"], shop["id"])
        before = await ImageRow.all().count()
        result = await upload(
            client,
            owner["token"],
            UPLOAD,
            {"productId": product["id"]},
            "a.png",
            picture("PNG", (300, 300)),
        )
        payload = result["data"]["uploadProductImage"]
        assert payload["image"] is None
        assert payload["errors"][0]["field"] == "file"
        assert payload["errors"][0]["code"] == "INVALID_STATE"
        assert await ImageRow.all().count() == before
