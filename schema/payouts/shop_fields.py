"""What `Shop` shows of its money, for its owner only (null for anyone else)."""

from __future__ import annotations

from strawberry.types import Info

from models import payouts as m
from models.shops import Shop
from resolvers.payouts import balance, destinations, owner_only, statement, withdrawals
from resolvers.platform import now
from schema.payouts.balance import SellerBalance, SellerStatementFile
from schema.payouts.payouts import Payout, PayoutDestination, SellerMovement
from schema.platform import Connection, Money, connection


async def shop_balance(info: Info, shop: Shop) -> SellerBalance | None:
    if not owner_only(info.context.viewer, shop):
        return None
    return SellerBalance.of(await balance.balance_of(shop, info.context.services))


async def shop_statement(
    info: Info, shop: Shop, period: str | None, first: int | None, after: str | None
) -> Connection[SellerMovement] | None:
    if not owner_only(info.context.viewer, shop):
        return None
    page = await statement.statement_page(shop.id, period, first=first, after=after)
    return connection(page, SellerMovement.of)


async def shop_statement_file(info: Info, shop: Shop, period: str) -> SellerStatementFile | None:
    if not owner_only(info.context.viewer, shop):
        return None
    month = await statement.month_of(shop.id, statement.statement_month(period))
    link = statement.Link.new(info.context.services.download_secret, shop.id, period, now())
    return SellerStatementFile(
        period=period,
        opening=Money(amount=month.opening),
        closing=Money(amount=month.closing),
        expires_at=link.expires_at,
        link=link,
    )


async def shop_destinations(info: Info, shop: Shop) -> list[PayoutDestination] | None:
    if not owner_only(info.context.viewer, shop):
        return None
    return [PayoutDestination.of(d) for d in await destinations.destinations_of(shop.id)]


async def shop_payouts(
    info: Info, shop: Shop, status: m.PayoutStatus | None, first: int | None, after: str | None
) -> Connection[Payout] | None:
    if not owner_only(info.context.viewer, shop):
        return None
    page = await withdrawals.payouts_page(shop.id, status, first=first, after=after)
    return connection(page, Payout.of)
