"""A shop's balance, its statement and the statement's files: for the shop's owner only."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.types import Info

from resolvers.payouts import balance, statement
from resolvers.payouts.balance import Balance, Limits, Release
from schema.orders import Order
from schema.platform import After, Connection, First, Money, connection


@strawberry.type(description="A paid order not yet COMPLETED and what it will bring the shop.")
class BalanceRelease:
    order: Order = strawberry.field(description="The order (its autoCompleteAt: when).")
    amount: Money = strawberry.field(description="Its total less refunds and platform fee.")


@strawberry.type(description="The payout settings and what today's maximum still allows.")
class PayoutLimits:
    minimum: Money = strawberry.field(description="The smallest payout (PAYOUT_MIN_AMOUNT).")
    daily_maximum: Money = strawberry.field(
        description="The most one shop may pay out per Jakarta day (PAYOUT_DAILY_MAX_AMOUNT)."
    )
    remaining_today: Money = strawberry.field(
        description="The daily maximum less today's PENDING and COMPLETED payouts."
    )

    @classmethod
    def of(cls, limits: Limits) -> PayoutLimits:
        return cls(
            minimum=Money(amount=limits.minimum),
            daily_maximum=Money(amount=limits.daily_maximum),
            remaining_today=Money(amount=limits.remaining_today),
        )


@strawberry.type(description="A shop's money on the marketplace (saldo penjual).")
class SellerBalance:
    available: Money = strawberry.field(description="What can be paid out now.")
    held: Money = strawberry.field(
        description="Over the paid orders not yet COMPLETED: their totals less refunds and fees."
    )
    pending_payouts: Money = strawberry.field(description="What PENDING payouts took.")
    payout_limits: PayoutLimits = strawberry.field(description="Minimum and daily maximum.")
    model: strawberry.Private[Balance]

    @classmethod
    def of(cls, found: Balance) -> SellerBalance:
        return cls(
            available=Money(amount=found.available),
            held=Money(amount=found.held),
            pending_payouts=Money(amount=found.pending_payouts),
            payout_limits=PayoutLimits.of(found.limits),
            model=found,
        )

    @strawberry.field(description="The orders `held` is made of, oldest first.")
    def releases(self, first: First = 50, after: After = None) -> Connection[BalanceRelease]:
        page = balance.releases_page(self.model.releases, first, after)
        return connection(page, _release)


def _release(release: Release) -> BalanceRelease:
    return BalanceRelease(order=Order.of(release.order), amount=Money(amount=release.amount))


@strawberry.type(description="One Jakarta month of a shop's statement, as signed files.")
class SellerStatementFile:
    period: str = strawberry.field(description="The month, YYYY-MM.")
    opening: Money = strawberry.field(description="The balance before its first movement.")
    closing: Money = strawberry.field(description="The balance after its last movement.")
    expires_at: datetime = strawberry.field(description="When the three URLs stop working.")
    link: strawberry.Private[statement.Link]

    @strawberry.field(description="CSV (UTF-8, `;`-separated, Indonesian amounts): signed URL.")
    def csv_url(self, info: Info) -> str:
        return info.context.absolute_url(self.link.url("csv"))

    @strawberry.field(description="The same columns as an xlsx workbook: a signed URL.")
    def xlsx_url(self, info: Info) -> str:
        return info.context.absolute_url(self.link.url("xlsx"))

    @strawberry.field(description="A PDF with the shop's name and NIB: a signed URL.")
    def pdf_url(self, info: Info) -> str:
        return info.context.absolute_url(self.link.url("pdf"))
