"""Payouts: the banks, account checks, a shop's payout destinations, its payouts and the
statement's movements; each a Node its shop's owner (or, for a check, its maker) sees."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry
from strawberry import relay
from strawberry.types import Info

from models import payouts as m
from resolvers.payouts import balance as balances
from resolvers.payouts import destinations, withdrawals
from resolvers.platform import rows_by_ids
from schema.cooperatives import Membership
from schema.orders import Order
from schema.payouts.balance import SellerBalance
from schema.platform import (
    ERRORS,
    Money,
    OkPayload,
    Rupiah,
    UserError,
    Visible,
    decode_id,
    described_enum,
    payload_of,
)

PayoutStatus = described_enum(
    m.PayoutStatus,
    "Where a payout stands.",
    {
        "PENDING": "Requested, not yet confirmed by the payout provider.",
        "COMPLETED": "Paid into the destination.",
        "FAILED": "Refused by the provider: the amount went back to the balance.",
    },
)
PayoutDestinationKind = described_enum(
    m.PayoutDestinationKind,
    "Where a payout goes.",
    {
        "BANK_ACCOUNT": "A bank account checked with the payout provider.",
        "COOPERATIVE_SAVINGS": "The owner's own SUKARELA at a cooperative (instant).",
    },
)
SellerMovementKind = described_enum(
    m.SellerMovementKind,
    "What moved a shop's available balance.",
    {
        "SALE": "An order COMPLETED: + its total less refunds.",
        "PLATFORM_FEE": "- the platform fee of that order (only when not 0).",
        "PAYOUT": "- a payout, when it is requested.",
        "PAYOUT_RETURNED": "+ a FAILED payout's amount, back to the balance.",
    },
)


@strawberry.type(
    description="One movement of a shop's available balance; seen by the shop's owner only."
)
class SellerMovement(Visible, relay.Node):
    id: relay.NodeID[int]
    kind: SellerMovementKind = strawberry.field(description="What moved it.")
    description: str = strawberry.field(description="What it was, in Bahasa Indonesia.")
    created_at: datetime = strawberry.field(description="When.")
    amount: Money = strawberry.field(description="Positive into the balance, negative out.")
    balance_after: Money = strawberry.field(description="The available balance right after.")
    model: strawberry.Private[m.SellerMovement]

    @classmethod
    def of(cls, row: m.SellerMovement) -> SellerMovement:
        return cls(
            id=row.id,
            kind=m.SellerMovementKind(row.kind),
            description=row.description,
            created_at=row.created_at,
            amount=Money(amount=row.amount),
            balance_after=Money(amount=row.balance_after),
            model=row,
        )

    @strawberry.field(description="The order of a SALE or PLATFORM_FEE; null otherwise.")
    async def order(self, info: Info) -> Order | None:
        if self.model.order_id is None:
            return None
        found = await info.context.loaders.order.load(self.model.order_id)
        return Order.of(found) if found else None

    @strawberry.field(description="The payout of a PAYOUT or PAYOUT_RETURNED; null otherwise.")
    async def payout(self, info: Info) -> Payout | None:

        if self.model.payout_id is None:
            return None
        found = await payout_by_id(info, self.model.payout_id)
        return Payout.of(found) if found else None


async def payout_by_id(info: Info, payout_id: int) -> m.Payout | None:
    return (await rows_by_ids(m.Payout, [payout_id]))[0]


@strawberry.type(description="A bank a payout may go to.")
class PayoutBank:
    code: str = strawberry.field(description="What checkBankAccount takes as bankCode.")
    name: str = strawberry.field(description="The bank's name.")


@strawberry.type(
    description="The payout provider's account inquiry: the caller's own, until it expires."
)
class BankAccountCheck(Visible, relay.Node):
    id: relay.NodeID[int]
    bank_code: str = strawberry.field(description="The bank's code.")
    bank_name: str = strawberry.field(description="The bank's name.")
    account_number: str = strawberry.field(description="The account number, digits only.")
    holder_name: str = strawberry.field(description="The holder's name, as the bank has it.")
    expires_at: datetime = strawberry.field(description="Until when it may be added.")

    @classmethod
    def of(cls, row: m.BankAccountCheck) -> BankAccountCheck:
        return cls(
            id=row.id,
            bank_code=row.bank_code,
            bank_name=row.bank_name,
            account_number=row.account_number,
            holder_name=row.holder_name,
            expires_at=row.expires_at,
        )


@strawberry.type(description="Where a shop's payouts may go; seen by the shop's owner only.")
class PayoutDestination(Visible, relay.Node):
    id: relay.NodeID[int]
    kind: PayoutDestinationKind = strawberry.field(description="A bank account or SUKARELA.")
    label: str = strawberry.field(description="What the owner reads.")
    bank_code: str | None = strawberry.field(description="BANK_ACCOUNT: the bank's code.")
    bank_name: str | None = strawberry.field(description="BANK_ACCOUNT: the bank's name.")
    account_number: str | None = strawberry.field(description="BANK_ACCOUNT: the number.")
    holder_name: str | None = strawberry.field(description="BANK_ACCOUNT: the holder.")
    created_at: datetime = strawberry.field(description="When it was added.")
    model: strawberry.Private[m.PayoutDestination]

    @classmethod
    def of(cls, row: m.PayoutDestination) -> PayoutDestination:
        return cls(
            id=row.id,
            kind=m.PayoutDestinationKind(row.kind),
            label=row.label,
            bank_code=row.bank_code,
            bank_name=row.bank_name,
            account_number=row.account_number,
            holder_name=row.holder_name,
            created_at=row.created_at,
            model=row,
        )

    @strawberry.field(description="COOPERATIVE_SAVINGS: the owner's membership; null otherwise.")
    async def membership(self, info: Info) -> Membership | None:
        if self.model.membership_id is None:
            return None
        found = await info.context.loaders.membership.load(self.model.membership_id)
        return Membership.of(found) if found else None


@strawberry.type(description="A payout of a shop's balance; seen by the shop's owner only.")
class Payout(Visible, relay.Node):
    id: relay.NodeID[int]
    status: PayoutStatus = strawberry.field(description="PENDING, COMPLETED or FAILED.")
    amount: Money = strawberry.field(description="What left the balance.")
    created_at: datetime = strawberry.field(description="When it was requested.")
    completed_at: datetime | None = strawberry.field(description="When it COMPLETED.")
    failure_reason: str | None = strawberry.field(description="FAILED: why, from the provider.")
    model: strawberry.Private[m.Payout]

    @classmethod
    def of(cls, row: m.Payout) -> Payout:
        return cls(
            id=row.id,
            status=m.PayoutStatus(row.status),
            amount=Money(amount=row.amount),
            created_at=row.created_at,
            completed_at=row.completed_at,
            failure_reason=row.failure_reason,
            model=row,
        )

    @strawberry.field(description="Where it went (also when since deleted).")
    async def destination(self) -> PayoutDestination:
        found = (await rows_by_ids(m.PayoutDestination, [self.model.destination_id]))[0]
        assert found is not None  # the foreign key guarantees it
        return PayoutDestination.of(found)


@strawberry.type(description="The answer to checkBankAccount.")
class CheckBankAccountPayload:
    check: BankAccountCheck | None = strawberry.field(
        default=None, description="The check; null when `errors` is not empty."
    )
    errors: list[UserError] = strawberry.field(default_factory=list, description=ERRORS)


@strawberry.input(description="Exactly one of bankAccountCheckId and membershipId (INVALID).")
class CreatePayoutDestinationInput:
    shop_id: strawberry.ID = strawberry.field(description="The Shop's id.")
    bank_account_check_id: strawberry.ID | None = strawberry.field(
        default=None, description="The owner's own unexpired BankAccountCheck."
    )
    membership_id: strawberry.ID | None = strawberry.field(
        default=None, description="The owner's own ACTIVE Membership, whose SUKARELA receives."
    )


@strawberry.type(description="The answer to createPayoutDestination.")
class PayoutDestinationPayload:
    destination: PayoutDestination | None = strawberry.field(
        default=None, description="The destination; null when `errors` is not empty."
    )
    errors: list[UserError] = strawberry.field(default_factory=list, description=ERRORS)


@strawberry.input(description="A payout of the shop's available balance.")
class RequestPayoutInput:
    shop_id: strawberry.ID = strawberry.field(description="The Shop's id.")
    destination_id: strawberry.ID = strawberry.field(description="One of its destinations.")
    amount: Rupiah = strawberry.field(description="At least the minimum (INVALID).")
    idempotency_key: str = strawberry.field(
        description="New for each payout the owner means: a repeat moves nothing again and "
        "answers as the first did; the same key with another amount or destination is "
        "DUPLICATE."
    )


@strawberry.type(description="The answer to requestPayout.")
class RequestPayoutPayload:
    payout: Payout | None = strawberry.field(
        default=None, description="The payout; null when `errors` is not empty."
    )
    balance: SellerBalance | None = strawberry.field(
        default=None, description="The shop's balance after it."
    )
    errors: list[UserError] = strawberry.field(default_factory=list, description=ERRORS)


def _id(value: strawberry.ID | None, kind: str, field: str) -> int | None:
    return None if value is None else decode_id(value, kind, field)


@strawberry.type
class Query:
    @strawberry.field(description="The banks a payout may go to, by name.")
    async def payout_banks(self, info: Info) -> list[PayoutBank]:
        found = await destinations.banks(info.context.services)
        return [PayoutBank(code=bank.code, name=bank.name) for bank in found]


@strawberry.type
class Mutation:
    @strawberry.mutation(
        description="The payout provider's account inquiry, so the holder's name is shown "
        "before the account is added. Errors: UNAUTHENTICATED, INVALID (bankCode, "
        "accountNumber), NOT_FOUND, SERVICE_UNAVAILABLE."
    )
    async def check_bank_account(
        self,
        info: Info,
        bank_code: Annotated[str, strawberry.argument(description="A PayoutBank's code.")],
        account_number: Annotated[str, strawberry.argument(description="6-20 digits.")],
    ) -> CheckBankAccountPayload:
        async def work() -> m.BankAccountCheck:
            return await destinations.check_bank_account(
                info.context.viewer, bank_code, account_number, info.context.services
            )

        return await payload_of(
            CheckBankAccountPayload,
            work,
            lambda c: CheckBankAccountPayload(check=BankAccountCheck.of(c)),
        )

    @strawberry.mutation(
        description="The shop's owner adds where payouts may go. Errors: UNAUTHENTICATED, "
        "NOT_FOUND, PERMISSION_DENIED, INVALID, INVALID_STATE, DUPLICATE."
    )
    async def create_payout_destination(
        self,
        info: Info,
        input: Annotated[
            CreatePayoutDestinationInput, strawberry.argument(description="The destination.")
        ],
    ) -> PayoutDestinationPayload:
        async def work() -> m.PayoutDestination:
            return await destinations.create_destination(
                info.context.viewer,
                decode_id(input.shop_id, "Shop", "shopId"),
                _id(input.bank_account_check_id, "BankAccountCheck", "bankAccountCheckId"),
                _id(input.membership_id, "Membership", "membershipId"),
            )

        return await payload_of(
            PayoutDestinationPayload,
            work,
            lambda d: PayoutDestinationPayload(destination=PayoutDestination.of(d)),
        )

    @strawberry.mutation(
        description="The shop's owner removes a destination; its payouts keep it in their "
        "history. Errors: UNAUTHENTICATED, NOT_FOUND."
    )
    async def delete_payout_destination(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="The destination's id.")],
    ) -> OkPayload:
        async def work() -> None:
            destination_id = decode_id(id, "PayoutDestination", "id")
            await destinations.delete_destination(info.context.viewer, destination_id)

        return await payload_of(OkPayload, work, lambda _: OkPayload(ok=True))

    @strawberry.mutation(
        description="The shop's owner pays out of the available balance, once per key. "
        "Errors: UNAUTHENTICATED, NOT_FOUND, PERMISSION_DENIED, INVALID, "
        "INSUFFICIENT_BALANCE, LIMIT_EXCEEDED, DUPLICATE, INVALID_STATE."
    )
    async def request_payout(
        self,
        info: Info,
        input: Annotated[RequestPayoutInput, strawberry.argument(description="The payout.")],
    ) -> RequestPayoutPayload:
        services = info.context.services

        async def work() -> tuple[m.Payout, balances.Balance]:
            payout = await withdrawals.request_payout(
                info.context.viewer,
                decode_id(input.shop_id, "Shop", "shopId"),
                decode_id(input.destination_id, "PayoutDestination", "destinationId"),
                input.amount,
                input.idempotency_key,
                services,
            )
            shop = await info.context.loaders.shop.load(payout.shop_id)
            return payout, await balances.balance_of(shop, services)

        return await payload_of(
            RequestPayoutPayload,
            work,
            lambda done: RequestPayoutPayload(
                payout=Payout.of(done[0]), balance=SellerBalance.of(done[1])
            ),
        )
