"""A shop's statement: every movement of its available balance, newest first, optionally of
one Jakarta month; a month's opening and closing balances and its rows for the files; and
the signed, short-lived links to those files (CSV, xlsx, PDF), which carry their own expiry
and an HMAC-SHA256 signature over path and query, so a plain link works without a header and
a changed or expired one is refused."""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from models.payouts import SellerMovement
from resolvers.payouts.balance import own_shops
from resolvers.platform import BadInput, Page, keyset_page, month_start, today, visibility

LIFETIME = timedelta(minutes=30)
KINDS = ("csv", "xlsx", "pdf")
PERIOD = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


visibility.register("SellerMovement", SellerMovement, own_shops)


def checked_period(period: str) -> str:
    """A "YYYY-MM" month, or BadInput."""
    if not PERIOD.match(period) or period < "2000-01":
        raise BadInput("Periode harus berbentuk YYYY-MM.")
    return period


def _bounds(period: str) -> tuple[datetime, datetime]:
    start = month_start(period)
    following = (start + timedelta(days=32)).strftime("%Y-%m")
    return start, month_start(following)


async def statement_page(
    shop_id: int, period: str | None, *, first: int | None, after: str | None
) -> Page[SellerMovement]:
    """Call `owner_only` first: newest first."""
    query = SellerMovement.filter(shop_id=shop_id)
    if period is not None:
        start, end = _bounds(checked_period(period))
        query = query.filter(created_at__gte=start, created_at__lt=end)
    return await keyset_page(query, first=first, after=after)


@dataclass(frozen=True)
class Month:
    period: str
    opening: int
    closing: int
    movements: list[SellerMovement]  # oldest first


async def month_of(shop_id: int, period: str) -> Month:
    """The month's movements with the balance before and after them."""
    start, end = _bounds(checked_period(period))
    movements = await SellerMovement.filter(
        shop_id=shop_id, created_at__gte=start, created_at__lt=end
    ).order_by("id")
    before = (
        await SellerMovement.filter(shop_id=shop_id, created_at__lt=start).order_by("-id").first()
    )
    opening = before.balance_after if before else 0
    closing = movements[-1].balance_after if movements else opening
    return Month(period, opening, closing, list(movements))


def statement_month(period: str) -> str:
    """A month up to the running one (Jakarta), or BadInput."""
    checked_period(period)
    if period > f"{today():%Y-%m}":
        raise BadInput("Periode tidak boleh sesudah bulan berjalan.")
    return period


def file_path(shop_id: int, period: str, kind: str) -> str:
    return f"/shops/{shop_id}/statements/{period}.{kind}"


def _signature(secret: str, path: str, expires: int) -> str:
    message = f"{path}?expires={expires}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Link:
    secret: str
    shop_id: int
    period: str
    expires_at: datetime

    @classmethod
    def new(cls, secret: str, shop_id: int, period: str, at: datetime) -> Link:
        return cls(secret, shop_id, period, (at + LIFETIME).astimezone(UTC).replace(microsecond=0))

    def url(self, kind: str) -> str:
        path, expires = file_path(self.shop_id, self.period, kind), int(self.expires_at.timestamp())
        return f"{path}?expires={expires}&sig={_signature(self.secret, path, expires)}"


def verified(
    secret: str, shop_id: int, period: str, kind: str, params: dict[str, str], at: datetime
) -> bool:
    """Whether a link is one this server signed and has not expired."""
    try:
        expires, signature = int(params["expires"]), params["sig"]
    except (KeyError, ValueError):
        return False
    if kind not in KINDS or not PERIOD.match(period):
        return False
    expected = _signature(secret, file_path(shop_id, period, kind), expires)
    return hmac.compare_digest(expected, signature) and at.timestamp() <= expires
