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
from resolvers.bills import auto_debit
from resolvers.cooperatives import can_view_savings, deposits, membership, pengurus, savings
from resolvers.cooperatives import feed as coop_feed
from resolvers.loans import groups as loan_groups
from resolvers.loans import views as loan_views
from resolvers.platform import Forbidden, NotFound, regions, today
from resolvers.platform import UserError as UserFailure
from schema.cooperatives import book_year, books, opening, statements
from schema.cooperatives.book_year import BookYear
from schema.cooperatives.books import JournalEntry, JournalEntryKind, LedgerAccount
from schema.cooperatives.deposits import TimeDeposit, TimeDepositProduct, TimeDepositStatus
from schema.cooperatives.loan_groups import GroupDebts, LoanGroup
from schema.cooperatives.savings import (
    CooperativeBooks,
    SavingsBalance,
    SavingsTransaction,
    viewer_facts,
)
from schema.cooperatives.statements import FinancialStatements
from schema.platform import (
    ERRORS,
    After,
    Connection,
    First,
    IdempotencyKey,
    Kelurahan,
    Money,
    Rupiah,
    User,
    UserError,
    Visible,
    connection,
    decode_id,
    described_enum,
    later,
    payload_of,
)

if TYPE_CHECKING:
    from schema.bills import Bill, BillStatus, StandingInstruction
    from schema.loans import Loan, LoanPolicy, LoanPortfolio, LoanStatus
    from schema.payouts import CooperativePlatformClearing

PRIVATE = " The member and the cooperative's pengurus only: a FORBIDDEN error for anyone else."

CooperativeType = described_enum(
    m.CooperativeType,
    "The kind of koperasi by its business.",
    {
        "SIMPAN_PINJAM": "Savings and loans (koperasi simpan pinjam).",
        "KONSUMEN": "Consumers' cooperative: sells goods to its members.",
        "PRODUSEN": "Producers' cooperative: its members make the goods.",
        "PEMASARAN": "Marketing cooperative: sells its members' products.",
        "JASA": "Services cooperative.",
        "SERBA_USAHA": "Multi-purpose cooperative (koperasi serba usaha).",
    },
    name="CooperativeType",
)
MembershipStatus = described_enum(
    m.MembershipStatus,
    "Where a membership is.",
    {
        "PENDING": "Applied; a pengurus decides.",
        "ACTIVE": "Approved: a member with a number and savings accounts.",
        "REJECTED": "Refused by a pengurus, with a reason.",
        "ENDED": "Ended by the member or a pengurus; the savings were paid out.",
    },
    name="MembershipStatus",
)


@strawberry.type(
    description="A cooperative (koperasi) of the city; public. What only its pengurus may "
    "read says so: for anyone else such a field is a FORBIDDEN error (UNAUTHENTICATED when "
    "not signed in)."
)
class Cooperative(Visible, relay.Node):
    id: relay.NodeID[int]
    slug: str = strawberry.field(description="Unique, from the name; for `cooperative(slug:)`.")
    name: str = strawberry.field(description="Its name.")
    type: CooperativeType = strawberry.field(description="Its kind of business.")
    legal_number: str = strawberry.field(description="The badan hukum number (AHU-...).")
    legal_date: date | None = strawberry.field(description="Date of its badan hukum.")
    address: str = strawberry.field(description="Its street address.")
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

    @strawberry.field(description="Where it is.")
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
        status: Annotated[
            MembershipStatus | None,
            strawberry.argument(description="Only memberships in this status."),
        ] = None,
        first: First = 50,
        after: After = None,
    ) -> Connection[Membership]:
        await cooperatives.cooperative_for_pengurus(info.context.viewer, self.model)
        page = await cooperatives.members_page(
            self.model, m.MembershipStatus(status) if status else None, first=first, after=after
        )
        return connection(page, Membership.of)

    @strawberry.field(description="Its simpanan berjangka products, shortest term first.")
    async def time_deposit_products(self) -> list[TimeDepositProduct]:
        return [TimeDepositProduct.of(p) for p in await deposits.products_of(self.model.id)]

    @strawberry.field(description="Its loan policy: the largest principal, and the denda.")
    def loan_policy(self) -> Annotated[LoanPolicy, strawberry.lazy("schema.loans")]:
        return later("schema.loans", "LoanPolicy").of(loans.policy_of(self.model))

    @strawberry.field(description="Its pengurus only: its members' loans, newest first.")
    async def loans(
        self,
        info: Info,
        status: Annotated[
            Annotated[LoanStatus, strawberry.lazy("schema.loans")] | None,
            strawberry.argument(description="Only loans in this status."),
        ] = None,
        first: First = 50,
        after: After = None,
    ) -> Connection[Annotated[Loan, strawberry.lazy("schema.loans")]]:
        await cooperatives.cooperative_for_pengurus(info.context.viewer, self.model)
        page = await loans.loans_page(
            self.model, m_loans.LoanStatus(status) if status else None, first=first, after=after
        )
        return connection(page, later("schema.loans", "Loan").of)

    @strawberry.field(
        description="Its pengurus (null to anyone else): its tanggung renteng groups with their "
        "standing, oldest first."
    )
    async def loan_groups(
        self, info: Info, first: First = 20, after: After = None
    ) -> Connection[LoanGroup] | None:
        if self.model.id not in (await viewer_facts(info)).administered:
            return None
        page = await loan_groups.groups_page(self.model.id, first=first, after=after)
        return connection(page, LoanGroup.of)

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

    @strawberry.field(
        description="Its pengurus and the Dinas only (else null): the chart of accounts, by code."
    )
    async def chart_of_accounts(self, info: Info) -> list[LedgerAccount] | None:
        return await books.chart_of_accounts(info, self.model.id)

    @strawberry.field(
        description="Its pengurus and the Dinas only (else null): the general journal, oldest "
        "first (by date, then as posted), CLOSING entries included."
    )
    async def journal_entries(
        self,
        info: Info,
        from_: Annotated[
            date | None,
            strawberry.argument(name="from", description="First day; default the first entry."),
        ] = None,
        to: Annotated[
            date | None, strawberry.argument(description="Last day; default the last entry.")
        ] = None,
        kind: Annotated[
            JournalEntryKind | None, strawberry.argument(description="Only entries of this kind.")
        ] = None,
        first: First = 50,
        after: After = None,
    ) -> Connection[JournalEntry] | None:
        return await books.journal_entries(info, self.model.id, from_, to, kind, first, after)

    @strawberry.field(
        description="Its pengurus and the Dinas only (else null): the book years, newest first, "
        "from the year of the first entry to the running one."
    )
    async def book_years(self, info: Info) -> list[BookYear] | None:
        return await book_year.book_years(info, self.model.id)

    @strawberry.field(
        description="Its pengurus and the Dinas only (else null): the financial statements for "
        "`from`..`to` (Asia/Jakarta), with the same period a year earlier when asked; `from` "
        "after `to` is BAD_USER_INPUT."
    )
    async def financial_statements(
        self,
        info: Info,
        from_: Annotated[date, strawberry.argument(name="from", description="First day.")],
        to: Annotated[date, strawberry.argument(description="Last day.")],
        compare_with_previous_year: Annotated[
            bool, strawberry.argument(description="Add the same period one year earlier.")
        ] = True,
    ) -> FinancialStatements | None:
        return await statements.financial_statements(
            info, self.model.id, from_, to, compare_with_previous_year
        )

    @strawberry.field(
        description="Its pengurus and the Dinas only (else null): the saldo awal xlsx template "
        "to move the cooperative in, a signed URL valid until "
        "`openingBalanceTemplateExpiresAt`."
    )
    async def opening_balance_template_url(self, info: Info) -> str | None:
        link = await opening.template_link(info, self.model.id)
        return link[0] if link else None

    @strawberry.field(description="When `openingBalanceTemplateUrl` stops working; null as it is.")
    async def opening_balance_template_expires_at(self, info: Info) -> datetime | None:
        link = await opening.template_link(info, self.model.id)
        return link[1] if link else None

    @strawberry.field(
        description="Its pengurus or CITY_ADMIN (null for anyone else): its clearing with the "
        "platform, from its own books, and the settlements recorded for it."
    )
    async def platform_clearing(
        self, info: Info
    ) -> Annotated[CooperativePlatformClearing, strawberry.lazy("schema.payouts")] | None:
        return await later("schema.payouts", "platform_clearing")(info, self.model.id)

    @strawberry.field(description="Its pengurus or CITY_ADMIN: the trial balance and neraca.")
    async def books(self, info: Info) -> CooperativeBooks:
        viewer = info.context.viewer
        if viewer is None or not viewer.is_city_admin:
            await cooperatives.cooperative_for_pengurus(viewer, self.model)
        return CooperativeBooks.of(await cooperatives.books_of(self.model))


@strawberry.type(
    description="Seen by the member, the cooperative's pengurus and the Dinas; its money, NIK "
    "and phone by the member and the pengurus only."
)
class Membership(Visible, relay.Node):
    id: relay.NodeID[int]
    number: int | None = strawberry.field(
        description="The member number, given on approval (gap-free per cooperative); null before."
    )
    status: MembershipStatus = strawberry.field(description="Where it is.")
    joined_at: datetime | None = strawberry.field(description="When it was approved; else null.")
    ended_at: datetime | None = strawberry.field(description="When it ended; else null.")
    rejection_reason: str = strawberry.field(description="Why it was rejected; else empty.")
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

    @strawberry.field(description="The cooperative.")
    async def cooperative(self, info: Info) -> Cooperative:
        found = await info.context.loaders.cooperative.load(self.model.cooperative_id)
        assert found is not None  # the foreign key guarantees it
        return Cooperative.of(found)

    @strawberry.field(
        description="The member's account; its phone readable by those who may read this "
        "membership's."
    )
    async def user(self, info: Info) -> User:
        found = await info.context.loaders.user.load(self.model.user_id)
        assert found is not None  # the foreign key guarantees it
        shown = can_view_savings(await viewer_facts(info), self.model)
        return User.of(found, membership_phone_shown=shown)

    @strawberry.field(
        description="The member's name: their account's, or as imported while `claimed` is false."
    )
    async def name(self, info: Info) -> str:
        found = await info.context.loaders.user.load(self.model.user_id)
        assert found is not None  # the foreign key guarantees it
        return found.name

    @strawberry.field(
        description="False while an imported membership waits for its member's account to "
        "claim it (ClaimMembership)."
    )
    def claimed(self) -> bool:
        return self.model.claimed

    @strawberry.field(description="The member's 16-digit NIK." + PRIVATE)
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

    @strawberry.field(description="The phone the member applied with, as E.164." + PRIVATE)
    async def phone(self, info: Info) -> str:
        return (await self._private(info)).phone

    @strawberry.field(description="The address the member applied with." + PRIVATE)
    async def address(self, info: Info) -> str:
        return (await self._private(info)).address

    @strawberry.field(
        description="The balances of POKOK, WAJIB and SUKARELA; none before approval." + PRIVATE
    )
    async def savings(self, info: Info) -> list[SavingsBalance]:
        await self._private(info)
        found = await info.context.loaders.membership_savings.load(self.model.id)
        return [
            SavingsBalance(account=m.SavingsKind(s.kind), balance=Money(amount=s.balance))
            for s in found
        ]

    @strawberry.field(description="All its savings balances together." + PRIVATE)
    async def total_savings(self, info: Info) -> Money:
        await self._private(info)
        found = await info.context.loaders.membership_savings.load(self.model.id)
        return Money(amount=sum(s.balance for s in found))

    @strawberry.field(description="Its loans, newest first." + PRIVATE)
    async def loans(self, info: Info) -> list[Annotated[Loan, strawberry.lazy("schema.loans")]]:
        await self._private(info)
        return [
            later("schema.loans", "Loan").of(x)
            for x in await info.context.loaders.membership_loans.load(self.id)
        ]

    @strawberry.field(
        description="The member or a pengurus (null to anyone else): the time deposits, newest "
        "first."
    )
    async def time_deposits(
        self,
        info: Info,
        status: Annotated[
            TimeDepositStatus | None, strawberry.argument(description="Only deposits in it.")
        ] = None,
        first: First = 20,
        after: After = None,
    ) -> Connection[TimeDeposit] | None:
        if not can_view_savings(await viewer_facts(info), self.model):
            return None
        page = await deposits.deposits_page(
            self.model, m.TimeDepositStatus(status) if status else None, first=first, after=after
        )
        return connection(page, TimeDeposit.of)

    @strawberry.field(
        description="The member or a pengurus (null to anyone else): the tanggung renteng group "
        "the membership is in; null when none."
    )
    async def loan_group(self, info: Info) -> LoanGroup | None:
        if not can_view_savings(await viewer_facts(info), self.model):
            return None
        found = await loan_groups.group_of(self.model.id)
        return None if found is None else LoanGroup.of(found)

    @strawberry.field(
        description="The member or a pengurus (null to anyone else): what the member owes other "
        "group members and is owed by them from contributions to group arrears (Rp0 and no "
        "lines when none)."
    )
    async def group_debts(self, info: Info) -> GroupDebts | None:
        if not can_view_savings(await viewer_facts(info), self.model):
            return None
        return await GroupDebts.of(info, self.model.id)

    @strawberry.field(
        description="The member or a pengurus (null to anyone else): the standing instructions "
        "(auto-debit), newest first, the cancelled ones included."
    )
    async def standing_instructions(
        self, info: Info
    ) -> list[Annotated[StandingInstruction, strawberry.lazy("schema.bills")]] | None:
        if not can_view_savings(await viewer_facts(info), self.model):
            return None
        return [
            later("schema.bills", "StandingInstruction").of(x)
            for x in await auto_debit.instructions_of(self.model)
        ]

    @strawberry.field(description="The membership's bills, earliest due first." + PRIVATE)
    async def bills(
        self,
        info: Info,
        status: Annotated[
            Annotated[BillStatus, strawberry.lazy("schema.bills")] | None,
            strawberry.argument(
                description="UNPAID: the bills still to pay; PAID: the paid ones; none: all."
            ),
        ] = None,
    ) -> list[Annotated[Bill, strawberry.lazy("schema.bills")]]:
        await self._private(info)
        wanted = m_bills.BillStatus(status.value) if status else None
        return [
            later("schema.bills", "Bill").of(x)
            for x in await savings.bills_of_membership(self.model.id, wanted)
        ]

    @strawberry.field(description="Every movement of its savings, newest first." + PRIVATE)
    async def transactions(
        self, info: Info, first: First = 20, after: After = None
    ) -> Connection[SavingsTransaction]:
        await self._private(info)
        page = await savings.member_lines_page(self.model, first=first, after=after)
        return connection(page, SavingsTransaction.of)


@strawberry.input(
    description="Narrows the cooperatives directory; the conditions given all hold, within a "
    "list any value."
)
class CooperativeFilter:
    kecamatan: list[str] | None = strawberry.field(
        default=None, description="Kemendagri kecamatan codes."
    )
    kelurahan: list[str] | None = strawberry.field(
        default=None, description="Kemendagri kelurahan codes."
    )
    type: list[CooperativeType] | None = strawberry.field(
        default=None, description="Kinds of cooperative."
    )
    is_digital: bool | None = strawberry.field(
        default=None, description="Only cooperatives in the app (true) or not yet (false)."
    )


@strawberry.input(description="A cooperative the Dinas registers.")
class RegisterCooperativeInput:
    name: str = strawberry.field(description="Required, at most 160 characters.")
    legal_number: str = strawberry.field(
        description="The badan hukum number, AHU-...; at most 60 characters, not yet "
        "registered (DUPLICATE)."
    )
    legal_date: date = strawberry.field(description="Date of its badan hukum; not in the future.")
    type: CooperativeType = strawberry.field(description="Its kind of business.")
    kelurahan_code: str = strawberry.field(
        description="The Kemendagri code of its kelurahan in Kota Tangerang."
    )
    address: str = strawberry.field(description="Required, at most 255 characters.")
    admin_email: str = strawberry.field(
        description="An existing user's e-mail (NOT_FOUND otherwise); the first pengurus."
    )
    pokok_amount: Rupiah = strawberry.field(
        description="Simpanan pokok, paid once; more than 0, at most Rp1 trillion."
    )
    wajib_monthly_amount: Rupiah = strawberry.field(
        description="Simpanan wajib, monthly; more than 0, at most Rp1 trillion."
    )


@strawberry.input(description="An application to join a cooperative.")
class MembershipApplicationInput:
    nik: str = strawberry.field(
        description="The 16-digit Nomor Induk Kependudukan, checked for form (digits, a real "
        "birth date, +40 on the day for women)."
    )
    address: str = strawberry.field(description="Required, at most 255 characters.")
    phone: str | None = strawberry.field(
        default=None, description="An Indonesian number; defaults to the user's."
    )


@strawberry.type(description="The answer to a change of a cooperative.")
class CooperativePayload:
    cooperative: Cooperative | None = strawberry.field(
        default=None, description="The cooperative; null when `errors` is not empty."
    )
    errors: list[UserError] = strawberry.field(default_factory=list, description=ERRORS)


@strawberry.type(description="The answer to a change of a membership.")
class MembershipPayload:
    membership: Membership | None = strawberry.field(
        default=None, description="The membership as it is now; null when `errors` is not empty."
    )
    errors: list[UserError] = strawberry.field(default_factory=list, description=ERRORS)


@strawberry.type(description="The answer to endMembership.")
class EndMembershipPayload:
    membership: Membership | None = strawberry.field(
        default=None, description="The ENDED membership; null when `errors` is not empty."
    )
    payout: Money | None = strawberry.field(
        default=None, description="Every savings balance paid out in cash, together."
    )
    errors: list[UserError] = strawberry.field(default_factory=list, description=ERRORS)


COOPERATIVE_ID = Annotated[strawberry.ID, strawberry.argument(description="The Cooperative's id.")]
MEMBERSHIP_ID = Annotated[strawberry.ID, strawberry.argument(description="The Membership's id.")]


@strawberry.type
class Query:
    @strawberry.field(
        description="The cooperative with this slug, as its page's URL names it; null if none."
    )
    async def cooperative(
        self,
        slug: Annotated[str, strawberry.argument(description="The cooperative's `slug`.")],
    ) -> Cooperative | None:
        found = await cooperatives.cooperative_by_slug(slug)
        return Cooperative.of(found) if found else None

    @strawberry.field(
        description="The city's cooperatives, newest first; `query` matches words of the name "
        "(as the product search stems them)."
    )
    async def cooperatives(
        self,
        query: Annotated[
            str | None,
            strawberry.argument(
                description="Words the name must hold, each at the start of a word; at most "
                "8 words count. Too long a text is BAD_USER_INPUT."
            ),
        ] = None,
        filter: Annotated[
            CooperativeFilter | None,
            strawberry.argument(description="Region, kind and digital conditions."),
        ] = None,
        first: First = 20,
        after: After = None,
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
    @strawberry.mutation(
        description="The Dinas (CITY_ADMIN) registers a cooperative; the user with adminEmail "
        "becomes its first pengurus. Errors: UNAUTHENTICATED, PERMISSION_DENIED, REQUIRED, "
        "INVALID, NOT_FOUND (adminEmail), DUPLICATE (legalNumber)."
    )
    async def register_cooperative(
        self,
        info: Info,
        input: Annotated[
            RegisterCooperativeInput, strawberry.argument(description="The cooperative.")
        ],
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
        "live feed they follow ends, or goes on without what only the pengurus see. Errors: "
        "UNAUTHENTICATED, NOT_FOUND, PERMISSION_DENIED (not a pengurus), INVALID_STATE."
    )
    async def resign_pengurus(
        self, info: Info, cooperative_id: COOPERATIVE_ID
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

    @strawberry.mutation(
        description="Any signed-in user applies: a PENDING membership. One membership per "
        "person per cooperative. Errors: UNAUTHENTICATED, NOT_FOUND (cooperativeId), REQUIRED, "
        "INVALID (nik, address, phone), DUPLICATE (applied already)."
    )
    async def apply_membership(
        self,
        info: Info,
        cooperative_id: COOPERATIVE_ID,
        input: Annotated[
            MembershipApplicationInput, strawberry.argument(description="The application.")
        ],
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
        "number (gap-free), opens its savings accounts and issues the simpanan pokok bill; "
        "rejecting needs a reason. Errors: UNAUTHENTICATED, NOT_FOUND, PERMISSION_DENIED (not "
        "a pengurus, or one's own), INVALID_STATE (decided already), REQUIRED, INVALID "
        "(reason), DUPLICATE (the NIK is verified for another account)."
    )
    async def decide_membership(
        self,
        info: Info,
        id: MEMBERSHIP_ID,
        approve: Annotated[bool, strawberry.argument(description="True approves, false rejects.")],
        reason: Annotated[
            str | None,
            strawberry.argument(description="Why it is rejected: required then, at most 255."),
        ] = None,
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
        "outstanding or a bill payment awaits its biller; otherwise the membership ENDS, "
        "every savings balance is paid out and unpaid simpanan bills are dropped. Errors: "
        "UNAUTHENTICATED, NOT_FOUND, INVALID_STATE, DUPLICATE (idempotencyKey)."
    )
    async def end_membership(
        self, info: Info, id: MEMBERSHIP_ID, idempotency_key: IdempotencyKey = None
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
        "transaction a client saw, first replays in order what it missed since. Nobody sees "
        "names; a member sees the member number on their own lines only, a pengurus every "
        "number. UNAUTHENTICATED, NOT_FOUND or FORBIDDEN errors for anyone else."
    )
    async def cooperative_transactions(
        self,
        info: Info,
        cooperative_id: COOPERATIVE_ID,
        after: Annotated[
            strawberry.ID | None,
            strawberry.argument(
                description="The id of the last SavingsTransaction the client saw: what came "
                "after it (up to 1000) is sent first."
            ),
        ] = None,
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
