"""Cooperatives (koperasi): the directory, registration, memberships and the live feed."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry import relay
from strawberry.types import Info

from models import bills as m_bills
from models import cooperatives as m
from models import loans as m_loans
from resolvers import cooperatives, loans
from resolvers.cooperatives import can_view_savings, membership, pengurus, savings
from resolvers.cooperatives import feed as coop_feed
from resolvers.loans import views as loan_views
from resolvers.platform import Forbidden, NotFound, regions, today
from resolvers.platform import UserError as UserFailure
from schema.cooperatives.savings import (
    CooperativeBooks,
    SavingsBalance,
    SavingsTransaction,
    viewer_facts,
)
from schema.platform import (
    Connection,
    IdempotencyKey,
    Kelurahan,
    Money,
    Rupiah,
    User,
    UserError,
    Visible,
    connection,
    decode_id,
    later,
    payload_of,
)

if TYPE_CHECKING:
    from schema.bills import Bill, BillStatus
    from schema.loans import Loan, LoanPolicy, LoanPortfolio, LoanStatus

CooperativeType = strawberry.enum(
    m.CooperativeType, name="CooperativeType", description="The kind of koperasi by its business."
)
MembershipStatus = strawberry.enum(m.MembershipStatus, name="MembershipStatus")


@strawberry.type
class Cooperative(Visible, relay.Node):
    id: relay.NodeID[int]
    slug: str
    name: str
    type: CooperativeType
    legal_number: str = strawberry.field(description="The badan hukum number (AHU-...).")
    legal_date: date | None = strawberry.field(description="Date of its badan hukum.")
    address: str
    is_digital: bool = strawberry.field(
        description="True once it has a pengurus and its first active member in the app."
    )
    model: strawberry.Private[m.Cooperative]

    @classmethod
    def of(cls, cooperative: m.Cooperative) -> Cooperative:
        return cls(
            id=cooperative.id,
            slug=cooperative.slug,
            name=cooperative.name,
            type=m.CooperativeType(cooperative.type),
            legal_number=cooperative.legal_number,
            legal_date=cooperative.legal_date,
            address=cooperative.address,
            is_digital=cooperative.is_digital,
            model=cooperative,
        )

    @strawberry.field
    async def kelurahan(self) -> Kelurahan:
        found = await regions.kelurahan(self.model.kelurahan_id)
        assert found is not None  # the foreign key guarantees it
        return Kelurahan.of(found)

    @strawberry.field(description="Number of active members.")
    async def member_count(self, info: Info) -> int:
        return await info.context.loaders.member_count.load(self.model.id)

    @strawberry.field(description="The one-time simpanan pokok a new member pays.")
    def pokok_amount(self) -> Money:
        return Money(amount=self.model.pokok_amount)

    @strawberry.field(description="The monthly simpanan wajib.")
    def wajib_monthly_amount(self) -> Money:
        return Money(amount=self.model.wajib_monthly_amount)

    @strawberry.field(description="Its pengurus only: the memberships, newest first.")
    async def members(
        self,
        info: Info,
        status: MembershipStatus | None = None,
        first: int | None = 50,
        after: str | None = None,
    ) -> Connection[Membership]:
        await cooperatives.cooperative_for_pengurus(info.context.viewer, self.model)
        page = await cooperatives.members_page(
            self.model, m.MembershipStatus(status) if status else None, first=first, after=after
        )
        return connection(page, Membership.of)

    @strawberry.field(description="Its loan policy: the largest principal, and the denda.")
    def loan_policy(self) -> Annotated[LoanPolicy, strawberry.lazy("schema.loans")]:
        return later("schema.loans", "LoanPolicy").of(loans.policy_of(self.model))

    @strawberry.field(description="Its pengurus only: its members' loans, newest first.")
    async def loans(
        self,
        info: Info,
        status: Annotated[LoanStatus, strawberry.lazy("schema.loans")] | None = None,
        first: int | None = 50,
        after: str | None = None,
    ) -> Connection[Annotated[Loan, strawberry.lazy("schema.loans")]]:
        await cooperatives.cooperative_for_pengurus(info.context.viewer, self.model)
        page = await loans.loans_page(
            self.model, m_loans.LoanStatus(status) if status else None, first=first, after=after
        )
        return connection(page, later("schema.loans", "Loan").of)

    @strawberry.field(
        description="Its pengurus only: the active loans by kolektibilitas and the NPL ratio."
    )
    async def loan_portfolio(
        self, info: Info
    ) -> Annotated[LoanPortfolio, strawberry.lazy("schema.loans")]:
        await cooperatives.cooperative_for_pengurus(info.context.viewer, self.model)
        return later("schema.loans", "LoanPortfolio").of(
            await loan_views.portfolio(self.model.id, today())
        )

    @strawberry.field(description="Its pengurus only: the trial balance and neraca.")
    async def books(self, info: Info) -> CooperativeBooks:
        await cooperatives.cooperative_for_pengurus(info.context.viewer, self.model)
        return CooperativeBooks.of(await cooperatives.books_of(self.model))


@strawberry.type(
    description="Seen by the member, the cooperative's pengurus and the Dinas; its money, NIK "
    "and phone by the member and the pengurus only."
)
class Membership(Visible, relay.Node):
    id: relay.NodeID[int]
    number: int | None = strawberry.field(description="The member number, given on approval.")
    status: MembershipStatus
    joined_at: datetime | None
    ended_at: datetime | None
    rejection_reason: str
    model: strawberry.Private[m.Membership]

    @classmethod
    def of(cls, found: m.Membership) -> Membership:
        return cls(
            id=found.id,
            number=found.number,
            status=m.MembershipStatus(found.status),
            joined_at=found.joined_at,
            ended_at=found.ended_at,
            rejection_reason=found.rejection_reason,
            model=found,
        )

    async def _private(self, info: Info) -> m.Membership:
        if not can_view_savings(await viewer_facts(info), self.model):
            raise Forbidden("Hanya anggota ini dan pengurus koperasinya yang boleh melihatnya.")
        return self.model

    @strawberry.field
    async def cooperative(self, info: Info) -> Cooperative:
        found = await info.context.loaders.cooperative.load(self.model.cooperative_id)
        assert found is not None  # the foreign key guarantees it
        return Cooperative.of(found)

    @strawberry.field
    async def user(self, info: Info) -> User:
        found = await info.context.loaders.user.load(self.model.user_id)
        assert found is not None  # the foreign key guarantees it
        shown = can_view_savings(await viewer_facts(info), self.model)
        return User.of(found, membership_phone_shown=shown)

    @strawberry.field(description="The member's NIK.")
    async def nik(self, info: Info) -> str | None:
        return (await self._private(info)).nik

    @strawberry.field(
        description="Its pengurus only (null for anyone else, the applicant included): why "
        "the NIK needs a look: verified for another account (then it cannot be approved), "
        "used by another account's application here, or the account was verified with another "
        "NIK; null when nothing is amiss."
    )
    async def nik_conflict(self, info: Info) -> str | None:
        if self.model.cooperative_id not in (await viewer_facts(info)).administered:
            return None
        return await membership.nik_conflict(self.model)

    @strawberry.field(description="The phone the member applied with.")
    async def phone(self, info: Info) -> str:
        return (await self._private(info)).phone

    @strawberry.field
    async def address(self, info: Info) -> str:
        return (await self._private(info)).address

    @strawberry.field(description="POKOK, WAJIB and SUKARELA; none before approval.")
    async def savings(self, info: Info) -> list[SavingsBalance]:
        await self._private(info)
        found = await info.context.loaders.membership_savings.load(self.model.id)
        return [
            SavingsBalance(account=m.SavingsKind(s.kind), balance=Money(amount=s.balance))
            for s in found
        ]

    @strawberry.field
    async def total_savings(self, info: Info) -> Money:
        await self._private(info)
        found = await info.context.loaders.membership_savings.load(self.model.id)
        return Money(amount=sum(s.balance for s in found))

    @strawberry.field(description="Newest first.")
    async def loans(self, info: Info) -> list[Annotated[Loan, strawberry.lazy("schema.loans")]]:
        await self._private(info)
        return [
            later("schema.loans", "Loan").of(x)
            for x in await info.context.loaders.membership_loans.load(self.id)
        ]

    @strawberry.field(description="The membership's bills, earliest due first.")
    async def bills(
        self,
        info: Info,
        status: Annotated[BillStatus, strawberry.lazy("schema.bills")] | None = None,
    ) -> list[Annotated[Bill, strawberry.lazy("schema.bills")]]:
        await self._private(info)
        wanted = m_bills.BillStatus(status.value) if status else None
        return [
            later("schema.bills", "Bill").of(x)
            for x in await savings.bills_of_membership(self.model.id, wanted)
        ]

    @strawberry.field(description="Every movement of its savings, newest first.")
    async def transactions(
        self, info: Info, first: int | None = 20, after: str | None = None
    ) -> Connection[SavingsTransaction]:
        await self._private(info)
        page = await savings.member_lines_page(self.model, first=first, after=after)
        return connection(page, SavingsTransaction.of)


@strawberry.input
class CooperativeFilter:
    kecamatan: list[str] | None = strawberry.field(
        default=None, description="Kemendagri kecamatan codes."
    )
    kelurahan: list[str] | None = strawberry.field(
        default=None, description="Kemendagri kelurahan codes."
    )
    type: list[CooperativeType] | None = None
    is_digital: bool | None = None


@strawberry.input
class RegisterCooperativeInput:
    name: str
    legal_number: str = strawberry.field(description="The badan hukum number, AHU-...")
    legal_date: date
    type: CooperativeType
    kelurahan_code: str
    address: str
    admin_email: str = strawberry.field(description="An existing user; the first pengurus.")
    pokok_amount: Rupiah = strawberry.field(description="Simpanan pokok, paid once.")
    wajib_monthly_amount: Rupiah


@strawberry.input
class MembershipApplicationInput:
    nik: str = strawberry.field(description="The 16-digit Nomor Induk Kependudukan.")
    address: str
    phone: str | None = strawberry.field(default=None, description="Defaults to the user's.")


@strawberry.type
class CooperativePayload:
    cooperative: Cooperative | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class MembershipPayload:
    membership: Membership | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class EndMembershipPayload:
    membership: Membership | None = None
    payout: Money | None = strawberry.field(
        default=None, description="Every savings balance paid out in cash, together."
    )
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class Query:
    @strawberry.field(description="The cooperative with this slug, as its page's URL names it.")
    async def cooperative(self, slug: str) -> Cooperative | None:
        found = await cooperatives.cooperative_by_slug(slug)
        return Cooperative.of(found) if found else None

    @strawberry.field(
        description="The city's cooperatives, newest first; `query` matches words of the name "
        "(as the product search stems them)."
    )
    async def cooperatives(
        self,
        query: str | None = None,
        filter: CooperativeFilter | None = None,
        first: int | None = 20,
        after: str | None = None,
    ) -> Connection[Cooperative]:
        chosen = filter or CooperativeFilter()
        page = await cooperatives.directory_page(
            query,
            cooperatives.DirectoryFilter(
                kecamatan=chosen.kecamatan,
                kelurahan=chosen.kelurahan,
                types=[m.CooperativeType(t).value for t in chosen.type]
                if chosen.type is not None
                else None,
                is_digital=chosen.is_digital,
            ),
            first=first,
            after=after,
        )
        return connection(page, Cooperative.of)


@strawberry.type
class Mutation:
    @strawberry.mutation(description="The Dinas (CITY_ADMIN) registers a cooperative.")
    async def register_cooperative(
        self, info: Info, input: RegisterCooperativeInput
    ) -> CooperativePayload:
        registration = cooperatives.Registration(
            name=input.name,
            legal_number=input.legal_number,
            legal_date=input.legal_date,
            type=m.CooperativeType(input.type).value,
            kelurahan_code=input.kelurahan_code,
            address=input.address,
            admin_email=input.admin_email,
            pokok_amount=input.pokok_amount,
            wajib_monthly_amount=input.wajib_monthly_amount,
        )
        return await payload_of(
            CooperativePayload,
            lambda: cooperatives.register_cooperative(info.context.viewer, registration),
            lambda found: CooperativePayload(cooperative=Cooperative.of(found)),
        )

    @strawberry.mutation(
        description="A pengurus leaves office (refused, INVALID_STATE, for the last one); a "
        "live feed they follow ends, or goes on without what only the pengurus see."
    )
    async def resign_pengurus(
        self, info: Info, cooperative_id: strawberry.ID
    ) -> CooperativePayload:
        return await payload_of(
            CooperativePayload,
            lambda: pengurus.leave_office(
                info.context.viewer,
                decode_id(cooperative_id, "Cooperative", "cooperativeId"),
                info.context.services.events,
            ),
            lambda found: CooperativePayload(cooperative=Cooperative.of(found)),
        )

    @strawberry.mutation(description="Any signed-in user applies; one membership per person.")
    async def apply_membership(
        self, info: Info, cooperative_id: strawberry.ID, input: MembershipApplicationInput
    ) -> MembershipPayload:
        return await payload_of(
            MembershipPayload,
            lambda: membership.apply_membership(
                info.context.viewer,
                decode_id(cooperative_id, "Cooperative", "cooperativeId"),
                membership.Application(nik=input.nik, address=input.address, phone=input.phone),
            ),
            _membership_payload,
        )

    @strawberry.mutation(
        description="A pengurus other than the applicant: approving gives the next member "
        "number (gap-free) and issues the simpanan pokok bill; rejecting needs a reason."
    )
    async def decide_membership(
        self, info: Info, id: strawberry.ID, approve: bool, reason: str | None = None
    ) -> MembershipPayload:
        return await payload_of(
            MembershipPayload,
            lambda: membership.decide_membership(
                info.context.viewer, decode_id(id, "Membership"), approve, reason
            ),
            _membership_payload,
        )

    @strawberry.mutation(
        description="The member or a pengurus: refused (INVALID_STATE) while a loan is "
        "outstanding; otherwise the membership ENDS and every savings balance is paid out."
    )
    async def end_membership(
        self, info: Info, id: strawberry.ID, idempotency_key: IdempotencyKey = None
    ) -> EndMembershipPayload:
        return await payload_of(
            EndMembershipPayload,
            lambda: membership.end_membership(
                info.context.viewer,
                decode_id(id, "Membership"),
                info.context.services.events,
                idempotency_key,
            ),
            lambda ended: EndMembershipPayload(
                membership=Membership.of(ended[0]), payout=Money(amount=ended[1])
            ),
        )


def _membership_payload(found: m.Membership) -> MembershipPayload:
    return MembershipPayload(membership=Membership.of(found))


@strawberry.type
class Subscription:
    @strawberry.subscription(
        description="Active members and pengurus of the cooperative: every movement of a "
        "member's savings as it is posted, within a second. `after`, the id of the last "
        "transaction a client saw, first replays in order what it missed since."
    )
    async def cooperative_transactions(
        self,
        info: Info,
        cooperative_id: strawberry.ID,
        after: Annotated[strawberry.ID | None, strawberry.argument()] = None,
    ) -> AsyncGenerator[SavingsTransaction, None]:
        try:
            wanted = decode_id(cooperative_id, "Cooperative", "cooperativeId")
            since = decode_id(after, "SavingsTransaction", "after") if after else None
        except UserFailure:
            raise NotFound("Koperasi atau transaksi tidak ditemukan.") from None
        viewer = info.context.viewer
        await coop_feed.feed_viewer(viewer, wanted)
        assert viewer is not None  # feed_viewer refuses anyone signed out
        async for line in coop_feed.follow(info.context.services.events, viewer, wanted, since):
            yield SavingsTransaction.of(line)
