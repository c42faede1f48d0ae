"""Media URLs as clients get them: always absolute, so that an app on another origin can load
them. A store's absolute URL (S3, or local media under PUBLIC_URL) stays as it is; a path
(local media) is put on the scheme and host the request came to."""

from __future__ import annotations

from typing import Any

WEB_SCHEMES = {"ws": "http", "wss": "https"}  # a WebSocket's media is fetched over HTTP


def absolute_url(url: str, connection: Any) -> str:
    """`url` made absolute on `connection`'s (a Starlette request or WebSocket) origin."""
    if not url.startswith("/") or connection is None:
        return url
    at = connection.url
    scheme = WEB_SCHEMES.get(at.scheme, at.scheme)
    return f"{scheme}://{at.netloc}{connection.scope.get('root_path', '')}{url}"
