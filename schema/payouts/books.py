"""The platform's books (CITY_ADMIN only), the clearing with each cooperative as either side
keeps it, and the settlements that clear it."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry
from strawberry import relay
from strawberry.types import Info
from tortoise.expressions import Q, Subquery

from models import payouts as m
from models.cooperatives import AccountKind, CooperativeAdmin
from models.platform import User
from resolvers.orders import platform_books
from resolvers.payouts import settlements
from resolvers.platform import Forbidden, visibility
from schema.cooperatives import Cooperative, viewer_facts
from schema.cooperatives.savings import LedgerAccountKind
from schema.platform import (
    ERRORS,
    After,
    Connection,
    First,
    Money,
    Rupiah,
    UserError,
    Visible,
    connection,
    decode_id,
    described_enum,
    payload_of,
)

SettlementDirection = described_enum(
    m.SettlementDirection,
    "Which way a settlement's bank transfer went.",
    {
        "COOPERATIVE_TO_PLATFORM": "The cooperative paid what it owed the platform.",
        "PLATFORM_TO_COOPERATIVE": "The platform paid what it owed the cooperative.",
    },
)


def _books_readers(viewer: User | None) -> Q | None:
    if viewer is None:
        return None
    if viewer.is_city_admin:
        return Q()
    administered = CooperativeAdmin.filter(user_id=viewer.id).values("cooperative_id")
    return Q(cooperative_id__in=Subquery(administered))


visibility.register("CooperativeSettlement", m.CooperativeSettlement, _books_readers)


def _money(amount: int) -> Money:
    return Money(amount=amount)


@strawberry.type(description="One account of the platform's chart with its totals.")
class PlatformAccountBalance:
    code: str = strawberry.field(description="The account's code.")
    name: str = strawberry.field(description="Its name, e.g. Dana Titipan Pembeli.")
    kind: LedgerAccountKind = strawberry.field(description="Its class.")
    debit: Money = strawberry.field(description="Every debit on it.")
    credit: Money = strawberry.field(description="Every credit on it.")
    balance: Money = strawberry.field(description="On the account's normal side.")


@strawberry.type(description="The clearing between the platform and one cooperative.")
class PlatformClearing:
    owed_to_platform: Money = strawberry.field(
        description="What the cooperative owes the platform."
    )
    owed_by_platform: Money = strawberry.field(
        description="What the platform owes the cooperative."
    )
    net: Money = strawberry.field(description="The first less the second.")
    cooperative_id: strawberry.Private[int]

    @classmethod
    def of(cls, found: platform_books.Clearing) -> PlatformClearing:
        return cls(
            owed_to_platform=_money(found.owed_to_platform),
            owed_by_platform=_money(found.owed_by_platform),
            net=_money(found.net),
            cooperative_id=found.cooperative_id,
        )

    @strawberry.field(description="The cooperative.")
    async def cooperative(self, info: Info) -> Cooperative:
        found = await info.context.loaders.cooperative.load(self.cooperative_id)
        return Cooperative.of(found)


@strawberry.type(description="The platform's trial balance, from its own journal.")
class PlatformBooks:
    accounts: list[PlatformAccountBalance] = strawberry.field(description="Its chart.")
    total_debit: Money = strawberry.field(description="Every debit.")
    total_credit: Money = strawberry.field(description="Every credit; equals totalDebit.")
    balanced: bool = strawberry.field(description="Whether the two totals are equal.")
    cooperatives: list[PlatformClearing] = strawberry.field(
        description="The platform's side of the clearing with every cooperative it has had a "
        "movement with, oldest first."
    )


@strawberry.type(description="A recorded bank transfer between a cooperative and the platform.")
class CooperativeSettlement(Visible, relay.Node):
    id: relay.NodeID[int]
    direction: SettlementDirection = strawberry.field(description="Which way it went.")
    transfer_reference: str = strawberry.field(description="The bank's transfer reference.")
    date: dt.date = strawberry.field(description="The day of the transfer (Jakarta).")
    created_at: dt.datetime = strawberry.field(description="When it was recorded.")
    amount: Money = strawberry.field(description="What was transferred.")
    model: strawberry.Private[m.CooperativeSettlement]

    @classmethod
    def of(cls, row: m.CooperativeSettlement) -> CooperativeSettlement:
        return cls(
            id=row.id,
            direction=m.SettlementDirection(row.direction),
            transfer_reference=row.transfer_reference,
            date=row.date,
            created_at=row.created_at,
            amount=_money(row.amount),
            model=row,
        )

    @strawberry.field(description="The cooperative.")
    async def cooperative(self, info: Info) -> Cooperative:
        found = await info.context.loaders.cooperative.load(self.model.cooperative_id)
        return Cooperative.of(found)


@strawberry.type(description="A cooperative's side of its clearing, from its own books.")
class CooperativePlatformClearing(PlatformClearing):
    @strawberry.field(description="The settlements recorded for it, newest first.")
    async def settlements(
        self, first: First = 20, after: After = None
    ) -> Connection[CooperativeSettlement]:
        page = await settlements.settlements_page(self.cooperative_id, first=first, after=after)
        return connection(page, CooperativeSettlement.of)


async def platform_clearing(info: Info, cooperative_id: int) -> CooperativePlatformClearing | None:
    """The pengurus or CITY_ADMIN; null for anyone else."""
    facts = await viewer_facts(info)
    if not (facts.is_city_admin or cooperative_id in facts.administered):
        return None
    found = await settlements.cooperative_side(cooperative_id)
    return CooperativePlatformClearing(
        owed_to_platform=_money(found.owed_to_platform),
        owed_by_platform=_money(found.owed_by_platform),
        net=_money(found.net),
        cooperative_id=cooperative_id,
    )


@strawberry.input(description="A real bank transfer between a cooperative and the platform.")
class RecordCooperativeSettlementInput:
    cooperative_id: strawberry.ID = strawberry.field(description="The Cooperative's id.")
    direction: SettlementDirection = strawberry.field(description="Which way it went.")
    amount: Rupiah = strawberry.field(description="1 up to what is owed that way (INVALID).")
    transfer_reference: str = strawberry.field(
        description="The bank's reference: up to 100 characters, once per cooperative."
    )
    date: dt.date = strawberry.field(description="The day of the transfer, not after today.")


@strawberry.type(description="The answer to recordCooperativeSettlement.")
class RecordCooperativeSettlementPayload:
    settlement: CooperativeSettlement | None = strawberry.field(
        default=None, description="The settlement; null when `errors` is not empty."
    )
    clearing: PlatformClearing | None = strawberry.field(
        default=None, description="The cooperative's clearing after it."
    )
    errors: list[UserError] = strawberry.field(default_factory=list, description=ERRORS)


@strawberry.type
class Query:
    @strawberry.field(
        description="CITY_ADMIN only (anyone else: a top-level FORBIDDEN error): the "
        "platform's trial balance and its clearing with every cooperative."
    )
    async def platform_books(self, info: Info) -> PlatformBooks | None:
        viewer = info.context.viewer
        if viewer is None or not viewer.is_city_admin:
            raise Forbidden("Hanya Dinas yang boleh melihat pembukuan platform.")
        totals = await platform_books.trial_balance()
        debit = sum(t.debit for t in totals)
        credit = sum(t.credit for t in totals)
        return PlatformBooks(
            accounts=[
                PlatformAccountBalance(
                    code=t.account.code,
                    name=t.account.name,
                    kind=AccountKind(t.account.kind),
                    debit=_money(t.debit),
                    credit=_money(t.credit),
                    balance=_money(t.balance),
                )
                for t in totals
            ],
            total_debit=_money(debit),
            total_credit=_money(credit),
            balanced=debit == credit,
            cooperatives=[PlatformClearing.of(c) for c in await platform_books.clearings()],
        )


@strawberry.type
class Mutation:
    @strawberry.mutation(
        description="CITY_ADMIN records a real bank transfer between a cooperative and the "
        "platform, in both books at once. Errors: UNAUTHENTICATED, PERMISSION_DENIED, "
        "NOT_FOUND, REQUIRED, INVALID, DUPLICATE, INVALID_STATE."
    )
    async def record_cooperative_settlement(
        self,
        info: Info,
        input: Annotated[
            RecordCooperativeSettlementInput, strawberry.argument(description="The transfer.")
        ],
    ) -> RecordCooperativeSettlementPayload:
        async def work() -> tuple[m.CooperativeSettlement, platform_books.Clearing]:
            settlement = await settlements.record_settlement(
                info.context.viewer,
                decode_id(input.cooperative_id, "Cooperative", "cooperativeId"),
                m.SettlementDirection(input.direction),
                input.amount,
                input.transfer_reference,
                input.date,
                info.context.services.events,
            )
            return settlement, await settlements.cooperative_side(settlement.cooperative_id)

        return await payload_of(
            RecordCooperativeSettlementPayload,
            work,
            lambda done: RecordCooperativeSettlementPayload(
                settlement=CooperativeSettlement.of(done[0]),
                clearing=PlatformClearing.of(done[1]),
            ),
        )
