"""Bills and one-door payment: monthly bills, outside bills inquired at the biller, PayBills
and its receipts."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date, datetime
from enum import Enum
from typing import Annotated

import strawberry
from strawberry import relay
from strawberry.types import Info

from models import bills as m
from models.platform import User
from resolvers.bills import PayBillsFields, auto_debit, top_up_ppob_deposit
from resolvers.bills import inquiry as bill_inquiry
from resolvers.bills import monthly as monthly_bills
from resolvers.bills import payment as bill_payment
from resolvers.platform import now
from schema.platform import (
    ERRORS,
    IdempotencyKey,
    Money,
    Rupiah,
    UserError,
    Visible,
    decode_id,
    described_enum,
    encode_id,
    payload_of,
)

BillKind = described_enum(
    m.BillKind,
    "What a bill is for.",
    {
        "SIMPANAN_POKOK": "A cooperative's one-time simpanan pokok, issued on approval.",
        "SIMPANAN_WAJIB": "A cooperative's monthly simpanan wajib (issueMonthlyBills).",
        "LOAN_INSTALLMENT": "A loan installment due in the month (issueMonthlyBills).",
        "PLN_TOKEN": "An outside bill: prepaid electricity, a token for the meter.",
        "PLN_POSTPAID": "An outside bill: postpaid electricity.",
        "PDAM": "An outside bill: piped water.",
        "BPJS": "An outside bill: BPJS Kesehatan contributions.",
    },
    name="BillKind",
)
PaymentSource = described_enum(
    m.PaymentSource,
    "Where a bill payment's money comes from: the member's simpanan sukarela, or QRIS or a "
    "bank transfer through the payment provider.",
    {
        "SUKARELA": "At once from the simpanan sukarela of `membershipId`.",
        "QRIS": "By a dynamic QRIS code (`receipt.qrisPayload`), settled on the provider's "
        "confirmation.",
        "BANK_TRANSFER": "To a virtual account (`receipt.instructions`), settled on the "
        "provider's confirmation.",
    },
    name="PaymentSource",
)
ReceiptStatus = described_enum(
    m.ReceiptStatus,
    "Where a PayBills payment is.",
    {
        "AWAITING_PAYMENT": "A QRIS or transfer payment asked for, not yet confirmed by the "
        "provider.",
        "PAID": "The money was taken (SUKARELA at once, QRIS or transfer once confirmed).",
        "REFUNDED": "Confirmed, but by then a bill could no longer be paid, so the whole "
        "amount went back.",
    },
    name="ReceiptStatus",
)


class BillStatus(Enum):
    UNPAID = "UNPAID"
    PAID = "PAID"


described_enum(
    BillStatus,
    "As the contract has it: PAID once its state is PAID, UNPAID otherwise. The "
    "`bills(status:)` filters give the bills whose `state` is UNPAID (still to pay) or PAID.",
    {
        "UNPAID": "Not paid (its state may be UNPAID, EXPIRED, PENDING or REFUNDED).",
        "PAID": "Paid (and confirmed by the biller for an outside bill).",
    },
    name="BillStatus",
)


class BillState(Enum):
    UNPAID = "UNPAID"
    EXPIRED = "EXPIRED"
    PENDING = "PENDING"
    PAID = "PAID"
    REFUNDED = "REFUNDED"


described_enum(
    BillState,
    "Where a bill is.",
    {
        "UNPAID": "Payable.",
        "EXPIRED": "An outside bill's inquiry ran out: inquire again.",
        "PENDING": "Paid, the biller has not confirmed yet; asked again until it does.",
        "PAID": "Paid.",
        "REFUNDED": "The biller refused it and the money went back.",
    },
    name="BillState",
)


def state_of(bill: m.Bill) -> BillState:
    status = m.BillStatus(bill.status)
    if status == m.BillStatus.UNPAID and bill.expires_at is not None and now() >= bill.expires_at:
        return BillState.EXPIRED
    return BillState(status.value)


@strawberry.type(
    description="Something a user owes: their cooperative's simpanan pokok or wajib, a loan "
    "installment, or an outside bill (PLN, PDAM, BPJS) they inquired."
)
class Bill(Visible, relay.Node):
    id: relay.NodeID[int]
    kind: BillKind = strawberry.field(description="What it is for.")
    description: str = strawberry.field(
        description="What it is, in Bahasa Indonesia, e.g. Simpanan wajib 2026-11."
    )
    due_date: date = strawberry.field(description="The day it is due (Asia/Jakarta).")
    status: BillStatus = strawberry.field(description="PAID or UNPAID; see `state`.")
    model: strawberry.Private[m.Bill]

    @classmethod
    def of(cls, bill: m.Bill) -> Bill:
        paid = m.BillStatus(bill.status) == m.BillStatus.PAID
        return cls(
            id=bill.id,
            kind=m.BillKind(bill.kind),
            description=bill.description,
            due_date=bill.due_date,
            status=BillStatus.PAID if paid else BillStatus.UNPAID,
            model=bill,
        )

    @strawberry.field(description="The bill itself, without the admin fee.")
    def amount(self) -> Money:
        return Money(amount=self.model.amount)

    @strawberry.field(description="The biller's admin fee of an outside bill; zero otherwise.")
    def admin_fee(self) -> Money:
        return Money(amount=self.model.admin_fee)

    @strawberry.field(description="What paying it takes: the amount plus the admin fee.")
    def total(self) -> Money:
        return Money(amount=self.model.amount + self.model.admin_fee)

    @strawberry.field(description="The richer state behind `status`.")
    def state(self) -> BillState:
        return state_of(self.model)

    @strawberry.field(description="Outside bills: the customer (or meter) number.")
    def customer_number(self) -> str | None:
        return self.model.customer_number or None

    @strawberry.field(description="Outside bills: the customer's name as the biller has it.")
    def customer_name(self) -> str | None:
        return self.model.customer_name or None

    @strawberry.field(description="The billed month, YYYY-MM; none for once-only bills.")
    def period(self) -> str | None:
        return self.model.period or None

    @strawberry.field(description="Outside bills: payable until then (the same Jakarta day).")
    def expires_at(self) -> datetime | None:
        return self.model.expires_at

    @strawberry.field(description="When it was paid; null until then.")
    def paid_at(self) -> datetime | None:
        return self.model.paid_at


@strawberry.type(description="One bill of a receipt, as paid.")
class ReceiptLine:
    bill: Bill = strawberry.field(description="The bill.")
    kind: BillKind = strawberry.field(description="What it is for.")
    description: str = strawberry.field(description="What it is.")
    amount: Money = strawberry.field(description="The bill itself, without the admin fee.")
    admin_fee: Money = strawberry.field(description="The biller's admin fee; zero if none.")
    state: BillState = strawberry.field(description="Where the bill is now.")
    biller_reference: str | None = strawberry.field(
        description="The biller's transaction id for an outside bill, once PAID."
    )
    token: str | None = strawberry.field(
        description="PLN_TOKEN: the twenty-digit token to enter into the meter, once PAID."
    )
    kwh: str | None = strawberry.field(description="PLN_TOKEN: the energy it buys, in kWh.")
    message: str | None = strawberry.field(
        description="Why an outside bill is PENDING or REFUNDED, as the biller said it."
    )

    @classmethod
    def of(cls, bill: m.Bill) -> ReceiptLine:
        return cls(
            bill=Bill.of(bill),
            kind=m.BillKind(bill.kind),
            description=bill.description,
            amount=Money(amount=bill.amount),
            admin_fee=Money(amount=bill.admin_fee),
            state=state_of(bill),
            biller_reference=bill.biller_reference or None,
            token=bill.token or None,
            kwh=None if bill.kwh is None else str(bill.kwh),
            message=bill.biller_message or None,
        )


@strawberry.type(
    description="One PayBills payment: what it paid, from where, and what each bill's biller "
    "answered. Seen by the user who paid."
)
class BillReceipt(Visible, relay.Node):
    id: relay.NodeID[int]
    source: PaymentSource = strawberry.field(description="Where the money comes from.")
    status: ReceiptStatus = strawberry.field(description="Where the payment is.")
    total: Money = strawberry.field(description="Every bill's total (with admin fees).")
    paid_at: datetime | None = strawberry.field(
        description="When the money was taken: at once from SUKARELA, on the provider's "
        "confirmation for QRIS and BANK_TRANSFER."
    )
    instructions: str | None = strawberry.field(
        description="QRIS and BANK_TRANSFER: what to pay where (the virtual account)."
    )
    qris_payload: str | None = strawberry.field(
        description="QRIS: the dynamic EMVCo string with the amount, to show as a QR code."
    )
    expires_at: datetime | None = strawberry.field(
        description="QRIS and BANK_TRANSFER: pay before this, or the payment is refunded."
    )
    model: strawberry.Private[m.BillReceipt]

    @classmethod
    def of(cls, receipt: m.BillReceipt) -> BillReceipt:
        return cls(
            id=receipt.id,
            source=m.PaymentSource(receipt.source),
            status=m.ReceiptStatus(receipt.status),
            total=Money(amount=receipt.total),
            paid_at=receipt.paid_at,
            instructions=receipt.instructions,
            qris_payload=receipt.qris_payload,
            expires_at=receipt.expires_at,
            model=receipt,
        )

    @strawberry.field(description="Its bills, in the order they were asked.")
    async def lines(self) -> list[ReceiptLine]:
        found = await bill_payment.receipt_of(self.model)
        return [ReceiptLine.of(bill) for bill in found.bills]


@strawberry.input(description="The bills to pay at once and how.")
class PayBillsInput:
    bill_ids: list[strawberry.ID] = strawberry.field(
        description="The Bills' ids: 1 to 50 of the user's own UNPAID bills."
    )
    source: PaymentSource = strawberry.field(description="Where the money comes from.")
    membership_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="The user's Membership: required with SUKARELA (whose savings pay) and "
        "with outside bills (paid through its cooperative).",
    )
    idempotency_key: str = strawberry.field(
        description="At most 100 characters. The same key pays once: repeating it returns "
        "the same receipt (the same key with another request is DUPLICATE)."
    )


@strawberry.type(description="The answer to issueMonthlyBills.")
class IssueMonthlyBillsPayload:
    issued: int = strawberry.field(default=0, description="Bills issued now; 0 when run again.")
    errors: list[UserError] = strawberry.field(default_factory=list, description=ERRORS)


@strawberry.type(description="The answer to topUpPpobDeposit.")
class PpobDepositPayload:
    deposit: Money | None = strawberry.field(
        default=None,
        description="The cooperative's Deposit PPOB after the top-up; null when `errors` is "
        "not empty.",
    )
    errors: list[UserError] = strawberry.field(default_factory=list, description=ERRORS)


@strawberry.type(description="The answer to inquireBill.")
class BillPayload:
    bill: Bill | None = strawberry.field(
        default=None, description="The user's UNPAID bill; null when `errors` is not empty."
    )
    errors: list[UserError] = strawberry.field(default_factory=list, description=ERRORS)


@strawberry.type(description="The answer to payBills.")
class PayBillsPayload:
    bills: list[Bill] = strawberry.field(
        default_factory=list, description="The bills as they are now; empty on errors."
    )
    receipt: BillReceipt | None = strawberry.field(
        default=None, description="The payment's receipt; null when `errors` is not empty."
    )
    errors: list[UserError] = strawberry.field(default_factory=list, description=ERRORS)


def _pay_bills_fields(data: PayBillsInput) -> PayBillsFields:
    return PayBillsFields(
        bill_ids=[decode_id(bill_id, "Bill", "billIds") for bill_id in data.bill_ids],
        source=m.PaymentSource(data.source),
        membership_id=None
        if data.membership_id is None
        else decode_id(data.membership_id, "Membership", "membershipId"),
        idempotency_key=data.idempotency_key,
    )


def _paid(found: bill_payment.Receipt) -> PayBillsPayload:
    return PayBillsPayload(
        bills=[Bill.of(bill) for bill in found.bills], receipt=BillReceipt.of(found.receipt)
    )


StandingInstructionStatus = described_enum(
    m.StandingInstructionStatus,
    "Where a standing instruction (auto-debit) is.",
    {
        "ACTIVE": "The daily run pays its bills from SUKARELA on their due dates.",
        "PAUSED": "Runs skip it until the member resumes it.",
        "CANCELLED": "Ended for good.",
    },
    name="StandingInstructionStatus",
)


@strawberry.type(
    description="A member's standing instruction (auto-debit): the cooperative pays their "
    "bills of `kinds` from SUKARELA on their due dates. Seen by the member and the "
    "cooperative's pengurus only."
)
class StandingInstruction(Visible, relay.Node):
    id: relay.NodeID[int]
    status: StandingInstructionStatus = strawberry.field(description="Where it is.")
    kinds: list[BillKind] = strawberry.field(
        description="The bills it pays: SIMPANAN_WAJIB and/or LOAN_INSTALLMENT."
    )
    created_at: datetime = strawberry.field(description="When the member created it.")
    paused_at: datetime | None = strawberry.field(
        description="When it was paused; null while ACTIVE."
    )
    cancelled_at: datetime | None = strawberry.field(
        description="When it was cancelled; null until then."
    )

    @classmethod
    def of(cls, row: m.StandingInstruction) -> StandingInstruction:
        return cls(
            id=row.id,
            status=m.StandingInstructionStatus(row.status),
            kinds=[m.BillKind(kind) for kind in row.kinds],
            created_at=row.created_at,
            paused_at=row.paused_at,
            cancelled_at=row.cancelled_at,
        )


@strawberry.type(
    description="The answer to createStandingInstruction, pauseStandingInstruction, "
    "resumeStandingInstruction and cancelStandingInstruction."
)
class StandingInstructionPayload:
    standing_instruction: StandingInstruction | None = strawberry.field(
        default=None, description="The instruction; null when `errors` is not empty."
    )
    errors: list[UserError] = strawberry.field(default_factory=list, description=ERRORS)


def _instruction_payload(row: m.StandingInstruction) -> StandingInstructionPayload:
    return StandingInstructionPayload(standing_instruction=StandingInstruction.of(row))


async def _instruction_changed(
    info: Info,
    id: strawberry.ID,
    change: Callable[[User | None, int], Awaitable[m.StandingInstruction]],
) -> StandingInstructionPayload:
    """Pause, resume or cancel the instruction `id` as the viewer."""
    return await payload_of(
        StandingInstructionPayload,
        lambda: change(info.context.viewer, decode_id(id, "StandingInstruction", "id")),
        _instruction_payload,
    )


@strawberry.type(description="The answer to runAutoDebit.")
class AutoDebitRunPayload:
    paid: list[strawberry.ID] = strawberry.field(
        default_factory=list, description="The Bills this run paid, in the order it paid them."
    )
    unpaid: list[strawberry.ID] = strawberry.field(
        default_factory=list,
        description="The Bills it tried and left UNPAID (SUKARELA did not cover them).",
    )
    collected: Money | None = strawberry.field(
        default=None, description="What it took, together; null when `errors` is not empty."
    )
    errors: list[UserError] = strawberry.field(default_factory=list, description=ERRORS)


def _run_payload(run: auto_debit.AutoDebitRun) -> AutoDebitRunPayload:
    return AutoDebitRunPayload(
        paid=[strawberry.ID(encode_id("Bill", bill.id)) for bill in run.paid],
        unpaid=[strawberry.ID(encode_id("Bill", bill.id)) for bill in run.unpaid],
        collected=Money(amount=run.collected),
    )


@strawberry.type
class Mutation:
    @strawberry.mutation(
        description="A pengurus: issue every active member's simpanan wajib bill (due on the "
        "period's last day) and every loan installment bill due in `period` (YYYY-MM). "
        "Running it again, also at the same time, issues nothing new. Errors: "
        "UNAUTHENTICATED, PERMISSION_DENIED, INVALID (period)."
    )
    async def issue_monthly_bills(
        self,
        info: Info,
        cooperative_id: Annotated[
            strawberry.ID, strawberry.argument(description="The Cooperative's id.")
        ],
        period: Annotated[str, strawberry.argument(description="The month, YYYY-MM.")],
    ) -> IssueMonthlyBillsPayload:
        return await payload_of(
            IssueMonthlyBillsPayload,
            lambda: monthly_bills.issue_monthly_bills(
                info.context.viewer,
                decode_id(cooperative_id, "Cooperative", "cooperativeId"),
                period,
            ),
            lambda issued: IssueMonthlyBillsPayload(issued=issued),
        )

    @strawberry.mutation(
        description="A pengurus records a top-up of the cooperative's Deposit PPOB, the "
        "prepaid balance at the biller that outside bills paid through the cooperative are "
        "paid from, sent from Kas dan Bank: one entry (Dr Deposit PPOB, Cr Kas dan Bank). An "
        "outside bill the deposit cannot cover is refused (INSUFFICIENT_BALANCE). Once per "
        "idempotencyKey. Errors: UNAUTHENTICATED, NOT_FOUND, PERMISSION_DENIED, INVALID "
        "(amount not above 0)."
    )
    async def top_up_ppob_deposit(
        self,
        info: Info,
        cooperative_id: Annotated[
            strawberry.ID, strawberry.argument(description="The Cooperative's id.")
        ],
        amount: Annotated[
            Rupiah, strawberry.argument(description="What was sent to the biller; above 0.")
        ],
        idempotency_key: IdempotencyKey = None,
    ) -> PpobDepositPayload:
        return await payload_of(
            PpobDepositPayload,
            lambda: top_up_ppob_deposit(
                info.context.viewer,
                decode_id(cooperative_id, "Cooperative", "cooperativeId"),
                amount,
                info.context.services.events,
                idempotency_key,
            ),
            lambda found: PpobDepositPayload(deposit=Money(amount=found.ppob_deposit)),
        )

    @strawberry.mutation(
        description="A signed-in user: look up an outside bill (PLN_POSTPAID, PLN_TOKEN, PDAM, "
        "BPJS) by customer number at the configured biller; it becomes their UNPAID bill, "
        "payable until it expires. `denomination` picks a PLN token's amount (Rp20.000 "
        "unless given). The same inquiry again, while its bill is payable, gives the same "
        "bill. Errors: UNAUTHENTICATED, INVALID (not an outside kind, a bad number or "
        "denomination), NOT_FOUND (an unknown number, nothing to pay), INVALID_STATE (paid "
        "already), SERVICE_UNAVAILABLE (the biller does not answer)."
    )
    async def inquire_bill(
        self,
        info: Info,
        kind: Annotated[
            BillKind,
            strawberry.argument(description="PLN_TOKEN, PLN_POSTPAID, PDAM or BPJS."),
        ],
        customer_number: Annotated[
            str,
            strawberry.argument(description="The customer, meter or BPJS number at the biller."),
        ],
        denomination: Annotated[
            Rupiah | None,
            strawberry.argument(description="PLN_TOKEN: the token's amount (Rp20.000 if none)."),
        ] = None,
    ) -> BillPayload:
        return await payload_of(
            BillPayload,
            lambda: bill_inquiry.inquire_bill(
                info.context.viewer,
                m.BillKind(kind),
                customer_number,
                denomination,
                info.context.services.biller,
            ),
            lambda bill: BillPayload(bill=Bill.of(bill)),
        )

    @strawberry.mutation(
        description="One door: pay any mix of the user's own unpaid bills at once, from "
        "SUKARELA of membershipId (cooperative bills of that cooperative), or by QRIS or "
        "BANK_TRANSFER (settled when the provider confirms). Outside bills are paid through "
        "a membership's cooperative, so they need membershipId with any source. All or "
        "nothing; the same idempotencyKey pays once and returns the same receipt. Errors: "
        "UNAUTHENTICATED, REQUIRED, LIMIT_EXCEEDED (50 bills), NOT_FOUND, INVALID_STATE "
        "(paid, processing or expired), INVALID, INSUFFICIENT_BALANCE."
    )
    async def pay_bills(
        self,
        info: Info,
        input: Annotated[PayBillsInput, strawberry.argument(description="What and how.")],
    ) -> PayBillsPayload:
        return await payload_of(
            PayBillsPayload,
            lambda: bill_payment.pay_bills(
                info.context.viewer, _pay_bills_fields(input), info.context.services
            ),
            _paid,
        )

    @strawberry.mutation(
        description="The member themself: authorises the cooperative to pay their bills of "
        "`kinds` (SIMPANAN_WAJIB and/or LOAN_INSTALLMENT) from SUKARELA on their due dates; "
        "it starts ACTIVE. Errors: UNAUTHENTICATED, NOT_FOUND, PERMISSION_DENIED (a "
        "pengurus), INVALID_STATE (membership not active), INVALID (kinds), DUPLICATE (an "
        "instruction not CANCELLED already)."
    )
    async def create_standing_instruction(
        self,
        info: Info,
        membership_id: Annotated[
            strawberry.ID, strawberry.argument(description="The member's ACTIVE Membership.")
        ],
        kinds: Annotated[
            list[BillKind], strawberry.argument(description="SIMPANAN_WAJIB, LOAN_INSTALLMENT.")
        ],
    ) -> StandingInstructionPayload:
        return await payload_of(
            StandingInstructionPayload,
            lambda: auto_debit.create_instruction(
                info.context.viewer,
                decode_id(membership_id, "Membership", "membershipId"),
                [m.BillKind(kind) for kind in kinds],
            ),
            _instruction_payload,
        )

    @strawberry.mutation(
        description="The member or a pengurus: an ACTIVE instruction becomes PAUSED and runs "
        "skip it. Errors: UNAUTHENTICATED, NOT_FOUND, INVALID_STATE (not ACTIVE)."
    )
    async def pause_standing_instruction(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="The StandingInstruction.")],
    ) -> StandingInstructionPayload:
        return await _instruction_changed(info, id, auto_debit.pause_instruction)

    @strawberry.mutation(
        description="The member themself: a PAUSED instruction becomes ACTIVE; the next run "
        "collects the bills that fell due meanwhile. Errors: UNAUTHENTICATED, NOT_FOUND, "
        "PERMISSION_DENIED (a pengurus), INVALID_STATE (not PAUSED)."
    )
    async def resume_standing_instruction(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="The StandingInstruction.")],
    ) -> StandingInstructionPayload:
        return await _instruction_changed(info, id, auto_debit.resume_instruction)

    @strawberry.mutation(
        description="The member or a pengurus: ends the instruction for good (CANCELLED). "
        "Errors: UNAUTHENTICATED, NOT_FOUND, INVALID_STATE (cancelled already)."
    )
    async def cancel_standing_instruction(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="The StandingInstruction.")],
    ) -> StandingInstructionPayload:
        return await _instruction_changed(info, id, auto_debit.cancel_instruction)

    @strawberry.mutation(
        description="Its pengurus: the auto-debit run for `date` (today or a past day), the "
        "work the daily sweep does for today. Every UNPAID bill due by then of a kind an "
        "ACTIVE instruction names is paid whole from SUKARELA as PayBills pays it (per member: "
        "installments, then simpanan wajib, oldest due first) or stays UNPAID; a bill is paid "
        "once however many runs overlap. Errors: UNAUTHENTICATED, NOT_FOUND (cooperative), "
        "PERMISSION_DENIED, INVALID (a later date)."
    )
    async def run_auto_debit(
        self,
        info: Info,
        cooperative_id: Annotated[
            strawberry.ID, strawberry.argument(description="The Cooperative.")
        ],
        date: Annotated[
            date,
            strawberry.argument(
                description="The business day (Asia/Jakarta), not later than today."
            ),
        ],
    ) -> AutoDebitRunPayload:
        return await payload_of(
            AutoDebitRunPayload,
            lambda: auto_debit.run_auto_debit(
                info.context.viewer,
                decode_id(cooperative_id, "Cooperative", "cooperativeId"),
                date,
                info.context.services.events,
            ),
            _run_payload,
        )
