"""Media in an S3-compatible bucket (AWS S3, MinIO, Ceph RGW, R2) through boto3.

boto3 is blocking: every network call runs in a worker thread. Timeouts are short and
retries few, so an unreachable store fails within a second or two instead of hanging a
request; every boto3/botocore failure surfaces as StorageError.

Keys are content-addressed, so objects are stored with an immutable cache header. URLs
point at `public_url` when the bucket is public, else they are presigned GET URLs
(SigV4 allows at most 7 days; the API hands out fresh ones with every response).
"""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import quote

import boto3
from boto3.exceptions import Boto3Error
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from media.storage import StorageError

MAX_PRESIGN_SECONDS = 7 * 24 * 3600
CACHE_CONTROL = "public, max-age=31536000, immutable"
BOTO_ERRORS = (BotoCoreError, ClientError, Boto3Error)
MISSING_BUCKET = {"404", "NoSuchBucket", "NotFound"}


class S3Storage:
    def __init__(
        self,
        bucket: str,
        *,
        endpoint_url: str | None = None,
        region: str = "us-east-1",
        access_key_id: str | None = None,
        secret_access_key: str | None = None,
        public_url: str | None = None,
        url_expiry: int = MAX_PRESIGN_SECONDS,
        connect_timeout: float = 1.0,
        read_timeout: float = 15.0,
        attempts: int = 2,
    ) -> None:
        self.bucket = bucket
        self.region = region
        self.public_url = public_url.rstrip("/") if public_url else None
        self.url_expiry = min(url_expiry, MAX_PRESIGN_SECONDS)
        config = Config(
            region_name=region,
            signature_version="s3v4",
            connect_timeout=connect_timeout,
            read_timeout=read_timeout,
            retries={"total_max_attempts": attempts, "mode": "standard"},
            # A custom endpoint is usually an IP or a single host name: no bucket subdomains.
            s3={"addressing_style": "path" if endpoint_url else "auto"},
            # Some S3-compatible stores reject the CRC checksums boto3 now sends by default.
            request_checksum_calculation="when_required",
            response_checksum_validation="when_required",
        )
        try:
            self.client: Any = boto3.session.Session().client(
                "s3",
                endpoint_url=endpoint_url,
                aws_access_key_id=access_key_id,
                aws_secret_access_key=secret_access_key,
                config=config,
            )
        except BOTO_ERRORS as exc:
            raise StorageError(f"S3 client: {exc}") from exc

    async def _call(self, operation: str, **params: Any) -> Any:
        method = getattr(self.client, operation)
        try:
            return await asyncio.to_thread(method, **params)
        except BOTO_ERRORS as exc:
            raise StorageError(f"S3 {operation} on {self.bucket}: {exc}") from exc

    async def save(self, key: str, data: bytes, content_type: str) -> None:
        # A PUT is atomic on S3: readers see the old object, or none, until it completes.
        await self._call(
            "put_object",
            Bucket=self.bucket,
            Key=key,
            Body=data,
            ContentType=content_type,
            CacheControl=CACHE_CONTROL,
        )

    async def delete(self, key: str) -> None:
        # S3 answers 204 for a missing key as well.
        await self._call("delete_object", Bucket=self.bucket, Key=key)

    def url(self, key: str) -> str:
        if self.public_url:
            return f"{self.public_url}/{quote(key, safe='/')}"
        try:
            return self.client.generate_presigned_url(
                "get_object",
                Params={"Bucket": self.bucket, "Key": key},
                ExpiresIn=self.url_expiry,
            )
        except BOTO_ERRORS as exc:
            raise StorageError(f"S3 presign {key}: {exc}") from exc

    async def check(self) -> None:
        await self._call("head_bucket", Bucket=self.bucket)

    async def ensure_bucket(self) -> None:
        """Create the bucket unless it exists (and is ours); StorageError if neither works."""
        try:
            await asyncio.to_thread(self.client.head_bucket, Bucket=self.bucket)
            return
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") not in MISSING_BUCKET:
                raise StorageError(f"S3 head_bucket on {self.bucket}: {exc}") from exc
        except BOTO_ERRORS as exc:
            raise StorageError(f"S3 head_bucket on {self.bucket}: {exc}") from exc
        params: dict[str, Any] = {"Bucket": self.bucket}
        if self.region != "us-east-1":
            params["CreateBucketConfiguration"] = {"LocationConstraint": self.region}
        try:
            await asyncio.to_thread(self.client.create_bucket, **params)
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") != "BucketAlreadyOwnedByYou":
                raise StorageError(f"S3 create_bucket {self.bucket}: {exc}") from exc
        except BOTO_ERRORS as exc:
            raise StorageError(f"S3 create_bucket {self.bucket}: {exc}") from exc
