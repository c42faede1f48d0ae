"""PayBills: any mix of the user's unpaid bills at once, all or nothing, once per key.

From SUKARELA, one transaction takes every bill: each one's journal entry (Dr Simpanan
Sukarela of the paying membership, Cr what its kind settles, `bill_settlement`) and its
status. By QRIS or bank transfer, the receipt waits for the payment provider's signed
webhook, and the same transaction runs then with Kas as the debit; a bill that is
no longer payable by then (paid another way, expired) refunds the whole payment instead.

Outside bills (PLN, PDAM, BPJS) are booked in the paying membership's cooperative, which
pays them from its Deposit PPOB; they leave the transaction PENDING, and are sent to the
biller after the commit (`outside_bills`), since a biller cannot take part in it.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from models.bills import (
    OUTSIDE_BILL_KINDS,
    Bill,
    BillReceipt,
    BillReceiptLine,
    BillStatus,
    PaymentSource,
    ReceiptStatus,
)
from models.cooperatives import Membership
from models.orders import PaymentMethod
from models.platform import User
from resolvers.bills.outside import pay_outside_bills
from resolvers.bills.settlement import debit_of, settlement_of
from resolvers.cooperatives import InsufficientBalance, Journal, paying_membership
from resolvers.orders import Outcome
from resolvers.platform import (
    ErrorCode,
    Problem,
    UserError,
    Validator,
    digest_of,
    key_text,
    now,
    require_user,
    reused_key,
    row_where,
    today,
    visibility,
)
from resolvers.providers import Notification, PaymentRequest, Services

MAX_BILLS = 50
MERCHANT = "SatuPintu Bayar Tagihan"


@dataclass(frozen=True)
class PayBillsFields:
    bill_ids: list[int]
    source: PaymentSource
    membership_id: int | None
    idempotency_key: str


@dataclass(frozen=True)
class Receipt:
    """A receipt with its bills, in the order they were asked."""

    receipt: BillReceipt
    bills: list[Bill]


def receipts_for(viewer: User | None) -> Q | None:
    """Receipts: the user who paid."""
    return None if viewer is None else Q(user_id=viewer.id)


visibility.register("BillReceipt", BillReceipt, receipts_for)


def is_outside(bill: Bill) -> bool:
    return bill.kind in OUTSIDE_BILL_KINDS


def _checked(given: PayBillsFields) -> PayBillsFields:
    check = Validator()
    key = key_text(check, given.idempotency_key)
    ids = list(dict.fromkeys(given.bill_ids))
    if not ids:
        check.add("billIds", ErrorCode.REQUIRED, "Pilih tagihan yang dibayar.")
    elif len(ids) > MAX_BILLS:
        check.add("billIds", ErrorCode.LIMIT_EXCEEDED, f"Paling banyak {MAX_BILLS} tagihan.")
    if given.source == PaymentSource.SUKARELA and given.membership_id is None:
        check.add("membershipId", ErrorCode.REQUIRED, "Pilih keanggotaan yang membayar.")
    check.check()
    return PayBillsFields(ids, given.source, given.membership_id, key)


def _digest(fields: PayBillsFields) -> str:
    asked = [sorted(fields.bill_ids), fields.source.value, fields.membership_id]
    return digest_of(asked)


async def pay_bills(viewer: User | None, given: PayBillsFields, services: Services) -> Receipt:
    user = require_user(viewer)
    fields = _checked(given)
    digest = _digest(fields)
    previous = await _earlier(user, fields)
    if previous is not None:
        return await _repeated(previous, digest)
    try:
        payer = None
        if fields.membership_id is not None:
            payer = await paying_membership(user, fields.membership_id)
        bills = await _payable(user, fields, payer)
    except UserError:
        # Refused, unless this key paid already (a copy of this request, since our look-up).
        previous = await _earlier(user, fields)
        if previous is None:
            raise
        return await _repeated(previous, digest)
    sukarela = fields.source == PaymentSource.SUKARELA
    opened = {} if sukarela else await _open_payment(fields.source, _total(bills), bills, services)
    journal = Journal()
    try:
        async with in_transaction():
            receipt = await write_receipt(user.id, fields, bills, **opened)
            if sukarela:
                await take_bills(journal, receipt, bills, payer)
    except IntegrityError:
        # The same key, committed by a concurrent request after our look-up.
        key = fields.idempotency_key
        return await _repeated(await BillReceipt.get(user_id=user.id, idempotency_key=key), digest)
    await journal.publish(services.events)
    if sukarela:
        await pay_outside_bills(receipt, [bill for bill in bills if is_outside(bill)], services)
    return await receipt_of(receipt)


def _total(bills: list[Bill]) -> int:
    return sum(bill.amount + bill.admin_fee for bill in bills)


async def write_receipt(
    user_id: int, fields: PayBillsFields, bills: list[Bill], **opened: Any
) -> BillReceipt:
    """Inside the payment's transaction: the receipt of the request `fields` and its lines;
    from SUKARELA it is PAID at once (`take_bills` takes its bills)."""
    sukarela = fields.source == PaymentSource.SUKARELA
    receipt = await BillReceipt.create(
        user_id=user_id,
        source=fields.source,
        membership_id=fields.membership_id,
        idempotency_key=fields.idempotency_key,
        input_digest=_digest(fields),
        total=_total(bills),
        status=ReceiptStatus.PAID if sukarela else ReceiptStatus.AWAITING_PAYMENT,
        paid_at=now() if sukarela else None,
        **opened,
    )
    await BillReceiptLine.bulk_create(
        [BillReceiptLine(receipt_id=receipt.id, bill_id=bill.id) for bill in bills]
    )
    return receipt


async def _earlier(user: User, fields: PayBillsFields) -> BillReceipt | None:
    return await BillReceipt.get_or_none(user_id=user.id, idempotency_key=fields.idempotency_key)


async def _repeated(previous: BillReceipt, digest: str) -> Receipt:
    if previous.input_digest != digest:
        raise reused_key("pembayaran")
    return await receipt_of(previous)


async def receipt_of(receipt: BillReceipt) -> Receipt:
    """The receipt as it stands now, with its bills in the order asked."""
    return await _lines_of(await BillReceipt.get(id=receipt.id))


async def _lines_of(receipt: BillReceipt) -> Receipt:
    lines = await BillReceiptLine.filter(receipt_id=receipt.id).order_by("id")
    found = Bill.filter(id__in=[line.bill_id for line in lines]).select_related("membership")
    bills = {bill.id: bill for bill in await found}
    return Receipt(receipt, [bills[line.bill_id] for line in lines])


async def _payable(user: User, fields: PayBillsFields, payer: Membership | None) -> list[Bill]:
    """The bills asked for, each the user's own and payable now, or every reason it is not."""
    found = {
        bill.id: bill
        for bill in await Bill.filter(id__in=fields.bill_ids).select_related("membership")
    }
    moment = now()
    problems = []
    for bill_id in fields.bill_ids:
        bill = found.get(bill_id)
        problem = _refusal(bill, user, fields.source, payer, moment)
        if problem is not None:
            problems.append(problem)
    if problems:
        raise UserError.of(problems)
    return [found[bill_id] for bill_id in fields.bill_ids]


def _owed_to(bill: Bill) -> int:
    """The cooperative a cooperative bill is owed to (its membership loaded with it)."""
    assert bill.membership is not None  # a cooperative's bill names its member
    return bill.membership.cooperative_id


def _refusal(
    bill: Bill | None,
    user: User,
    source: PaymentSource,
    payer: Membership | None,
    moment: datetime,
) -> Problem | None:
    if bill is None or bill.user_id != user.id:
        return Problem(ErrorCode.NOT_FOUND, "Tagihan tidak ditemukan.", "billIds")
    if bill.status != BillStatus.UNPAID:
        return Problem(
            ErrorCode.INVALID_STATE, f"{bill.description} sudah dibayar atau diproses.", "billIds"
        )
    if is_outside(bill):
        if bill.expires_at is not None and moment >= bill.expires_at:
            return Problem(
                ErrorCode.INVALID_STATE,
                f"{bill.description} sudah kedaluwarsa; cek tagihan lagi.",
                "billIds",
            )
        if payer is None:
            return Problem(
                ErrorCode.REQUIRED,
                "Tagihan luar dibayar lewat koperasi: pilih keanggotaan Anda.",
                "membershipId",
            )
    elif (
        source == PaymentSource.SUKARELA
        and payer is not None
        and _owed_to(bill) != payer.cooperative_id
    ):
        return Problem(
            ErrorCode.INVALID,
            f"{bill.description} milik koperasi lain: bayar dari simpanan di koperasi itu.",
            "billIds",
        )
    return None


async def _open_payment(
    source: PaymentSource, total: int, bills: list[Bill], services: Services
) -> dict[str, Any]:
    """The provider's QRIS code or virtual account, asked before the transaction; payable
    until the payment time runs out or the first outside bill expires."""
    reference = f"SPB{secrets.token_hex(8).upper()}"
    deadlines = [now() + services.payment_ttl]
    deadlines += [bill.expires_at for bill in bills if bill.expires_at is not None]
    expires_at = min(deadlines)
    details = await services.payments.open(
        PaymentRequest(reference, PaymentMethod(source.value), total, MERCHANT, expires_at)
    )
    return {
        "reference": reference,
        "instructions": details.instructions,
        "qris_payload": details.qris_payload,
        "expires_at": expires_at,
    }


async def take_bills(
    journal: Journal, receipt: BillReceipt, bills: list[Bill], payer: Membership | None
) -> None:
    """Inside the payment's transaction: each bill marked paid (an outside one PENDING, until
    its biller answers) with its journal entry, or a UserError that undoes them all.

    Every bill is taken first, in id order, and then the savings move: two payments that
    share bills or savings wait for each other in one order, never in a deadlock."""
    moment, on = now(), today()
    books: dict[int, int] = {}  # bill id -> the cooperative whose books record it
    for bill in sorted(bills, key=lambda bill: bill.id):
        books[bill.id] = await _take(bill, receipt, payer, moment)
    for bill in bills:
        settlement = await settlement_of(bill, on)
        try:
            await journal.post(
                books[bill.id],
                settlement.kind,
                settlement.description,
                [debit_of(receipt, bill.amount + bill.admin_fee), *settlement.credits],
                note=bill.description,
                actor_id=receipt.user_id,
                membership_id=bill.membership_id or receipt.membership_id,
            )
        except InsufficientBalance:
            raise UserError(
                ErrorCode.INSUFFICIENT_BALANCE,
                "Simpanan sukarela tidak mencukupi untuk membayar tagihan ini.",
                "membershipId",
            ) from None


async def _take(
    bill: Bill, receipt: BillReceipt, payer: Membership | None, moment: datetime
) -> int:
    """Mark one bill paid by the receipt if it is still payable; the cooperative whose books
    record it (an outside bill's: the paying membership's)."""
    outside = is_outside(bill)
    if outside:
        assert payer is not None  # _refusal: outside bills are paid through a membership
        cooperative_id = payer.cooperative_id
    else:
        cooperative_id = _owed_to(bill)
    still = Bill.filter(id=bill.id, status=BillStatus.UNPAID)
    if outside:
        still = still.filter(expires_at__gt=moment)
    taken = await still.update(
        status=BillStatus.PENDING if outside else BillStatus.PAID,
        paid_at=None if outside else moment,
        receipt_id=receipt.id,
        cooperative_id=cooperative_id,
    )
    if not taken:
        raise UserError(
            ErrorCode.INVALID_STATE,
            f"{bill.description} sudah dibayar atau kedaluwarsa.",
            "billIds",
        )
    return cooperative_id


async def confirm_bill_payment(notification: Notification, services: Services) -> Outcome:
    """The provider confirms a receipt's QRIS or transfer: its bills are taken at once (Dr
    Kas), or, when one is no longer payable, the whole amount goes back."""
    receipt = await row_where(BillReceipt, "reference", notification.reference)
    if receipt is None:
        return Outcome.UNKNOWN
    if notification.amount != receipt.total:
        return Outcome.AMOUNT_MISMATCH
    payer = await Membership.get_or_none(id=receipt.membership_id)
    journal = Journal()
    bills: list[Bill] = []
    try:
        async with in_transaction():
            confirmed = await BillReceipt.filter(
                id=receipt.id, status=ReceiptStatus.AWAITING_PAYMENT
            ).update(status=ReceiptStatus.PAID, paid_at=now(), notification_id=notification.id)
            if not confirmed:
                return await _not_awaiting(receipt, notification)
            receipt = await BillReceipt.get(id=receipt.id)
            bills = (await _lines_of(receipt)).bills
            if receipt.expires_at is not None and now() >= receipt.expires_at:
                raise UserError(ErrorCode.INVALID_STATE, "Waktu pembayaran sudah habis.")
            if sum(bill.amount + bill.admin_fee for bill in bills) != receipt.total:
                # A bill went with its ended membership since the payment was opened.
                raise UserError(ErrorCode.INVALID_STATE, "Tagihan ini tidak ada lagi.")
            await take_bills(journal, receipt, bills, payer)
    except IntegrityError:
        return Outcome.DUPLICATE  # the notification's id is taken: acted on already
    except UserError:
        await _refund_whole(receipt, notification, services)
        return Outcome.CONFIRMED
    await journal.publish(services.events)
    await pay_outside_bills(receipt, [bill for bill in bills if is_outside(bill)], services)
    return Outcome.CONFIRMED


async def _not_awaiting(receipt: BillReceipt, notification: Notification) -> Outcome:
    current = await BillReceipt.get(id=receipt.id)
    return Outcome.DUPLICATE if current.notification_id == notification.id else Outcome.NOT_PENDING


async def _refund_whole(
    receipt: BillReceipt, notification: Notification, services: Services
) -> None:
    refunded = await BillReceipt.filter(
        id=receipt.id, status=ReceiptStatus.AWAITING_PAYMENT
    ).update(status=ReceiptStatus.REFUNDED, paid_at=now(), notification_id=notification.id)
    if refunded:
        assert receipt.reference is not None  # paid through the provider
        await services.payments.refund(receipt.reference, receipt.total)
