"""Uploads through GraphQL with the S3 backend: objects land in the bucket, and an
unreachable store gives a clean UserError with no row written."""

# ruff: noqa: F811  (pytest fixtures imported from test_s3 are parameters here)

import httpx
import pytest

from models.catalog.product import Image as ImageRow
from tests.conftest import GraphQL, LiveServer, free_port, make_settings, sign_up
from tests.media.test_s3 import bucket, moto_endpoint  # noqa: F401
from tests.test_images import UPLOAD, picture, upload
from tests.test_shops_catalog import add_product, open_shop


async def s3_server(database_url, tmp_path, endpoint: str, bucket_name: str) -> LiveServer:
    settings = make_settings(
        database_url,
        tmp_path / "media",
        MEDIA_BACKEND="s3",
        S3_ENDPOINT_URL=endpoint,
        S3_BUCKET=bucket_name,
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
    )
    return LiveServer(settings, lifespan="off")


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
