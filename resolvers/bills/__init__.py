"""Bills: monthly bills, loan installments as bills, outside bills (PPOB) and one-door payment."""

from resolvers.bills import auto_debit, inquiry, monthly, payment
from resolvers.bills.deposit import post_top_up, top_up_ppob_deposit
from resolvers.bills.inquiry import bill_of, inquiry_of
from resolvers.bills.monthly import issue_wajib_bills
from resolvers.bills.outside import (
    recheck_pending_bills,
    record_paid,
    reference_of,
    settle_callback,
)
from resolvers.bills.payment import PayBillsFields, confirm_bill_payment, take_bills
from resolvers.bills.receipt_recheck import recheck_awaiting_receipts
from resolvers.bills.reminders import remind_bills, tell_issued

__all__ = [
    "PayBillsFields",
    "auto_debit",
    "bill_of",
    "confirm_bill_payment",
    "inquiry",
    "inquiry_of",
    "issue_wajib_bills",
    "monthly",
    "payment",
    "post_top_up",
    "recheck_awaiting_receipts",
    "recheck_pending_bills",
    "record_paid",
    "reference_of",
    "remind_bills",
    "settle_callback",
    "take_bills",
    "tell_issued",
    "top_up_ppob_deposit",
]
