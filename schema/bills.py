"""Bills and one-door payment: monthly bills, outside bills inquired at the biller, PayBills
and its receipts."""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum

import strawberry
from strawberry import relay
from strawberry.types import Info

from models import bills as m
from resolvers.bills import PayBillsFields
from resolvers.bills import inquiry as bill_inquiry
from resolvers.bills import monthly as monthly_bills
from resolvers.bills import payment as bill_payment
from resolvers.platform import now
from schema.platform import Money, Rupiah, UserError, Visible, decode_id, payload_of

BillKind = strawberry.enum(m.BillKind, name="BillKind")
PaymentSource = strawberry.enum(
    m.PaymentSource,
    name="PaymentSource",
    description="Where a bill payment's money comes from: the member's simpanan sukarela, or "
    "QRIS or a bank transfer through the payment provider.",
)
ReceiptStatus = strawberry.enum(
    m.ReceiptStatus,
    name="ReceiptStatus",
    description="AWAITING_PAYMENT until the provider confirms a QRIS or transfer payment; "
    "REFUNDED when, by then, a bill could no longer be paid, so the whole amount went back.",
)


@strawberry.enum(
    name="BillStatus",
    description="As the contract has it: PAID once its state is PAID, UNPAID otherwise. The "
    "`bills(status:)` filters give the bills whose `state` is UNPAID (still to pay) or PAID.",
)
class BillStatus(Enum):
    UNPAID = "UNPAID"
    PAID = "PAID"


@strawberry.enum(
    name="BillState",
    description="Where a bill is: UNPAID (payable), EXPIRED (an outside bill's inquiry ran "
    "out: inquire again), PENDING (paid, the biller has not confirmed yet; asked again until "
    "it does), PAID, or REFUNDED (the biller refused it and the money went back).",
)
class BillState(Enum):
    UNPAID = "UNPAID"
    EXPIRED = "EXPIRED"
    PENDING = "PENDING"
    PAID = "PAID"
    REFUNDED = "REFUNDED"


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
    kind: BillKind
    description: str
    due_date: date
    status: BillStatus
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

    @strawberry.field
    def paid_at(self) -> datetime | None:
        return self.model.paid_at


@strawberry.type(description="One bill of a receipt, as paid.")
class ReceiptLine:
    bill: Bill
    kind: BillKind
    description: str
    amount: Money
    admin_fee: Money
    state: BillState
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
    source: PaymentSource
    status: ReceiptStatus
    total: Money
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


@strawberry.input
class PayBillsInput:
    bill_ids: list[strawberry.ID]
    source: PaymentSource
    membership_id: strawberry.ID | None = strawberry.field(
        default=None, description="Required with SUKARELA: whose savings pay."
    )
    idempotency_key: str = strawberry.field(
        description="The same key pays once: repeating it returns the same receipt."
    )


@strawberry.type
class IssueMonthlyBillsPayload:
    issued: int = strawberry.field(default=0, description="Bills issued now; 0 when run again.")
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class BillPayload:
    bill: Bill | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class PayBillsPayload:
    bills: list[Bill] = strawberry.field(default_factory=list)
    receipt: BillReceipt | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


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


@strawberry.type
class Mutation:
    @strawberry.mutation(
        description="A pengurus: issue every active member's simpanan wajib bill (due on the "
        "period's last day) and every loan installment bill due in `period` (YYYY-MM). "
        "Running it again, also at the same time, issues nothing new."
    )
    async def issue_monthly_bills(
        self, info: Info, cooperative_id: strawberry.ID, period: str
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
        description="A signed-in user: look up an outside bill (PLN_POSTPAID, PLN_TOKEN, PDAM, "
        "BPJS) by customer number at the configured biller; it becomes their UNPAID bill, "
        "payable until it expires. `denomination` picks a PLN token's amount (Rp20.000 "
        "unless given). SERVICE_UNAVAILABLE when the biller does not answer."
    )
    async def inquire_bill(
        self,
        info: Info,
        kind: BillKind,
        customer_number: str,
        denomination: Rupiah | None = None,
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
        "nothing; the same idempotencyKey pays once and returns the same receipt."
    )
    async def pay_bills(self, info: Info, input: PayBillsInput) -> PayBillsPayload:
        return await payload_of(
            PayBillsPayload,
            lambda: bill_payment.pay_bills(
                info.context.viewer, _pay_bills_fields(input), info.context.services
            ),
            _paid,
        )
