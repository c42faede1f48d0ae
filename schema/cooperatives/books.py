"""The cooperative's books as this branch needs them: a journal entry's id and date, and the
month's allowance for bad loans (PostLoanLossAllowance)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import strawberry
from strawberry.types import Info

from models import cooperatives as m
from resolvers.loans import allowance
from resolvers.platform import JAKARTA
from schema.loans import Kolektibilitas
from schema.platform import ERRORS, Money, UserError, decode_id, encode_id, payload_of


@strawberry.type(description="One balanced entry of the cooperative's journal.")
class JournalEntry:
    id: strawberry.ID = strawberry.field(description="Its global id.")
    date: date = strawberry.field(description="Its business date (Asia/Jakarta).")

    @classmethod
    def of(cls, entry: m.JournalEntry) -> JournalEntry:
        return cls(
            id=strawberry.ID(encode_id("JournalEntry", entry.id)),
            date=entry.created_at.astimezone(JAKARTA).date(),
        )


@strawberry.type(description="One kolektibilitas band of a month's allowance for bad loans.")
class LoanLossAllowanceBand:
    kolektibilitas: Kolektibilitas = strawberry.field(description="The band.")
    rate_bps: int = strawberry.field(
        description="Its rate, in basis points of the principal outstanding (the cooperative's "
        "loan policy `allowanceRatesBps`)."
    )
    outstanding: Money = strawberry.field(
        description="The principal outstanding of its ACTIVE loans not written off."
    )
    required: Money = strawberry.field(
        description="The allowance it needs: each loan's outstanding times the rate, rounded "
        "to the nearest rupiah, added up."
    )


@strawberry.type(
    description="A month's allowance for bad loans (penyisihan piutang tak tertagih): what the "
    "loans require, the Penyisihan balance before the posting, and what was posted."
)
class LoanLossAllowance:
    period: str = strawberry.field(description="The month, YYYY-MM.")
    required: Money = strawberry.field(description="The total the bands require.")
    previous_balance: Money = strawberry.field(
        description="The Penyisihan's balance before this posting (as a positive amount)."
    )
    posted: Money = strawberry.field(
        description="required - previousBalance: posted now (negative: a release); 0 posts "
        "no entry."
    )
    bands: list[LoanLossAllowanceBand] = strawberry.field(
        description="Each kolektibilitas band, 1 to 5."
    )
    entry: JournalEntry | None = strawberry.field(
        description="The ALLOWANCE entry, dated the month's last day (or today, for the "
        "running month); null when nothing was posted."
    )

    @classmethod
    def of(cls, found: allowance.Allowance) -> LoanLossAllowance:
        return cls(
            period=found.period,
            required=Money(amount=found.required),
            previous_balance=Money(amount=found.previous_balance),
            posted=Money(amount=found.posted),
            bands=[
                LoanLossAllowanceBand(
                    kolektibilitas=Kolektibilitas.of(b.kolektibilitas),
                    rate_bps=b.rate_bps,
                    outstanding=Money(amount=b.outstanding),
                    required=Money(amount=b.required),
                )
                for b in found.bands
            ],
            entry=JournalEntry.of(found.entry) if found.entry else None,
        )


@strawberry.type(description="The answer to postLoanLossAllowance.")
class LoanLossAllowancePayload:
    loan_loss_allowance: LoanLossAllowance | None = strawberry.field(
        default=None, description="The month's allowance; null when `errors` is not empty."
    )
    errors: list[UserError] = strawberry.field(default_factory=list, description=ERRORS)


@strawberry.type
class Mutation:
    @strawberry.mutation(
        description="A pengurus posts the allowance for bad loans of `period` (YYYY-MM, not "
        "after the running month): each ACTIVE loan not written off, its principal "
        "outstanding at the month's last day (or today) times its kolektibilitas band's rate; "
        "what is posted is that total less the Penyisihan balance before it (Dr Beban "
        "Penyisihan Piutang, Cr Penyisihan Piutang Tak Tertagih; a release when negative). "
        "Posting a month again, also racing, posts only what changed since. The month-end "
        "sweep posts the month just ended. Errors: UNAUTHENTICATED, NOT_FOUND, "
        "PERMISSION_DENIED, INVALID (period)."
    )
    async def post_loan_loss_allowance(
        self,
        info: Info,
        cooperative_id: Annotated[
            strawberry.ID, strawberry.argument(description="The Cooperative's id.")
        ],
        period: Annotated[str, strawberry.argument(description="The month, YYYY-MM.")],
    ) -> LoanLossAllowancePayload:
        return await payload_of(
            LoanLossAllowancePayload,
            lambda: allowance.post_loan_loss_allowance(
                info.context.viewer,
                decode_id(cooperative_id, "Cooperative", "cooperativeId"),
                period,
                info.context.services.events,
            ),
            lambda found: LoanLossAllowancePayload(loan_loss_allowance=LoanLossAllowance.of(found)),
        )
