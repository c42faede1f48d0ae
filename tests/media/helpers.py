"""S3 helpers: a plain client to look into a bucket, and the API served with the S3 backend."""

import boto3

from tests.conftest import LiveServer, make_settings


def raw_client(endpoint: str):
    """A plain boto3 client, separate from the one under test, to look at the bucket."""
    return boto3.session.Session().client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


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
