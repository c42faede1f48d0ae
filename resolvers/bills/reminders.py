"""Telling members of their cooperative bills (outside bills are paid as they are found):
issued (in the issuing transaction), due in 3 days and overdue (a daily sweep), each once
per bill: the event's unique key keeps a second run, or a second host, from telling again."""

from __future__ import annotations

from datetime import timedelta

from tortoise.expressions import Subquery
from tortoise.queryset import QuerySet

from models.bills import OUTSIDE_BILL_KINDS, Bill, BillStatus
from models.platform import Notification
from resolvers.platform import NotificationKind, format_rupiah, notify, tanggal, today

DUE_SOON = timedelta(days=3)
TITLES = {
    NotificationKind.BILL_ISSUED: "Tagihan baru",
    NotificationKind.BILL_DUE_SOON: "Tagihan jatuh tempo 3 hari lagi",
    NotificationKind.BILL_OVERDUE: "Tagihan lewat jatuh tempo",
}


def bill_summary(bill: Bill) -> str:
    """What a message calls the bill: its description and what paying it takes."""
    return f"{bill.description} sebesar {format_rupiah(bill.amount + bill.admin_fee)}"


async def tell_bill(bill: Bill, kind: NotificationKind) -> None:
    """Inside the caller's transaction: the bill's member hears `kind` of it."""
    body = f"{bill_summary(bill)}, jatuh tempo {tanggal(bill.due_date)}."
    await notify(kind, ("Bill", bill.id), [bill.user_id], TITLES[kind], body)


async def tell_issued(cooperative_id: int, period: str) -> None:
    """Inside the issuing transaction: every bill of the period not told of yet."""
    for bill in await _untold(NotificationKind.BILL_ISSUED).filter(
        membership__cooperative_id=cooperative_id, period=period
    ):
        await tell_bill(bill, NotificationKind.BILL_ISSUED)


async def remind_bills(_services: object) -> int:
    """The sweep: unpaid cooperative bills due within 3 days, and those overdue; how many
    members were told."""
    day = today()
    soon = _untold(NotificationKind.BILL_DUE_SOON).filter(
        due_date__gte=day, due_date__lte=day + DUE_SOON
    )
    late = _untold(NotificationKind.BILL_OVERDUE).filter(due_date__lt=day)
    told = 0
    for kind, query in (
        (NotificationKind.BILL_DUE_SOON, soon),
        (NotificationKind.BILL_OVERDUE, late),
    ):
        for bill in await query.limit(1000):
            await tell_bill(bill, kind)
            told += 1
    return told


def _untold(kind: NotificationKind) -> QuerySet[Bill]:
    told = Notification.filter(kind=kind, subject_type="Bill").values("subject_id")
    unpaid = Bill.filter(status=BillStatus.UNPAID).exclude(kind__in=OUTSIDE_BILL_KINDS)
    return unpaid.exclude(id__in=Subquery(told))
