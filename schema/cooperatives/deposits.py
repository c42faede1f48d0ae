"""Simpanan berjangka (time deposits): products, deposits and their mutations."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

import strawberry
from strawberry import relay
from strawberry.types import Info

from models import cooperatives as m
from resolvers.cooperatives import deposits
from resolvers.cooperatives.deposits import NewDeposit, NewProduct
from schema.platform import (
    ERRORS,
    Money,
    Rupiah,
    UserError,
    Visible,
    decode_id,
    described_enum,
    payload_of,
)

TimeDepositInterestPayout = described_enum(
    m.TimeDepositInterestPayout,
    "When a time deposit's net interest is paid.",
    {
        "MONTHLY": "On each monthly anniversary, to SUKARELA.",
        "AT_MATURITY": "Kept on the deposit and paid (or rolled over) at maturity.",
    },
    name="TimeDepositInterestPayout",
)
TimeDepositMaturity = described_enum(
    m.TimeDepositMaturity,
    "What happens to a time deposit on its maturity date, as the member chose.",
    {
        "ROLL_OVER": "Automatic roll-over (ARO): a new deposit of the same product for the "
        "principal plus the net interest not yet paid.",
        "PAY_OUT": "The principal and the net interest not yet paid go to SUKARELA.",
    },
    name="TimeDepositMaturity",
)
TimeDepositStatus = described_enum(
    m.TimeDepositStatus,
    "Where a time deposit is.",
    {
        "ACTIVE": "Open, earning interest.",
        "WITHDRAWN_EARLY": "Withdrawn before its maturity date, less the penalty.",
        "PAID_OUT": "Matured and paid to SUKARELA.",
        "ROLLED_OVER": "Matured and rolled over into a new deposit (rolledOverTo).",
    },
    name="TimeDepositStatus",
)


@strawberry.type(
    description="A cooperative's simpanan berjangka product; public. Its terms never change."
)
class TimeDepositProduct(Visible, relay.Node):
    id: relay.NodeID[int]
    name: str = strawberry.field(description="Its name.")
    term_months: int = strawberry.field(description="The term: 1, 3, 6 or 12 months.")
    annual_rate_bps: int = strawberry.field(
        description="The yearly interest rate in basis points (100 = 1% a year)."
    )
    early_withdrawal_penalty_bps: int = strawberry.field(
        description="The share of the principal an early withdrawal keeps, in basis points."
    )
    interest_payout: TimeDepositInterestPayout = strawberry.field(
        description="When the net interest is paid."
    )
    minimum: Money = strawberry.field(description="The smallest amount a deposit may open with.")

    @classmethod
    def of(cls, row: m.TimeDepositProduct) -> TimeDepositProduct:
        return cls(
            id=row.id,
            name=row.name,
            term_months=row.term_months,
            annual_rate_bps=row.annual_rate_bps,
            early_withdrawal_penalty_bps=row.early_withdrawal_penalty_bps,
            interest_payout=m.TimeDepositInterestPayout(row.interest_payout),
            minimum=Money(amount=row.minimum),
        )


@strawberry.type(
    description="A member's time deposit (simpanan berjangka): seen by the member and the "
    "cooperative's pengurus only. Its terms are the product's of the day it opened."
)
class TimeDeposit(Visible, relay.Node):
    id: relay.NodeID[int]
    status: TimeDepositStatus = strawberry.field(description="Where it is.")
    term_months: int = strawberry.field(description="The term in months.")
    annual_rate_bps: int = strawberry.field(description="The yearly rate in basis points.")
    interest_payout: TimeDepositInterestPayout = strawberry.field(
        description="When the net interest is paid."
    )
    maturity_instruction: TimeDepositMaturity = strawberry.field(
        description="Roll over or pay out at maturity, as the member chose."
    )
    opened_at: datetime = strawberry.field(description="When it was opened.")
    start_date: date = strawberry.field(description="The day it started (Asia/Jakarta).")
    maturity_date: date = strawberry.field(
        description="termMonths calendar months after startDate (a shorter month: its last day)."
    )
    closed_at: datetime | None = strawberry.field(description="When it closed; null while ACTIVE.")
    model: strawberry.Private[m.TimeDeposit]

    @classmethod
    def of(cls, row: m.TimeDeposit) -> TimeDeposit:
        return cls(
            id=row.id,
            status=m.TimeDepositStatus(row.status),
            term_months=row.term_months,
            annual_rate_bps=row.annual_rate_bps,
            interest_payout=m.TimeDepositInterestPayout(row.interest_payout),
            maturity_instruction=m.TimeDepositMaturity(row.maturity_instruction),
            opened_at=row.opened_at,
            start_date=row.start_date,
            maturity_date=row.maturity_date,
            closed_at=row.closed_at,
            model=row,
        )

    @strawberry.field(description="The product it was opened in.")
    async def product(self) -> TimeDepositProduct:
        return TimeDepositProduct.of(await m.TimeDepositProduct.get(id=self.model.product_id))

    @strawberry.field(description="The principal.")
    def principal(self) -> Money:
        return Money(amount=self.model.principal)

    @strawberry.field(description="The gross interest accrued and not yet paid.")
    def accrued_interest(self) -> Money:
        return Money(amount=self.model.accrued_interest)

    @strawberry.field(description="The net interest credited to SUKARELA so far.")
    def interest_paid(self) -> Money:
        return Money(amount=self.model.interest_paid)

    @strawberry.field(
        description="The final income tax withheld from its interest so far (owed to the tax "
        "office)."
    )
    def tax_withheld(self) -> Money:
        return Money(amount=self.model.tax_withheld)

    @strawberry.field(description="What an early withdrawal today would keep; Rp0 once closed.")
    def early_withdrawal_penalty(self) -> Money:
        active = self.model.status == m.TimeDepositStatus.ACTIVE
        return Money(amount=deposits.penalty_of(self.model) if active else 0)

    @strawberry.field(
        description="What closing it paid (to SUKARELA or into the rolled-over deposit); null "
        "while ACTIVE."
    )
    def closing_amount(self) -> Money | None:
        found = self.model.closing_amount
        return None if found is None else Money(amount=found)

    @strawberry.field(description="The deposit it was rolled over into; else null.")
    async def rolled_over_to(self) -> TimeDeposit | None:
        found = self.model.rolled_over_to_id
        return None if found is None else TimeDeposit.of(await m.TimeDeposit.get(id=found))


@strawberry.input(description="A new simpanan berjangka product of a cooperative.")
class CreateTimeDepositProductInput:
    cooperative_id: strawberry.ID = strawberry.field(description="The Cooperative.")
    name: str = strawberry.field(description="Its name, at most 80 characters.")
    term_months: int = strawberry.field(description="1, 3, 6 or 12.")
    annual_rate_bps: int = strawberry.field(description="1 to 2 400 (0.01% to 24% a year).")
    minimum: Rupiah = strawberry.field(description="At least Rp1.")
    early_withdrawal_penalty_bps: int = strawberry.field(
        description="0 to 2 000: the share of the principal an early withdrawal keeps."
    )
    interest_payout: TimeDepositInterestPayout = strawberry.field(
        description="MONTHLY or AT_MATURITY."
    )


@strawberry.input(description="A time deposit to open.")
class OpenTimeDepositInput:
    membership_id: strawberry.ID = strawberry.field(description="The ACTIVE Membership.")
    product_id: strawberry.ID = strawberry.field(
        description="A TimeDepositProduct of its cooperative."
    )
    amount: Rupiah = strawberry.field(description="At least the product's minimum.")
    maturity_instruction: TimeDepositMaturity = strawberry.field(
        description="Roll over or pay out at maturity."
    )
    from_savings: bool = strawberry.field(
        default=True,
        description="True (the default): from the member's SUKARELA, by the member; false: "
        "in cash, by a pengurus as teller for another member.",
    )
    idempotency_key: str | None = strawberry.field(
        default=None,
        description="Any string up to 100 characters, new for each deposit; the same key from "
        "the same caller returns the first result and opens nothing again.",
    )


@strawberry.type(description="The answer to createTimeDepositProduct.")
class TimeDepositProductPayload:
    time_deposit_product: TimeDepositProduct | None = strawberry.field(
        default=None, description="The product; null when `errors` is not empty."
    )
    errors: list[UserError] = strawberry.field(default_factory=list, description=ERRORS)


@strawberry.type(description="The answer to openTimeDeposit and withdrawTimeDepositEarly.")
class TimeDepositPayload:
    time_deposit: TimeDeposit | None = strawberry.field(
        default=None, description="The deposit; null when `errors` is not empty."
    )
    errors: list[UserError] = strawberry.field(default_factory=list, description=ERRORS)


def _deposit_payload(row: m.TimeDeposit) -> TimeDepositPayload:
    return TimeDepositPayload(time_deposit=TimeDeposit.of(row))


@strawberry.type
class Mutation:
    @strawberry.mutation(
        description="Its pengurus: a new simpanan berjangka product. Errors: UNAUTHENTICATED, "
        "NOT_FOUND (cooperative), PERMISSION_DENIED, REQUIRED (name), INVALID (the field)."
    )
    async def create_time_deposit_product(
        self,
        info: Info,
        input: Annotated[
            CreateTimeDepositProductInput,
            strawberry.argument(description="The product: its cooperative, term, rate, minimum."),
        ],
    ) -> TimeDepositProductPayload:
        async def work() -> m.TimeDepositProduct:
            given = NewProduct(
                cooperative_id=decode_id(input.cooperative_id, "Cooperative", "cooperativeId"),
                name=input.name,
                term_months=input.term_months,
                annual_rate_bps=input.annual_rate_bps,
                minimum=input.minimum,
                early_withdrawal_penalty_bps=input.early_withdrawal_penalty_bps,
                interest_payout=m.TimeDepositInterestPayout(input.interest_payout),
            )
            return await deposits.create_product(info.context.viewer, given)

        return await payload_of(
            TimeDepositProductPayload,
            work,
            lambda row: TimeDepositProductPayload(time_deposit_product=TimeDepositProduct.of(row)),
        )

    @strawberry.mutation(
        description="Opens a time deposit from SUKARELA (the member) or in cash (a pengurus as "
        "teller): one balanced entry, Cr Simpanan Berjangka. Errors: UNAUTHENTICATED, "
        "NOT_FOUND, PERMISSION_DENIED, INVALID_STATE (membership not active), INVALID "
        "(amount below the minimum), INSUFFICIENT_BALANCE, DUPLICATE (idempotencyKey)."
    )
    async def open_time_deposit(
        self,
        info: Info,
        input: Annotated[
            OpenTimeDepositInput,
            strawberry.argument(description="The membership, product, amount and choices."),
        ],
    ) -> TimeDepositPayload:
        async def work() -> m.TimeDeposit:
            given = NewDeposit(
                membership_id=decode_id(input.membership_id, "Membership", "membershipId"),
                product_id=decode_id(input.product_id, "TimeDepositProduct", "productId"),
                amount=input.amount,
                maturity_instruction=m.TimeDepositMaturity(input.maturity_instruction),
                from_savings=input.from_savings,
            )
            return await deposits.open_deposit(
                info.context.viewer, given, info.context.services.events, input.idempotency_key
            )

        return await payload_of(TimeDepositPayload, work, _deposit_payload)

    @strawberry.mutation(
        description="The member or a pengurus, while ACTIVE and before the maturity date: the "
        "principal less the product's penalty to SUKARELA; interest accrued and not yet paid is "
        "forfeited. Exactly once. Errors: UNAUTHENTICATED, NOT_FOUND, INVALID_STATE."
    )
    async def withdraw_time_deposit_early(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="The TimeDeposit.")],
    ) -> TimeDepositPayload:
        return await payload_of(
            TimeDepositPayload,
            lambda: deposits.withdraw_early(
                info.context.viewer,
                decode_id(id, "TimeDeposit", "id"),
                info.context.services.events,
            ),
            _deposit_payload,
        )
