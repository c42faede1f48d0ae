"""InquireBill: an outside bill (PLN, PDAM, BPJS) looked up at the biller becomes the user's
UNPAID bill, payable until the biller's inquiry expires (the same Jakarta day)."""

from __future__ import annotations

from datetime import timedelta

from models.bills import OUTSIDE_BILL_KINDS, Bill, BillKind, BillStatus
from models.platform import User
from resolvers.bills.monthly import period_name
from resolvers.platform import JAKARTA, ErrorCode, UserError, format_rupiah, now, require_user
from resolvers.providers.billers import Biller, BillerUnavailable, Inquiry

KIND_NAMES = {
    BillKind.PLN_POSTPAID: "Tagihan listrik PLN",
    BillKind.PLN_TOKEN: "Token listrik PLN",
    BillKind.PDAM: "Tagihan air PDAM",
    BillKind.BPJS: "Iuran BPJS Kesehatan",
}


def description_of(inquiry: Inquiry) -> str:
    """E.g. "Tagihan air PDAM 123456 a.n. SITI AMINAH, Desember 2026"."""
    what = f"{KIND_NAMES[inquiry.kind]} {inquiry.customer_number} a.n. {inquiry.customer_name}"
    if inquiry.period is None:
        return f"{what}, {format_rupiah(inquiry.amount)}"
    return f"{what}, {period_name(inquiry.period)}"


async def inquire_bill(
    viewer: User | None,
    kind: BillKind,
    customer_number: str,
    denomination: int | None,
    biller: Biller,
) -> Bill:
    """The user's UNPAID bill for what the biller found; the same inquiry again, while that
    bill is unpaid and payable, gives the same bill."""
    user = require_user(viewer)
    if kind not in OUTSIDE_BILL_KINDS:
        raise UserError(
            ErrorCode.INVALID,
            "Hanya tagihan luar (PLN, PDAM, BPJS) yang dicek di biller.",
            "kind",
        )
    try:
        inquiry = await biller.inquire(kind, customer_number, denomination)
    except BillerUnavailable:
        raise UserError(
            ErrorCode.SERVICE_UNAVAILABLE,
            "Biller sedang tidak menjawab; coba lagi sebentar lagi.",
            "customerNumber",
        ) from None
    found = await Bill.filter(
        user_id=user.id,
        kind=kind,
        inquiry_id=inquiry.inquiry_id,
        status=BillStatus.UNPAID,
        expires_at__gt=now(),
    ).first()
    if found is not None:
        return found
    return await bill_of(user.id, inquiry)


async def bill_of(user_id: int, inquiry: Inquiry) -> Bill:
    """The user's new UNPAID bill for what an inquiry found, due on its last payable day."""
    if inquiry.amount <= 0:  # never a Rp0 bill
        raise UserError(
            ErrorCode.NOT_FOUND, "Tidak ada tagihan yang harus dibayar.", "customerNumber"
        )
    last_moment = max(inquiry.expires_at - timedelta(microseconds=1), now())
    return await Bill.create(
        user_id=user_id,
        kind=inquiry.kind,
        period=inquiry.period or "",
        description=description_of(inquiry),
        amount=inquiry.amount,
        admin_fee=inquiry.admin_fee,
        due_date=last_moment.astimezone(JAKARTA).date(),
        expires_at=inquiry.expires_at,
        customer_number=inquiry.customer_number,
        customer_name=inquiry.customer_name,
        inquiry_id=inquiry.inquiry_id,
    )


def inquiry_of(bill: Bill) -> Inquiry:
    """The inquiry an outside bill was made from, to pay it or to ask about its payment."""
    assert bill.expires_at is not None  # an outside bill comes from an inquiry
    return Inquiry(
        kind=bill.kind,
        customer_number=bill.customer_number,
        customer_name=bill.customer_name,
        period=bill.period or None,
        amount=bill.amount,
        admin_fee=bill.admin_fee,
        expires_at=bill.expires_at,
        inquiry_id=bill.inquiry_id,
    )
