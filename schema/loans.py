"""Loans (pinjaman): applying, deciding, disbursing, repaying, and what the pages read."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry import relay
from strawberry.types import Info

from models import cooperatives as m_coop
from models import loans as m
from resolvers import loans
from resolvers.loans import allowance, arrears
from resolvers.loans import payments as loan_payments
from resolvers.loans import views as loan_views
from resolvers.platform import Forbidden, today
from schema.cooperatives import JournalEntry, viewer_facts
from schema.platform import (
    ERRORS,
    IdempotencyKey,
    Money,
    Rupiah,
    UserError,
    Visible,
    decode_id,
    described_enum,
    payload_of,
)

if TYPE_CHECKING:
    from schema.cooperatives import Membership

LoanStatus = described_enum(
    m.LoanStatus,
    "Where a loan is.",
    {
        "APPLIED": "Asked for; a pengurus decides.",
        "APPROVED": "Approved at a rate and method: its schedule is fixed, awaiting disbursement.",
        "REJECTED": "Refused, with a reason.",
        "ACTIVE": "Disbursed into SUKARELA and being repaid.",
        "PAID_OFF": "Repaid in full.",
    },
    name="LoanStatus",
)
InterestMethod = described_enum(
    m.InterestMethod,
    "How a loan's interest is reckoned. The monthly rate is a twelfth of the yearly one; the "
    "schedule's principal parts add up exactly to the principal (whole rupiah).",
    {
        "FLAT": "Interest on the original principal every month; equal installments.",
        "EFEKTIF": "Declining balance: equal principal parts, interest on what is still owed.",
        "ANUITAS": "Annuity: equal installments, interest on what is still owed.",
    },
    name="InterestMethod",
)

LOAN_ID = Annotated[strawberry.ID, strawberry.argument(description="The Loan's id.")]


@strawberry.type(description="One installment of a loan's schedule and what has been paid on it.")
class Installment:
    number: int = strawberry.field(description="1 for the first, up to the tenor.")
    due_date: date = strawberry.field(
        description="Monthly from the disbursement date (Asia/Jakarta); before disbursement, "
        "provisional from the approval date."
    )
    paid_at: datetime | None = strawberry.field(
        description="When its principal and interest were paid (or an early payoff closed it)."
    )
    row: strawberry.Private[m.LoanInstallment]

    @strawberry.field(description="The principal part.")
    def principal(self) -> Money:
        return Money(amount=self.row.principal)

    @strawberry.field(description="The interest part (an early payoff may lower it).")
    def interest(self) -> Money:
        return Money(amount=self.row.interest)

    @strawberry.field(description="Principal plus interest.")
    def total(self) -> Money:
        return Money(amount=self.row.principal + self.row.interest)

    @strawberry.field(description="Principal and interest paid so far.")
    def paid(self) -> Money:
        return Money(amount=self.row.principal_paid + self.row.interest_paid)

    @strawberry.field(description="Denda (late fee) paid on it.")
    def denda_paid(self) -> Money:
        return Money(amount=self.row.denda_paid)

    @classmethod
    def of(cls, row: m.LoanInstallment) -> Installment:
        return cls(number=row.number, due_date=row.due_date, paid_at=row.paid_at, row=row)


KolektibilitasBandSet = described_enum(
    m_coop.KolektibilitasBands,
    "Which days-past-due bands grade a cooperative's loans.",
    {
        "BANK": "The bank bands (default): 1 lancar (0 days), 2 dalam perhatian khusus "
        "(1-90), 3 kurang lancar (91-120), 4 diragukan (121-180), 5 macet (over 180).",
        "MINISTRY": "The cooperative ministry's four classes: 1 lancar (up to 30 days), "
        "3 kurang lancar (31-180), 4 diragukan (181-360), 5 macet (over 360).",
    },
    name="KolektibilitasBandSet",
)


@strawberry.type(
    description="Kolektibilitas 1-5 by days past due: 1 lancar (0), 2 dalam perhatian khusus "
    "(1-90), 3 kurang lancar (91-120), 4 diragukan (121-180), 5 macet (over 180), by the "
    "bank bands; by the cooperative's own kolektibilitasBands when it chose another set."
)
class Kolektibilitas:
    level: int = strawberry.field(description="1 (lancar) to 5 (macet).")
    label: str = strawberry.field(description="Its name, e.g. lancar.")

    @classmethod
    def of(cls, found: arrears.Kolektibilitas) -> Kolektibilitas:
        return cls(level=found.value, label=found.label)


@strawberry.type(
    description="One Jakarta month of the applicant's shops' trading: revenue of paid orders, "
    "their number, the orders cancelled, and the average paid order (rounded down)."
)
class ShopSalesMonth:
    month: str = strawberry.field(description="YYYY-MM, Asia/Jakarta.")
    paid_orders: int = strawberry.field(description="Orders placed in the month and paid.")
    cancelled_orders: int = strawberry.field(description="Orders placed in the month, cancelled.")
    sales: strawberry.Private[loan_views.SalesMonth]

    @strawberry.field(description="The totals of the paid orders.")
    def revenue(self) -> Money:
        return Money(amount=self.sales.revenue)

    @strawberry.field(description="revenue / paidOrders, rounded down; 0 without orders.")
    def average_order(self) -> Money:
        return Money(amount=self.sales.average_order)


@strawberry.type(
    description="A member's loan (pinjaman). Seen by the member and the cooperative's pengurus."
)
class Loan(Visible, relay.Node):
    id: relay.NodeID[int]
    status: LoanStatus = strawberry.field(description="Where it is.")
    method: InterestMethod | None = strawberry.field(
        description="How interest is reckoned; null until approved."
    )
    annual_rate_bps: int | None = strawberry.field(
        description="Yearly rate in basis points; the monthly rate is exactly a twelfth of it."
    )
    tenor_months: int = strawberry.field(description="Months to repay it in, 1 to 60.")
    purpose: str = strawberry.field(description="What the member borrows for.")
    share_shop_sales: bool = strawberry.field(
        description="The applicant shares their shops' sales with the pengurus (`shopSales`)."
    )
    rejection_reason: str = strawberry.field(description="Why it was REJECTED; else empty.")
    applied_at: datetime = strawberry.field(description="When the member applied.")
    decided_at: datetime | None = strawberry.field(description="Approved or rejected at.")
    disbursed_at: datetime | None = strawberry.field(description="When it was paid out; else null.")
    paid_off_at: datetime | None = strawberry.field(description="When it was repaid; else null.")
    written_off_at: datetime | None = strawberry.field(
        description="When it was written off against the allowance (writeOffLoan): still owed, "
        "ACTIVE, for collection, without denda; else null."
    )
    model: strawberry.Private[m.Loan]

    @classmethod
    def of(cls, loan: m.Loan) -> Loan:
        return cls(
            id=loan.id,
            status=m.LoanStatus(loan.status),
            method=m.InterestMethod(loan.method) if loan.method else None,
            annual_rate_bps=loan.annual_rate_bps,
            tenor_months=loan.tenor_months,
            purpose=loan.purpose,
            share_shop_sales=loan.share_shop_sales,
            rejection_reason=loan.rejection_reason,
            applied_at=loan.created_at,
            decided_at=loan.decided_at,
            disbursed_at=loan.disbursed_at,
            paid_off_at=loan.paid_off_at,
            written_off_at=loan.written_off_at,
            model=loan,
        )

    async def _membership(self, info: Info) -> m_coop.Membership:
        found = await info.context.loaders.membership.load(self.model.membership_id)
        assert found is not None  # the foreign key guarantees it
        return found

    async def _is_pengurus(self, info: Info) -> bool:
        cooperative_id = (await self._membership(info)).cooperative_id
        return cooperative_id in (await viewer_facts(info)).administered

    async def _for_pengurus(self, info: Info) -> None:
        if not await self._is_pengurus(info):
            raise Forbidden("Hanya pengurus koperasi ini yang boleh melihatnya.")

    async def _installments(self, info: Info) -> list[m.LoanInstallment]:
        return await info.context.loaders.loan_installments.load(self.model.id)

    @strawberry.field(description="The borrower's membership.")
    async def membership(
        self, info: Info
    ) -> Annotated[Membership, strawberry.lazy("schema.cooperatives")]:
        from schema.cooperatives import Membership

        return Membership.of(await self._membership(info))

    @strawberry.field(description="The amount borrowed.")
    def principal(self) -> Money:
        return Money(amount=self.model.principal)

    @strawberry.field(description="Principal still owed.")
    def outstanding(self) -> Money:
        return Money(amount=self.model.outstanding)

    @strawberry.field(description="The next unpaid installment; none unless ACTIVE.")
    async def next_installment(self, info: Info) -> Installment | None:
        if self.model.status != m.LoanStatus.ACTIVE:
            return None
        unpaid = [i for i in await self._installments(info) if i.paid_at is None]
        return Installment.of(unpaid[0]) if unpaid else None

    @strawberry.field(description="Every installment, in order; empty before approval.")
    async def schedule(self, info: Info) -> list[Installment]:
        return [Installment.of(i) for i in await self._installments(info)]

    @strawberry.field(
        description="ACTIVE only: what an early payoff today costs, the principal still owed, "
        "the interest up to today (the running month's by days) and the denda; null otherwise."
    )
    async def payoff_amount(self, info: Info) -> Money | None:
        if self.model.status != m.LoanStatus.ACTIVE:
            return None
        cooperative = await info.context.loaders.cooperative.load(
            (await self._membership(info)).cooperative_id
        )
        assert cooperative is not None
        quote = await loan_payments.payoff_quote(self.model, cooperative, today())
        return Money(amount=quote.total)

    @strawberry.field(
        description="Its pengurus only (a FORBIDDEN error for others): days since the oldest "
        "installment not fully paid fell due (Asia/Jakarta); 0 when none is past due."
    )
    async def days_past_due(self, info: Info) -> int:
        await self._for_pengurus(info)
        return loan_views.days_past_due(await self._installments(info), today())

    @strawberry.field(
        description="Its pengurus only (a FORBIDDEN error for others): the kolektibilitas of "
        "its days past due."
    )
    async def kolektibilitas(self, info: Info) -> Kolektibilitas:
        await self._for_pengurus(info)
        days = loan_views.days_past_due(await self._installments(info), today())
        cooperative = await info.context.loaders.cooperative.load(
            (await self._membership(info)).cooperative_id
        )
        assert cooperative is not None
        bands = arrears.BAND_SETS[m_coop.KolektibilitasBands(cooperative.kolektibilitas_bands)]
        return Kolektibilitas.of(arrears.kolektibilitas(days, bands))

    @strawberry.field(
        description="The capital view, for the cooperative's pengurus only and only when the "
        "applicant chose `shareShopSales`: the trading of the shops the applicant owns in the "
        "marketplace, per Jakarta month over the last 12 (oldest first), from their orders. "
        "Null to anyone else, or when not shared."
    )
    async def shop_sales(self, info: Info) -> list[ShopSalesMonth] | None:
        if not self.model.share_shop_sales or not await self._is_pengurus(info):
            return None
        found = await loan_views.shop_sales(self.model.applicant_id, today())
        return [
            ShopSalesMonth(
                month=s.month,
                paid_orders=s.paid_orders,
                cancelled_orders=s.cancelled_orders,
                sales=s,
            )
            for s in found
        ]


@strawberry.type(
    description="A cooperative's loan policy: the largest principal it lends, and the denda "
    "on a late installment, in basis points per day past due of what is still owed on it, "
    "charged for the days beyond the grace days (rounded down to the rupiah)."
)
class LoanPolicy:
    denda_bps_per_day: int = strawberry.field(
        description="Denda per day past due, in basis points of what is still owed."
    )
    grace_days: int = strawberry.field(description="Days past due without denda.")
    policy: strawberry.Private[loans.LoanPolicy]

    @strawberry.field(description="The largest principal it lends.")
    def max_principal(self) -> Money:
        return Money(amount=self.policy.max_principal)

    @strawberry.field(
        description="The most denda one installment owes (paid and owed together), as a "
        "percentage of its scheduled principal and interest; null when uncapped."
    )
    def denda_cap_percent(self) -> float | None:
        cap = self.policy.denda_cap_bps
        return None if cap is None else cap / 100

    @strawberry.field(
        description="Every installment but a loan's last is a multiple of this amount (its "
        "principal part taking the rounding; the last absorbs the rest); Rp1 is no rounding."
    )
    def installment_multiple_of(self) -> Money:
        return Money(amount=self.policy.installment_multiple or 1)

    @strawberry.field(
        description="The allowance for bad loans of kolektibilitas 1 to 5, in basis points of "
        "the principal outstanding (default 50, 1000, 5000, 5000, 10000)."
    )
    def allowance_rates_bps(self) -> list[int]:
        return list(self.policy.allowance_rates_bps or ())

    @strawberry.field(description="The days-past-due bands that grade its loans.")
    def kolektibilitas_bands(self) -> KolektibilitasBandSet:
        return self.policy.kolektibilitas_bands or m_coop.KolektibilitasBands.BANK

    @classmethod
    def of(cls, policy: loans.LoanPolicy) -> LoanPolicy:
        return cls(
            denda_bps_per_day=policy.denda_bps_per_day, grace_days=policy.grace_days, policy=policy
        )


@strawberry.type(description="One kolektibilitas band of the active loans.")
class KolektibilitasBand:
    kolektibilitas: Kolektibilitas = strawberry.field(description="The band.")
    loans: int = strawberry.field(description="Active loans in it.")
    outstanding: Money = strawberry.field(description="Their principal still owed.")


@strawberry.type(
    description="The cooperative's active loans: principal outstanding, the NPL ratio (the "
    "outstanding of kolektibilitas 3-5 over all outstanding, in basis points) and each band."
)
class LoanPortfolio:
    outstanding: Money = strawberry.field(description="Principal still owed on active loans.")
    active_loans: int = strawberry.field(description="How many loans are ACTIVE.")
    npl_ratio_bps: int = strawberry.field(
        description="Outstanding of kolektibilitas 3-5 over all outstanding, in basis points; "
        "0 without loans."
    )
    bands: list[KolektibilitasBand] = strawberry.field(description="Each kolektibilitas band.")

    @classmethod
    def of(cls, found: loan_views.Portfolio) -> LoanPortfolio:
        return cls(
            outstanding=Money(amount=found.outstanding),
            active_loans=found.active_loans,
            npl_ratio_bps=found.npl_ratio_bps,
            bands=[
                KolektibilitasBand(
                    kolektibilitas=Kolektibilitas.of(b.kolektibilitas),
                    loans=b.loans,
                    outstanding=Money(amount=b.outstanding),
                )
                for b in found.bands
            ],
        )


@strawberry.input(description="A member's loan application.")
class ApplyLoanInput:
    membership_id: strawberry.ID = strawberry.field(description="The applicant's own membership.")
    principal: Rupiah = strawberry.field(description="1 up to the cooperative's maxPrincipal.")
    tenor_months: int = strawberry.field(description="1 to 60 months.")
    purpose: str = strawberry.field(description="What it is for; required, at most 255 characters.")
    share_shop_sales: bool | None = strawberry.field(
        default=False,
        description="Let the cooperative's pengurus see the sales of the shops the applicant "
        "owns in the marketplace (revenue, paid and cancelled orders per month over the last "
        "12, and the average order) with this application: shown to the applicant before "
        "applying.",
    )


@strawberry.input(description="A cooperative's loan policy.")
class LoanPolicyInput:
    max_principal: Rupiah = strawberry.field(
        description="The largest principal it lends: Rp1 to Rp1 trillion."
    )
    denda_bps_per_day: int = strawberry.field(description="0 to 100 basis points a day.")
    grace_days: int = strawberry.field(description="0 to 90 days.")
    denda_cap_percent: float | None = strawberry.field(
        default=strawberry.UNSET,
        description="The most denda per installment, 0 to 100 (two decimals) percent of its "
        "principal and interest; null removes the cap; left out keeps it.",
    )
    installment_multiple_of: Rupiah | None = strawberry.field(
        default=None,
        description="Round every installment but the last to a multiple of this: Rp1 (none) "
        "to Rp100.000, e.g. Rp100 or Rp1.000; left out keeps it. Loans approved afterwards "
        "follow it.",
    )
    kolektibilitas_bands: KolektibilitasBandSet | None = strawberry.field(
        default=None, description="The bands that grade its loans; left out keeps them."
    )
    allowance_rates_bps: list[int] | None = strawberry.field(
        default=None,
        description="The allowance rates of kolektibilitas 1 to 5: five numbers, 0 to 10000 "
        "basis points each; left out keeps them.",
    )


@strawberry.type(description="The answer to a change of a loan.")
class LoanPayload:
    loan: Loan | None = strawberry.field(
        default=None, description="The loan as it is now; null when `errors` is not empty."
    )
    errors: list[UserError] = strawberry.field(default_factory=list, description=ERRORS)


@strawberry.type(description="The answer to setLoanPolicy.")
class LoanPolicyPayload:
    policy: LoanPolicy | None = strawberry.field(
        default=None, description="The policy now; null when `errors` is not empty."
    )
    errors: list[UserError] = strawberry.field(default_factory=list, description=ERRORS)


async def _loan_payload(work: Callable[[], Awaitable[m.Loan]]) -> LoanPayload:
    return await payload_of(LoanPayload, work, lambda found: LoanPayload(loan=Loan.of(found)))


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
        description="The member applies on their own ACTIVE membership; one loan at a time "
        "(APPLIED, APPROVED or ACTIVE) per membership. Errors: UNAUTHENTICATED, NOT_FOUND "
        "(not one's own membership), INVALID_STATE, REQUIRED, INVALID, "
        "LIMIT_EXCEEDED (above maxPrincipal, over 60 months)."
    )
    async def apply_loan(
        self,
        info: Info,
        input: Annotated[ApplyLoanInput, strawberry.argument(description="The application.")],
    ) -> LoanPayload:
        return await _loan_payload(
            lambda: loans.apply_loan(
                info.context.viewer,
                loans.Application(
                    membership_id=decode_id(
                        input.membership_id, "Membership", "input.membershipId"
                    ),
                    principal=input.principal,
                    tenor_months=input.tenor_months,
                    purpose=input.purpose,
                    share_shop_sales=bool(input.share_shop_sales),
                ),
            )
        )

    @strawberry.mutation(
        description="A pengurus other than the applicant approves an APPLIED loan at a yearly "
        "rate (basis points) and method, which fixes its schedule. Errors: UNAUTHENTICATED, "
        "NOT_FOUND, PERMISSION_DENIED, INVALID_STATE (decided already), INVALID."
    )
    async def approve_loan(
        self,
        info: Info,
        id: LOAN_ID,
        annual_rate_bps: Annotated[
            int,
            strawberry.argument(
                description="The yearly rate in basis points, 0 to 10,000 (e.g. 1800 = 18%)."
            ),
        ],
        method: Annotated[
            InterestMethod, strawberry.argument(description="How interest is reckoned.")
        ],
    ) -> LoanPayload:
        return await _loan_payload(
            lambda: loans.approve_loan(
                info.context.viewer,
                decode_id(id, "Loan"),
                annual_rate_bps,
                m.InterestMethod(method),
            )
        )

    @strawberry.mutation(
        description="A pengurus other than the applicant rejects an APPLIED loan with a reason. "
        "Errors: UNAUTHENTICATED, NOT_FOUND, PERMISSION_DENIED, REQUIRED, INVALID, INVALID_STATE."
    )
    async def reject_loan(
        self,
        info: Info,
        id: LOAN_ID,
        reason: Annotated[
            str, strawberry.argument(description="Why; required, at most 255 characters.")
        ],
    ) -> LoanPayload:
        return await _loan_payload(
            lambda: loans.reject_loan(info.context.viewer, decode_id(id, "Loan"), reason)
        )

    @strawberry.mutation(
        description="A pengurus other than the borrower writes off an ACTIVE loan in "
        "kolektibilitas 5 (macet): its principal outstanding leaves Piutang Pinjaman Anggota "
        "against the Penyisihan (and Beban Penyisihan Piutang for what it does not cover), one "
        "WRITE_OFF entry. The loan stays ACTIVE and owed, for collection (`writtenOffAt`): its "
        "denda stops, and principal paid later is Pendapatan Lain-lain. Errors: "
        "UNAUTHENTICATED, NOT_FOUND (a loan the caller may not see), PERMISSION_DENIED (the "
        "borrower, a member), REQUIRED (reason), INVALID_STATE (not macet, not ACTIVE, "
        "written off already)."
    )
    async def write_off_loan(
        self,
        info: Info,
        id: LOAN_ID,
        reason: Annotated[str, strawberry.argument(description="Why; required.")],
    ) -> LoanPayload:
        return await _loan_payload(
            lambda: loans.write_off_loan(
                info.context.viewer, decode_id(id, "Loan"), reason, info.context.services.events
            )
        )

    @strawberry.mutation(
        description="A pengurus other than the applicant disburses an APPROVED loan into the "
        "member's SUKARELA (once, whoever races); the installments fall due from today. "
        "Errors: UNAUTHENTICATED, NOT_FOUND, PERMISSION_DENIED, INVALID_STATE, DUPLICATE "
        "(idempotencyKey)."
    )
    async def disburse_loan(
        self, info: Info, id: LOAN_ID, idempotency_key: IdempotencyKey = None
    ) -> LoanPayload:
        return await _loan_payload(
            lambda: loans.disburse_loan(
                info.context.viewer,
                decode_id(id, "Loan"),
                info.context.services.events,
                idempotency_key,
            )
        )

    @strawberry.mutation(
        description="A pengurus as teller records a cash repayment (not of their own loan): "
        "to the installments due and the running one, oldest first, denda before interest "
        "before principal; more than that is refused (use payOffLoan). Errors: "
        "UNAUTHENTICATED, NOT_FOUND, PERMISSION_DENIED, INVALID_STATE (not ACTIVE), INVALID "
        "(amount), DUPLICATE (idempotencyKey)."
    )
    async def repay_loan(
        self,
        info: Info,
        id: LOAN_ID,
        amount: Annotated[
            Rupiah,
            strawberry.argument(description="The cash paid; more than 0, at most what is due."),
        ],
        idempotency_key: IdempotencyKey = None,
    ) -> LoanPayload:
        return await _loan_payload(
            lambda: loan_payments.repay_loan(
                info.context.viewer,
                decode_id(id, "Loan"),
                amount,
                info.context.services.events,
                idempotency_key,
            )
        )

    @strawberry.mutation(
        description="Early payoff today (`payoffAmount`): from the member's SUKARELA (the "
        "member or a pengurus) or in cash at the teller (a pengurus, not of their own loan). "
        "Every open installment is paid; the loan is PAID_OFF. Errors: UNAUTHENTICATED, "
        "NOT_FOUND, PERMISSION_DENIED, INVALID_STATE (not ACTIVE), INSUFFICIENT_BALANCE, "
        "DUPLICATE (idempotencyKey)."
    )
    async def pay_off_loan(
        self,
        info: Info,
        id: LOAN_ID,
        from_savings: Annotated[
            bool,
            strawberry.argument(
                description="True: from the borrower's SUKARELA; false: cash at the teller."
            ),
        ] = False,
        idempotency_key: IdempotencyKey = None,
    ) -> LoanPayload:
        return await _loan_payload(
            lambda: loan_payments.pay_off_loan(
                info.context.viewer,
                decode_id(id, "Loan"),
                from_savings,
                info.context.services.events,
                idempotency_key,
            )
        )

    @strawberry.mutation(
        description="Its pengurus set the cooperative's loan policy. Errors: UNAUTHENTICATED, "
        "NOT_FOUND, PERMISSION_DENIED, INVALID."
    )
    async def set_loan_policy(
        self,
        info: Info,
        cooperative_id: Annotated[
            strawberry.ID, strawberry.argument(description="The Cooperative's id.")
        ],
        input: Annotated[LoanPolicyInput, strawberry.argument(description="The policy.")],
    ) -> LoanPolicyPayload:
        cap = input.denda_cap_percent
        bands = input.kolektibilitas_bands
        given = loans.LoanPolicy(
            input.max_principal,
            input.denda_bps_per_day,
            input.grace_days,
            installment_multiple=input.installment_multiple_of,
            kolektibilitas_bands=None if bands is None else m_coop.KolektibilitasBands(bands),
            allowance_rates_bps=None
            if input.allowance_rates_bps is None
            else tuple(input.allowance_rates_bps),
        )
        return await payload_of(
            LoanPolicyPayload,
            lambda: loans.set_loan_policy(
                info.context.viewer,
                decode_id(cooperative_id, "Cooperative", "cooperativeId"),
                given,
                None if cap is strawberry.UNSET else cap,
                sets_denda_cap=cap is not strawberry.UNSET,
            ),
            lambda found: LoanPolicyPayload(policy=LoanPolicy.of(found)),
        )

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
