"""SHU (sisa hasil usaha): the preview of a closed year's split, and its distribution."""

from __future__ import annotations

from typing import Annotated

import strawberry
from graphql import GraphQLError
from strawberry.types import Info

from models import shu as m
from resolvers.platform import NotFound, TopLevelCode
from resolvers.platform import UserError as UserFailure
from resolvers.shu import AllocationFund, PayoutTarget, pay_shu_payable, use_allocation_fund
from resolvers.shu import books as shu_books
from schema.cooperatives import Membership
from schema.platform import (
    ERRORS,
    IdempotencyKey,
    Money,
    Rupiah,
    UserError,
    decode_id,
    described_enum,
    payload_of,
)

ShuPayoutTarget = described_enum(
    PayoutTarget,
    "Where a payable SHU share is paid.",
    {
        "CASH": "In cash from Kas dan Bank.",
        "SUKARELA": "Into the member's SUKARELA (while it is open).",
    },
    name="ShuPayoutTarget",
)
ShuAllocationFund = described_enum(
    AllocationFund,
    "An SHU allocation fund, paid out of Dana Alokasi SHU.",
    {
        "PENGURUS": "Dana pengurus (and pengawas).",
        "PENDIDIKAN": "Dana pendidikan.",
        "SOSIAL": "Dana sosial.",
        "PEMBANGUNAN_DAERAH_KERJA": "Dana pembangunan daerah kerja.",
    },
    name="ShuAllocationFund",
)
ShuDestination = described_enum(
    m.ShuDestination,
    "Where a member's share goes: their SUKARELA, or Utang SHU Anggota (a payable) for a "
    "member whose membership has ended.",
    {
        "SUKARELA": "Credited to the member's simpanan sukarela.",
        "PAYABLE": "Owed to a member who has left, on Utang SHU Anggota.",
    },
    name="ShuDestination",
)

COOPERATIVE_ID = Annotated[strawberry.ID, strawberry.argument(description="The Cooperative's id.")]
YEAR = Annotated[
    int,
    strawberry.argument(description="A closed book year: before the current Jakarta year."),
]
SPLIT = Annotated["ShuInput", strawberry.argument(description="The RAT's split.")]


@strawberry.input(description="Percentages with at most two decimals; together at most 100.")
class ShuInput:
    surplus: Rupiah = strawberry.field(
        description="The SHU to share, as the RAT decided; at most the books' surplus."
    )
    reserve_percent: float = strawberry.field(description="To Cadangan.")
    capital_service_percent: float = strawberry.field(
        description="Jasa modal: shared by average monthly POKOK + WAJIB balance."
    )
    member_service_percent: float = strawberry.field(
        description="Jasa anggota: shared by loan interest paid plus purchases from the "
        "cooperative's shops in the year."
    )

    def given(self) -> shu_books.ShuInput:
        return shu_books.ShuInput(
            self.surplus,
            self.reserve_percent,
            self.capital_service_percent,
            self.member_service_percent,
        )


@strawberry.type(description="One member's SHU for the year and the figures behind it.")
class ShuMemberShare:
    membership: Membership = strawberry.field(description="The member's membership.")
    destination: ShuDestination = strawberry.field(description="Where the share goes.")
    average_capital: Money = strawberry.field(
        description="The average of the year's twelve month-end POKOK + WAJIB balances, "
        "rounded down to the rupiah (the share uses it exactly)."
    )
    business: Money = strawberry.field(
        description="Loan interest paid plus paid purchases from the cooperative's shops."
    )
    capital_share: Money = strawberry.field(description="Their part of the jasa modal pool.")
    service_share: Money = strawberry.field(description="Their part of the jasa anggota pool.")
    total: Money = strawberry.field(description="capitalShare + serviceShare.")

    @classmethod
    def of(cls, member: shu_books.MemberPreview) -> ShuMemberShare:
        share, capital = member.share, member.figures.capital
        return cls(
            membership=Membership.of(member.membership),
            destination=share.destination,
            average_capital=Money(amount=capital.numerator // capital.denominator),
            business=Money(amount=member.figures.business),
            capital_share=Money(amount=share.capital_share),
            service_share=Money(amount=share.service_share),
            total=Money(amount=share.total),
        )


@strawberry.type(
    description="A closed year's SHU split, as `distributeShu` would post it; nothing is "
    "written. Pools and shares are whole rupiah by the largest-remainder method."
)
class ShuPreview:
    year: int = strawberry.field(description="The book year.")
    books_surplus: Money = strawberry.field(
        description="The year's income less expenses as the books have it (Jakarta time), "
        "for the RAT to check `surplus` against."
    )
    surplus: Money = strawberry.field(description="The SHU shared, as given.")
    reserve: Money = strawberry.field(description="To Cadangan.")
    capital_service_pool: Money = strawberry.field(description="Jasa modal, to members.")
    member_service_pool: Money = strawberry.field(description="Jasa anggota, to members.")
    allocations_payable: Money = strawberry.field(
        description="The rest, to Dana Alokasi SHU (dana pengurus, pendidikan, sosial, "
        "pembangunan daerah kerja by the AD/ART), with any pool nobody has a share in."
    )
    members: list[ShuMemberShare] = strawberry.field(description="By member number.")

    @classmethod
    def of(cls, preview: shu_books.ShuPreview) -> ShuPreview:
        split = preview.split
        return cls(
            year=preview.year,
            books_surplus=Money(amount=preview.books_surplus),
            surplus=Money(amount=split.surplus),
            reserve=Money(amount=split.reserve),
            capital_service_pool=Money(amount=split.capital_service_pool),
            member_service_pool=Money(amount=split.member_service_pool),
            allocations_payable=Money(amount=split.allocations_payable),
            members=[ShuMemberShare.of(member) for member in preview.members],
        )


@strawberry.type(description="The answer to distributeShu.")
class DistributeShuPayload:
    distributed: Money | None = strawberry.field(
        default=None, description="What went to members: SUKARELA credits and payables."
    )
    errors: list[UserError] = strawberry.field(default_factory=list, description=ERRORS)


@strawberry.type(description="The answer to useShuAllocationFund.")
class ShuFundPayload:
    left: Money | None = strawberry.field(
        default=None,
        description="Dana Alokasi SHU's balance after the use; null when `errors` is not empty.",
    )
    errors: list[UserError] = strawberry.field(default_factory=list, description=ERRORS)


@strawberry.type(description="The answer to payShuPayable.")
class ShuPayoutPayload:
    paid: Money | None = strawberry.field(
        default=None, description="What was paid; null when `errors` is not empty."
    )
    errors: list[UserError] = strawberry.field(default_factory=list, description=ERRORS)


def _bad_input(error: UserFailure) -> GraphQLError:
    """A query has no `errors` field: its UserErrors go in a top-level error's extensions."""
    return GraphQLError(
        error.problems[0].message,
        extensions={
            "code": TopLevelCode.BAD_USER_INPUT.value,
            "errors": [
                {"field": p.field, "code": p.code.value, "message": p.message}
                for p in error.problems
            ],
        },
    )


@strawberry.type
class Query:
    @strawberry.field(
        description="A closed year's SHU split, for the cooperative's pengurus only (a "
        "FORBIDDEN error for others, NOT_FOUND for an unknown cooperative). Bad input (an open "
        "year, percentages over 100, a surplus above the books') is a top-level "
        "BAD_USER_INPUT error whose `extensions.errors` lists `{field code message}` as a "
        "mutation's `errors` would."
    )
    async def shu_preview(
        self, info: Info, cooperative_id: COOPERATIVE_ID, year: YEAR, input: SPLIT
    ) -> ShuPreview:
        try:
            cooperative = decode_id(cooperative_id, "Cooperative", "cooperativeId")
        except UserFailure:
            raise NotFound() from None
        try:
            preview = await shu_books.shu_preview(
                info.context.viewer, cooperative, year, input.given()
            )
        except UserFailure as error:
            raise _bad_input(error) from None
        return ShuPreview.of(preview)


@strawberry.type
class Mutation:
    @strawberry.mutation(
        description="A pengurus records a cash use of an SHU allocation fund (its own SHU "
        "entry naming the fund: Dr Dana Alokasi SHU, Cr Kas dan Bank), at most what Dana "
        "Alokasi SHU holds (also when uses race). Errors: UNAUTHENTICATED, NOT_FOUND, "
        "PERMISSION_DENIED, INVALID (amount), REQUIRED (note), INSUFFICIENT_BALANCE, "
        "DUPLICATE (idempotencyKey)."
    )
    async def use_shu_allocation_fund(
        self,
        info: Info,
        cooperative_id: COOPERATIVE_ID,
        fund: Annotated[ShuAllocationFund, strawberry.argument(description="Which fund.")],
        amount: Annotated[Rupiah, strawberry.argument(description="Paid out; above 0.")],
        note: Annotated[str, strawberry.argument(description="What it was used for.")],
        idempotency_key: IdempotencyKey = None,
    ) -> ShuFundPayload:
        return await payload_of(
            ShuFundPayload,
            lambda: use_allocation_fund(
                info.context.viewer,
                decode_id(cooperative_id, "Cooperative", "cooperativeId"),
                AllocationFund(fund),
                amount,
                note,
                info.context.services.events,
                idempotency_key,
            ),
            lambda left: ShuFundPayload(left=Money(amount=left)),
        )

    @strawberry.mutation(
        description="A pengurus pays out a member's PAYABLE SHU share of `year` (one who had "
        "left when it was distributed), clearing Utang SHU Anggota: in cash (Cr Kas dan Bank) "
        "or into their SUKARELA; once (again, also racing: INVALID_STATE). Errors: "
        "UNAUTHENTICATED, NOT_FOUND (a membership the caller may not see, no payable share), "
        "PERMISSION_DENIED, INVALID_STATE (paid already, a closed SUKARELA), DUPLICATE "
        "(idempotencyKey)."
    )
    async def pay_shu_payable(
        self,
        info: Info,
        membership_id: Annotated[
            strawberry.ID, strawberry.argument(description="The Membership's id.")
        ],
        year: YEAR,
        to: Annotated[ShuPayoutTarget, strawberry.argument(description="Cash or SUKARELA.")],
        idempotency_key: IdempotencyKey = None,
    ) -> ShuPayoutPayload:
        return await payload_of(
            ShuPayoutPayload,
            lambda: pay_shu_payable(
                info.context.viewer,
                decode_id(membership_id, "Membership", "membershipId"),
                year,
                PayoutTarget(to),
                info.context.services.events,
                idempotency_key,
            ),
            lambda paid: ShuPayoutPayload(paid=Money(amount=paid)),
        )

    @strawberry.mutation(
        description="A pengurus: posts the preview's split of a closed year, once per year "
        "(INVALID_STATE after), crediting each staying member's SUKARELA. Errors: "
        "UNAUTHENTICATED, PERMISSION_DENIED, INVALID_STATE (an open year, distributed "
        "already), INVALID (the split), DUPLICATE (idempotencyKey)."
    )
    async def distribute_shu(
        self,
        info: Info,
        cooperative_id: COOPERATIVE_ID,
        year: YEAR,
        input: SPLIT,
        idempotency_key: IdempotencyKey = None,
    ) -> DistributeShuPayload:
        return await payload_of(
            DistributeShuPayload,
            lambda: shu_books.distribute_shu(
                info.context.viewer,
                decode_id(cooperative_id, "Cooperative", "cooperativeId"),
                year,
                input.given(),
                info.context.services.events,
                idempotency_key,
            ),
            lambda done: DistributeShuPayload(distributed=Money(amount=done.distributed)),
        )
