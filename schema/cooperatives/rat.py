"""The RAT (Rapat Anggota Tahunan) of a closed book year."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry
from strawberry.types import Info

from models import cooperatives as m
from resolvers.cooperatives import rat
from schema.platform import ERRORS, Money, Rupiah, UserError, decode_id, payload_of


@strawberry.type(description="The RAT held for a closed book year and its SHU decisions.")
class Rat:
    year: int = strawberry.field(description="The book year it was held for.")
    held_on: dt.date = strawberry.field(description="When it was held.")
    members_present: int = strawberry.field(description="Members who attended.")
    members_eligible: int = strawberry.field(
        description="The ACTIVE memberships on the day it was held."
    )
    shu_to_distribute: Money = strawberry.field(description="The SHU it decided to share.")
    reserve_percent: float = strawberry.field(description="The share to Cadangan.")
    capital_service_percent: float = strawberry.field(description="The share as jasa modal.")
    member_service_percent: float = strawberry.field(description="The share as jasa anggota.")
    recorded_at: dt.datetime = strawberry.field(description="When it was recorded.")

    @classmethod
    def of(cls, row: m.Rat) -> Rat:
        return cls(
            year=row.year,
            held_on=row.held_on,
            members_present=row.members_present,
            members_eligible=row.members_eligible,
            shu_to_distribute=Money(amount=row.shu_to_distribute),
            reserve_percent=row.reserve_bps / 100,
            capital_service_percent=row.capital_service_bps / 100,
            member_service_percent=row.member_service_bps / 100,
            recorded_at=row.recorded_at,
        )


@strawberry.input(description="What the RAT was and decided.")
class RatInput:
    held_on: dt.date = strawberry.field(description="After the year's end, not in the future.")
    members_present: int = strawberry.field(description="0 to the members eligible.")
    shu_to_distribute: Rupiah = strawberry.field(
        description="The SHU it decided to share: 0 to the closed year's surplus."
    )
    reserve_percent: float = strawberry.field(description="To Cadangan; two decimals.")
    capital_service_percent: float = strawberry.field(description="Jasa modal; two decimals.")
    member_service_percent: float = strawberry.field(
        description="Jasa anggota; two decimals; the three together at most 100."
    )
    notes: str | None = strawberry.field(default=None, description="At most 1000 characters.")


@strawberry.type(description="The answer to recordRat.")
class RatPayload:
    rat: Rat | None = strawberry.field(
        default=None, description="The RAT recorded; null when `errors` is not empty."
    )
    errors: list[UserError] = strawberry.field(default_factory=list, description=ERRORS)


@strawberry.type
class Mutation:
    @strawberry.mutation(
        description="A pengurus with the bookkeeping right: record that the RAT of a CLOSED "
        "year was held, once (again: DUPLICATE); distributeShu for that year then follows its "
        "decisions. Errors: NOT_FOUND, PERMISSION_DENIED, INVALID_STATE (year not closed), "
        "INVALID (date, attendance, shuToDistribute, percentages), DUPLICATE."
    )
    async def record_rat(
        self,
        info: Info,
        cooperative_id: Annotated[strawberry.ID, strawberry.argument(description="Whose RAT.")],
        year: Annotated[int, strawberry.argument(description="The closed book year.")],
        input: Annotated[RatInput, strawberry.argument(description="The RAT.")],
    ) -> RatPayload:
        async def work() -> m.Rat:
            return await rat.record_rat(
                info.context.viewer,
                decode_id(cooperative_id, "Cooperative", "cooperativeId"),
                year,
                rat.RatInput(
                    held_on=input.held_on,
                    members_present=input.members_present,
                    shu_to_distribute=input.shu_to_distribute,
                    reserve_percent=input.reserve_percent,
                    capital_service_percent=input.capital_service_percent,
                    member_service_percent=input.member_service_percent,
                    notes=input.notes,
                ),
            )

        return await payload_of(RatPayload, work, lambda r: RatPayload(rat=Rat.of(r)))
