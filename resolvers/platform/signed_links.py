"""Signed, short-lived links to files: the URL carries its own expiry and an HMAC-SHA256
signature over its path and query, so a plain link works without a header and a changed or
expired one is refused."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode


def _signature(secret: str, path: str, query: str) -> str:
    return hmac.new(secret.encode(), f"{path}?{query}".encode(), hashlib.sha256).hexdigest()


def expiry(at: datetime, lifetime: timedelta) -> datetime:
    """When a link made at `at` stops working, to the second (the URL carries whole seconds)."""
    return (at + lifetime).astimezone(UTC).replace(microsecond=0)


def _query(params: Mapping[str, str], expires_at: datetime) -> str:
    return urlencode({**params, "expires": str(int(expires_at.timestamp()))})


def signed_url(secret: str, path: str, params: Mapping[str, str], expires_at: datetime) -> str:
    query = _query(params, expires_at)
    return f"{path}?{query}&sig={_signature(secret, path, query)}"


def verified(
    secret: str, path: str, query: Mapping[str, str], names: Sequence[str], at: datetime
) -> dict[str, str] | None:
    """The parameters `names` of a signed link's `query`, or None when the link was changed
    or has expired."""
    try:
        params = {name: query[name] for name in names}
        expires, signature = int(query["expires"]), query["sig"]
        expires_at = datetime.fromtimestamp(expires, UTC)
    except (KeyError, ValueError, OverflowError, OSError):
        return None
    expected = _signature(secret, path, _query(params, expires_at))
    if not hmac.compare_digest(expected, signature) or at.timestamp() > expires:
        return None
    return params
