"""A shop's available balance (Saldo Penjual): moved by conditional atomic updates only, each
movement a row of its statement with the balance right after it; and what the owner reads:
available, held (paid orders not yet COMPLETED, each with what it will bring), pending
payouts and today's payout limits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from tortoise.expressions import Q
from tortoise.functions import Sum

from models.orders import Order, OrderStatus, Payment, PaymentMethod
from models.payouts import Payout, PayoutStatus, SellerBalance
from models.platform import User
from models.shops import Shop
from resolvers.orders import seller_balance
from resolvers.platform import JAKARTA, Page, decode_cursor, encode_cursor, page_size, today
from resolvers.providers import Services


@dataclass(frozen=True)
class Release:
    order: Order
    amount: int  # T - R - F


@dataclass(frozen=True)
class Limits:
    minimum: int
    daily_maximum: int
    remaining_today: int


@dataclass(frozen=True)
class Balance:
    shop: Shop
    available: int
    releases: list[Release]  # oldest first
    pending_payouts: int
    limits: Limits

    @property
    def held(self) -> int:
        return sum(release.amount for release in self.releases)


def own_shops(viewer: User | None) -> Q | None:
    """Rows of the viewer's own shops: the visibility rule of what only an owner sees."""
    return None if viewer is None else Q(shop__owner_id=viewer.id)


def owner_only(viewer: User | None, shop: Shop) -> bool:
    return viewer is not None and viewer.id == shop.owner_id


async def available_of(shop_id: int) -> int:
    found = await SellerBalance.get_or_none(shop_id=shop_id)
    return found.available if found else 0


def day_bounds() -> tuple[datetime, datetime]:
    """Today's first instant in Jakarta and the next day's."""
    start = datetime.combine(today(), time(), JAKARTA)
    return start, start + timedelta(days=1)


async def paid_out_today(shop_id: int) -> int:
    start, end = day_bounds()
    rows = (
        await Payout.filter(
            shop_id=shop_id,
            status__in=[PayoutStatus.PENDING, PayoutStatus.COMPLETED],
            created_at__gte=start,
            created_at__lt=end,
        )
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return int(rows[0]["total"] or 0) if rows else 0  # PostgreSQL sums BIGINT as NUMERIC


async def pending_of(shop_id: int) -> int:
    rows = (
        await Payout.filter(shop_id=shop_id, status=PayoutStatus.PENDING)
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return int(rows[0]["total"] or 0) if rows else 0


async def releases_of(shop_id: int, fee_bps: int) -> list[Release]:
    """The shop's paid orders not yet COMPLETED with what each will bring, oldest first."""
    payments = {
        p.order_id: p
        for p in await Payment.filter(
            order__shop_id=shop_id,
            status__in=list(seller_balance.PAID),
            order__status__not_in=[OrderStatus.COMPLETED, OrderStatus.CANCELLED],
        ).exclude(method=PaymentMethod.COD)
    }
    orders = await Order.filter(id__in=list(payments)).order_by("id")
    releases = []
    for order in orders:
        payment = payments[order.id]
        net = payment.amount - payment.refunded_amount
        if net > 0:
            releases.append(Release(order, net - seller_balance.fee_of(net, fee_bps)))
    return releases


async def balance_of(shop: Shop, services: Services) -> Balance:
    """Call `owner_only` first."""
    used = await paid_out_today(shop.id)
    return Balance(
        shop=shop,
        available=await available_of(shop.id),
        releases=await releases_of(shop.id, services.platform_fee_bps),
        pending_payouts=await pending_of(shop.id),
        limits=Limits(
            services.payout_minimum,
            services.payout_daily_maximum,
            max(services.payout_daily_maximum - used, 0),
        ),
    )


def releases_page(releases: list[Release], first: int | None, after: str | None) -> Page[Release]:
    """Oldest first, paged by the order's id."""
    size = page_size(first, None)
    start = 0
    if after:
        last = decode_cursor(after)
        start = next((i for i, r in enumerate(releases) if r.order.id > last), len(releases))
    window = releases[start : start + size]

    async def count() -> int:
        return len(releases)

    return Page(
        items=window,
        cursors=[encode_cursor(r.order.id) for r in window],
        has_next=start + size < len(releases),
        has_previous=after is not None,
        count=count,
        size=size,
    )
