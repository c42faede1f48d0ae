"""Signed, short-lived links (`resolvers.platform.signed_links`) to the statements', the RAT
package's and the saldo awal template's files, and to receipt photos in local media: a
changed or expired one is refused (404)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from resolvers.platform import signed_links

LIFETIME = timedelta(minutes=30)
KINDS = ("xlsx", "pdf")
PARAMS = ("from", "to", "compare")


def statements_path(cooperative_id: int, kind: str) -> str:
    return f"/books/{cooperative_id}/statements.{kind}"


def rat_path(cooperative_id: int, year: int, kind: str) -> str:
    return f"/books/{cooperative_id}/rat-{year}.{kind}"


def template_path(cooperative_id: int) -> str:
    return f"/books/{cooperative_id}/saldo-awal.xlsx"


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
        expires = signed_links.expiry(at, LIFETIME)
        return cls(secret, cooperative_id, start, end, compare, expires)

    def url(self, kind: str) -> str:
        params = {
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "compare": "1" if self.compare else "0",
        }
        path = statements_path(self.cooperative_id, kind)
        return signed_links.signed_url(self.secret, path, params, self.expires_at)


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
    path = statements_path(cooperative_id, kind)
    found = signed_links.verified(secret, path, params, PARAMS, at) if kind in KINDS else None
    if found is None:
        return None
    try:
        start, end = date.fromisoformat(found["from"]), date.fromisoformat(found["to"])
    except ValueError:
        return None
    return Asked(cooperative_id, start, end, found["compare"] == "1")


@dataclass(frozen=True)
class RatLink:
    """A link to one closed year's RAT package."""

    secret: str
    cooperative_id: int
    year: int
    expires_at: datetime

    @classmethod
    def new(cls, secret: str, cooperative_id: int, year: int, at: datetime) -> RatLink:
        return cls(secret, cooperative_id, year, signed_links.expiry(at, LIFETIME))

    def url(self, kind: str) -> str:
        path = rat_path(self.cooperative_id, self.year, kind)
        return signed_links.signed_url(self.secret, path, {}, self.expires_at)


def rat_verified(
    secret: str, cooperative_id: int, year: int, kind: str, params: dict[str, str], at: datetime
) -> bool:
    """Whether a RAT package link is as signed and not expired."""
    return kind in KINDS and path_verified(secret, rat_path(cooperative_id, year, kind), params, at)


def signed_path(secret: str, path: str, at: datetime) -> str:
    """`path` (a local media file, a template) with its own expiry and signature."""
    return signed_links.signed_url(secret, path, {}, signed_links.expiry(at, LIFETIME))


def path_verified(secret: str, path: str, params: dict[str, str], at: datetime) -> bool:
    """Whether a link made by `signed_path` (or with no parameters) is as signed and fresh."""
    return signed_links.verified(secret, path, params, (), at) is not None


def signed_template(secret: str, cooperative_id: int, at: datetime) -> tuple[str, datetime]:
    """The signed link to the cooperative's saldo awal template, and when it expires."""
    expires = signed_links.expiry(at, LIFETIME)
    return signed_links.signed_url(secret, template_path(cooperative_id), {}, expires), expires


def template_verified(
    secret: str, cooperative_id: int, params: dict[str, str], at: datetime
) -> bool:
    """Whether a template link is as signed and has not expired."""
    return path_verified(secret, template_path(cooperative_id), params, at)
