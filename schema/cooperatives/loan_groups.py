"""Tanggung renteng (joint-liability loan groups): their standing, members' agreement to a
group member's loan, and payments toward the group's arrears."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry import relay
from strawberry.types import Info

from models import cooperatives as m
from models import loans as m_loans
from resolvers.cooperatives import CoopViewer
from resolvers.loans import contributions, groups
from resolvers.platform import today
from schema.cooperatives.savings import SavingsTransaction, viewer_facts
from schema.platform import (
    ERRORS,
    IdempotencyKey,
    Money,
    Rupiah,
    UserError,
    Visible,
    decode_id,
    encode_id,
    later,
    payload_of,
)

if TYPE_CHECKING:
    from schema.cooperatives.cooperative import Membership

MEMBERSHIP = "schema.cooperatives.cooperative"


@strawberry.type(description="A member of a loan group, as its number and name.")
class GroupMemberName:
    number: int | None = strawberry.field(description="The member number.")
    name: str = strawberry.field(description="The member's name.")

    @classmethod
    async def of(cls, info: Info, row: m.Membership) -> GroupMemberName:
        user = await info.context.loaders.user.load(row.user_id)
        assert user is not None  # the foreign key guarantees it
        return cls(number=row.number, name=user.name)


@strawberry.type(description="One member's place in a loan group, as the viewer may see it.")
class LoanGroupMember:
    number: int | None = strawberry.field(description="The member number.")
    name: str = strawberry.field(description="The member's name.")
    row: strawberry.Private[m.Membership]
    owed: strawberry.Private[int]  # their arrears
    shown: strawberry.Private[bool]  # the viewer is this member or a pengurus
    owes_them: strawberry.Private[int | None]  # what they owe the viewer, a fellow member

    @strawberry.field(
        description="What this member's installments past due still owe (principal, interest "
        "and denda): this member and the pengurus only (null to the other members)."
    )
    def arrears(self) -> Money | None:
        return Money(amount=self.owed) if self.shown else None

    @strawberry.field(
        description="What this member owes the viewer from the viewer's contributions, still "
        "unpaid (Rp0 when nothing); null on the viewer's own row and to a viewer who is not a "
        "member of the group (the pengurus included)."
    )
    def owes_viewer(self) -> Money | None:
        return None if self.owes_them is None else Money(amount=self.owes_them)

    @strawberry.field(
        description="The membership: this member and the pengurus only (null to others)."
    )
    def membership(
        self,
    ) -> Annotated[Membership, strawberry.lazy("schema.cooperatives.cooperative")] | None:
        return later(MEMBERSHIP, "Membership").of(self.row) if self.shown else None


@strawberry.type(description="A group member's loan still APPLIED, and who of the group agreed.")
class LoanGroupRequest:
    loan_id: strawberry.ID = strawberry.field(description="The Loan's id.")
    tenor_months: int = strawberry.field(description="Months to repay it in.")
    purpose: str = strawberry.field(description="What the member borrows for.")
    applied_at: datetime = strawberry.field(description="When the member applied.")
    approvals_needed: int = strawberry.field(
        description="floor((n - 1) / 2) + 1 of the group's n members other than the applicant."
    )
    agreed: bool = strawberry.field(
        description="approvalsNeeded members approved it: the pengurus may approve the loan."
    )
    principal: Money = strawberry.field(description="The amount asked for.")
    applicant: GroupMemberName = strawberry.field(description="Who applied.")
    approvals: list[GroupMemberName] = strawberry.field(
        description="The members who approved it, by member number."
    )

    @classmethod
    async def of(cls, info: Info, found: groups.GroupRequest) -> LoanGroupRequest:
        loan = found.loan
        applicant = await m.Membership.get(id=loan.membership_id)
        return cls(
            loan_id=strawberry.ID(encode_id("Loan", loan.id)),
            tenor_months=loan.tenor_months,
            purpose=loan.purpose,
            applied_at=loan.created_at,
            approvals_needed=found.approvals_needed,
            agreed=found.agreed,
            principal=Money(amount=loan.principal),
            applicant=await GroupMemberName.of(info, applicant),
            approvals=[await GroupMemberName.of(info, a) for a in found.approvers],
        )


@strawberry.type(
    description="A tanggung renteng (joint-liability) loan group of 3 to 10 members of one "
    "cooperative: seen by its members and the cooperative's pengurus only."
)
class LoanGroup(Visible, relay.Node):
    id: relay.NodeID[int]
    name: str = strawberry.field(description="Its name.")
    grace_days: int = strawberry.field(
        description="Days an installment may be past due before the group is blocked."
    )
    model: strawberry.Private[m_loans.LoanGroup]

    @classmethod
    def of(cls, row: m_loans.LoanGroup) -> LoanGroup:
        return cls(id=row.id, name=row.name, grace_days=row.grace_days, model=row)

    async def _standing(self, info: Info) -> groups.Standing:
        cached = info.context.extra.setdefault("loan_group_standing", {})
        if self.model.id not in cached:
            cached[self.model.id] = await groups.standing(self.model, today())
        found: groups.Standing = cached[self.model.id]
        return found

    @strawberry.field(
        description="A member has an installment past due by more than graceDays: no member of "
        "the group may apply for a loan."
    )
    async def blocked(self, info: Info) -> bool:
        return (await self._standing(info)).blocked

    @strawberry.field(
        description="What the members' installments past due still owe (principal, interest "
        "and denda), together."
    )
    async def arrears(self, info: Info) -> Money:
        return Money(amount=(await self._standing(info)).arrears)

    @strawberry.field(description="Its members, by member number.")
    async def members(self, info: Info) -> list[LoanGroupMember]:
        found = await self._standing(info)
        who: CoopViewer = await viewer_facts(info)
        pengurus = self.model.cooperative_id in who.administered
        mine = [row.id for row in found.members if row.id in who.memberships]
        owes: dict[int, int] = {}
        if mine:
            owes = {line.other.id: line.owed for line in await groups.group_debts(mine[0])}
        return [
            LoanGroupMember(
                number=row.number,
                name=(await GroupMemberName.of(info, row)).name,
                row=row,
                owed=found.arrears_of(row.id),
                shown=pengurus or row.id in who.memberships,
                owes_them=owes.get(row.id, 0) if mine and row.id not in mine else None,
            )
            for row in found.members
        ]

    @strawberry.field(description="The members' loans still APPLIED, oldest first.")
    async def loan_requests(self, info: Info) -> list[LoanGroupRequest]:
        return [
            await LoanGroupRequest.of(info, r) for r in await groups.loan_requests(self.model.id)
        ]


@strawberry.type(description="What a member owes another group member, and is owed by them.")
class GroupDebtLine:
    member: GroupMemberName = strawberry.field(description="The other member.")
    owes: Money = strawberry.field(description="What the member owes them.")
    owed: Money = strawberry.field(description="What they owe the member.")


@strawberry.type(
    description="A member's debts between group members from contributions to the group's "
    "arrears (Piutang Antar Anggota): in all and per other member."
)
class GroupDebts:
    owes: Money = strawberry.field(description="What the member owes other members.")
    owed: Money = strawberry.field(description="What other members owe the member.")
    lines: list[GroupDebtLine] = strawberry.field(
        description="One per member with a debt either way, by member number."
    )

    @classmethod
    async def of(cls, info: Info, membership_id: int) -> GroupDebts:
        found = await groups.group_debts(membership_id)
        return cls(
            owes=Money(amount=sum(d.owes for d in found)),
            owed=Money(amount=sum(d.owed for d in found)),
            lines=[
                GroupDebtLine(
                    member=await GroupMemberName.of(info, d.other),
                    owes=Money(amount=d.owes),
                    owed=Money(amount=d.owed),
                )
                for d in found
            ],
        )


@strawberry.input(description="A new tanggung renteng group.")
class CreateLoanGroupInput:
    cooperative_id: strawberry.ID = strawberry.field(description="The Cooperative.")
    name: str = strawberry.field(description="Its name, at most 80 characters.")
    grace_days: int = strawberry.field(
        description="0 to 90: days an installment may be past due before the group is blocked."
    )
    membership_ids: list[strawberry.ID] = strawberry.field(
        description="3 to 10 distinct ACTIVE memberships of the cooperative, in no other group."
    )


@strawberry.input(description="A member's payment toward their group's arrears.")
class ContributeToGroupArrearsInput:
    group_id: strawberry.ID = strawberry.field(description="The LoanGroup.")
    membership_id: strawberry.ID = strawberry.field(
        description="The caller's own membership in the group, whose SUKARELA pays."
    )
    amount: Rupiah = strawberry.field(description="More than 0, at most the group's arrears.")
    idempotency_key: IdempotencyKey = strawberry.field(
        default=None,
        description="Any string up to 100 characters, new for each payment; the same key from "
        "the same caller returns the first result and moves nothing again.",
    )


@strawberry.type(description="The answer to createLoanGroup.")
class LoanGroupPayload:
    loan_group: LoanGroup | None = strawberry.field(
        default=None, description="The group; null when `errors` is not empty."
    )
    errors: list[UserError] = strawberry.field(default_factory=list, description=ERRORS)


@strawberry.type(description="The answer to approveGroupLoan.")
class LoanGroupRequestPayload:
    loan_group_request: LoanGroupRequest | None = strawberry.field(
        default=None, description="The request now; null when `errors` is not empty."
    )
    errors: list[UserError] = strawberry.field(default_factory=list, description=ERRORS)


@strawberry.type(description="The answer to contributeToGroupArrears.")
class GroupContributionPayload:
    loan_group: LoanGroup | None = strawberry.field(
        default=None, description="The group after the payment; null on errors."
    )
    savings_transaction: SavingsTransaction | None = strawberry.field(
        default=None, description="The payer's SUKARELA moving; null on errors."
    )
    errors: list[UserError] = strawberry.field(default_factory=list, description=ERRORS)


@strawberry.type
class Mutation:
    @strawberry.mutation(
        description="Its pengurus forms a tanggung renteng group. Errors: UNAUTHENTICATED, "
        "NOT_FOUND (cooperative), PERMISSION_DENIED, REQUIRED (name), INVALID (graceDays, "
        "membershipIds), DUPLICATE (a membership already in a group)."
    )
    async def create_loan_group(
        self,
        info: Info,
        input: Annotated[
            CreateLoanGroupInput, strawberry.argument(description="The group and its members.")
        ],
    ) -> LoanGroupPayload:
        async def work() -> m_loans.LoanGroup:
            given = groups.NewGroup(
                cooperative_id=decode_id(input.cooperative_id, "Cooperative", "cooperativeId"),
                name=input.name,
                grace_days=input.grace_days,
                membership_ids=[
                    decode_id(i, "Membership", "membershipIds") for i in input.membership_ids
                ],
            )
            return await groups.create_loan_group(info.context.viewer, given)

        return await payload_of(
            LoanGroupPayload, work, lambda row: LoanGroupPayload(loan_group=LoanGroup.of(row))
        )

    @strawberry.mutation(
        description="A member of the loan's group other than its applicant approves the "
        "APPLIED group loan, once. Errors: UNAUTHENTICATED, NOT_FOUND, PERMISSION_DENIED (the "
        "applicant, the pengurus), INVALID_STATE (not APPLIED), DUPLICATE (approved already)."
    )
    async def approve_group_loan(
        self,
        info: Info,
        loan_id: Annotated[strawberry.ID, strawberry.argument(description="The Loan's id.")],
    ) -> LoanGroupRequestPayload:
        async def work() -> LoanGroupRequest:
            found = await groups.approve_group_loan(
                info.context.viewer, decode_id(loan_id, "Loan", "loanId")
            )
            return await LoanGroupRequest.of(info, found)

        return await payload_of(
            LoanGroupRequestPayload,
            work,
            lambda found: LoanGroupRequestPayload(loan_group_request=found),
        )

    @strawberry.mutation(
        description="A member of the group pays toward its arrears from their own SUKARELA: "
        "the members' installments past due, oldest first, each rupiah paid for another member "
        "recorded as that member's debt to the payer (Piutang Antar Anggota). Errors: "
        "UNAUTHENTICATED, NOT_FOUND, PERMISSION_DENIED (the pengurus), INVALID_STATE (no "
        "arrears), INVALID (amount), INSUFFICIENT_BALANCE, DUPLICATE (idempotencyKey)."
    )
    async def contribute_to_group_arrears(
        self,
        info: Info,
        input: Annotated[
            ContributeToGroupArrearsInput,
            strawberry.argument(description="The group, the paying membership and the amount."),
        ],
    ) -> GroupContributionPayload:
        async def work() -> contributions.Contributed:
            given = contributions.Contribution(
                group_id=decode_id(input.group_id, "LoanGroup", "groupId"),
                membership_id=decode_id(input.membership_id, "Membership", "membershipId"),
                amount=input.amount,
            )
            return await contributions.contribute_to_group_arrears(
                info.context.viewer, given, info.context.services.events, input.idempotency_key
            )

        return await payload_of(
            GroupContributionPayload,
            work,
            lambda done: GroupContributionPayload(
                loan_group=LoanGroup.of(done.group),
                savings_transaction=SavingsTransaction.of(done.line),
            ),
        )
