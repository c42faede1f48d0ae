"""Signed, short-lived links to the statements' and the RAT package's files: the URL carries
its own expiry and an HMAC-SHA256 signature over its path and query, so a plain link works
without a header and a changed or expired one is refused (404)."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from urllib.parse import urlencode

LIFETIME = timedelta(minutes=30)
KINDS = ("xlsx", "pdf")


def _signature(secret: str, path: str, query: str) -> str:
    return hmac.new(secret.encode(), f"{path}?{query}".encode(), hashlib.sha256).hexdigest()


def statements_path(cooperative_id: int, kind: str) -> str:
    return f"/books/{cooperative_id}/statements.{kind}"


def rat_path(cooperative_id: int, year: int, kind: str) -> str:
    return f"/books/{cooperative_id}/rat-{year}.{kind}"


def _expiry(at: datetime) -> datetime:
    return (at + LIFETIME).astimezone(UTC).replace(microsecond=0)


def _expires(expires_at: datetime) -> str:
    return str(int(expires_at.timestamp()))


def _fresh(secret: str, path: str, query: str, params: dict[str, str], at: datetime) -> bool:
    """The link's signature is right and it has not expired."""
    expected = _signature(secret, path, query)
    if not hmac.compare_digest(expected, params.get("sig", "")):
        return False
    return at.timestamp() <= int(params["expires"])


@dataclass(frozen=True)
class Link:
    secret: str
    cooperative_id: int
    start: date
    end: date
    compare: bool
    expires_at: datetime

    @classmethod
    def new(
        cls, secret: str, cooperative_id: int, start: date, end: date, compare: bool, at: datetime
    ) -> Link:
        return cls(secret, cooperative_id, start, end, compare, _expiry(at))

    def query(self) -> str:
        return urlencode(
            {
                "from": self.start.isoformat(),
                "to": self.end.isoformat(),
                "compare": "1" if self.compare else "0",
                "expires": _expires(self.expires_at),
            }
        )

    def url(self, kind: str) -> str:
        path, query = statements_path(self.cooperative_id, kind), self.query()
        return f"{path}?{query}&sig={_signature(self.secret, path, query)}"


@dataclass(frozen=True)
class Asked:
    cooperative_id: int
    start: date
    end: date
    compare: bool


def verified(
    secret: str, cooperative_id: int, kind: str, params: dict[str, str], at: datetime
) -> Asked | None:
    """What a signed link asks for, or None when it was changed or has expired."""
    try:
        start, end = date.fromisoformat(params["from"]), date.fromisoformat(params["to"])
        expires = int(params["expires"])
        compare = params["compare"] == "1"
    except (KeyError, ValueError):
        return None
    link = Link(secret, cooperative_id, start, end, compare, datetime.fromtimestamp(expires, UTC))
    path = statements_path(cooperative_id, kind)
    if kind not in KINDS or not _fresh(secret, path, link.query(), params, at):
        return None
    return Asked(cooperative_id, start, end, compare)


@dataclass(frozen=True)
class RatLink:
    """A link to one closed year's RAT package."""

    secret: str
    cooperative_id: int
    year: int
    expires_at: datetime

    @classmethod
    def new(cls, secret: str, cooperative_id: int, year: int, at: datetime) -> RatLink:
        return cls(secret, cooperative_id, year, _expiry(at))

    def url(self, kind: str) -> str:
        path, query = rat_path(self.cooperative_id, self.year, kind), self.query()
        return f"{path}?{query}&sig={_signature(self.secret, path, query)}"

    def query(self) -> str:
        return urlencode({"expires": _expires(self.expires_at)})


def rat_verified(
    secret: str, cooperative_id: int, year: int, kind: str, params: dict[str, str], at: datetime
) -> bool:
    """Whether a RAT package link is as signed and not expired."""
    try:
        expires = datetime.fromtimestamp(int(params["expires"]), UTC)
    except (KeyError, ValueError, OverflowError, OSError):
        return False
    link = RatLink(secret, cooperative_id, year, expires)
    path = rat_path(cooperative_id, year, kind)
    return kind in KINDS and _fresh(secret, path, link.query(), params, at)


def signed_path(secret: str, path: str, at: datetime) -> str:
    """`path` (a local media file) with its own expiry and signature."""
    query = urlencode({"expires": _expires(_expiry(at))})
    return f"{path}?{query}&sig={_signature(secret, path, query)}"


def path_verified(secret: str, path: str, params: dict[str, str], at: datetime) -> bool:
    try:
        query = urlencode({"expires": str(int(params["expires"]))})
    except (KeyError, ValueError):
        return False
    return _fresh(secret, path, query, params, at)
