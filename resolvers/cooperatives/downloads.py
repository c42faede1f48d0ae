"""Signed, short-lived links to the statements' files: the URL carries its own expiry and an
HMAC-SHA256 signature over its path and query, so a plain link works without a header and a
changed or expired one is refused (404)."""

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
        expires = (at + LIFETIME).astimezone(UTC).replace(microsecond=0)
        return cls(secret, cooperative_id, start, end, compare, expires)

    def query(self) -> str:
        return urlencode(
            {
                "from": self.start.isoformat(),
                "to": self.end.isoformat(),
                "compare": "1" if self.compare else "0",
                "expires": str(int(self.expires_at.timestamp())),
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
        signature = params["sig"]
    except (KeyError, ValueError):
        return None
    link = Link(secret, cooperative_id, start, end, compare, datetime.fromtimestamp(expires, UTC))
    path = statements_path(cooperative_id, kind)
    expected = _signature(secret, path, link.query())
    if kind not in KINDS or not hmac.compare_digest(expected, signature):
        return None
    if at.timestamp() > expires:
        return None
    return Asked(cooperative_id, start, end, compare)


def template_path(cooperative_id: int) -> str:
    return f"/books/{cooperative_id}/saldo-awal.xlsx"


def signed_template(secret: str, cooperative_id: int, at: datetime) -> tuple[str, datetime]:
    """The signed link to the cooperative's saldo awal template, and when it expires."""
    expires = (at + LIFETIME).astimezone(UTC).replace(microsecond=0)
    path, query = template_path(cooperative_id), urlencode({"expires": int(expires.timestamp())})
    return f"{path}?{query}&sig={_signature(secret, path, query)}", expires


def template_verified(
    secret: str, cooperative_id: int, params: dict[str, str], at: datetime
) -> bool:
    """Whether a template link is as signed and has not expired."""
    try:
        expires = int(params["expires"])
        signature = params["sig"]
    except (KeyError, ValueError):
        return False
    path, query = template_path(cooperative_id), urlencode({"expires": expires})
    expected = _signature(secret, path, query)
    return hmac.compare_digest(expected, signature) and at.timestamp() <= expires
