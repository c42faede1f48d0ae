"""Members are told of their bills: when issued, 3 days before the due date and once
overdue, each once per bill however often the sweep runs; a paid bill is not reminded."""

from __future__ import annotations

from datetime import timedelta

from models.bills import Bill, BillStatus
from models.platform import Notification
from resolvers.bills import remind_bills
from resolvers.platform import format_rupiah, tanggal, today
from tests.bills.helpers import issue, saver, this_period
from tests.platform.notification_helpers import kinds_of, listed, user_pk


async def test_an_issued_bill_is_told_once_with_its_amount_and_due_date(gql):
    koperasi, warga, _ = await saver(gql, deposit=0)
    bill = await Bill.get(user_id=user_pk(warga), period=this_period())
    (node,) = [e["node"] for e in (await listed(gql, warga["token"]))["edges"]]
    assert (node["kind"], node["title"]) == ("BILL_ISSUED", "Tagihan baru")
    assert format_rupiah(bill.amount) in node["body"]
    assert tanggal(bill.due_date) in node["body"]
    assert node["subject"]["id"]
    assert (await issue(koperasi, this_period()))["issued"] == 0
    assert await kinds_of(warga) == ["BILL_ISSUED"]


async def test_a_bill_due_in_three_days_and_then_overdue_is_reminded_once_each(gql):
    _, warga, _ = await saver(gql, deposit=0)
    bill = await Bill.get(user_id=user_pk(warga), period=this_period())
    await Bill.filter(id=bill.id).update(due_date=today() + timedelta(days=3))
    for _ in range(2):
        await remind_bills(None)
    assert await kinds_of(warga) == ["BILL_ISSUED", "BILL_DUE_SOON"]
    await Bill.filter(id=bill.id).update(due_date=today() - timedelta(days=1))
    for _ in range(2):
        await remind_bills(None)
    assert await kinds_of(warga) == ["BILL_ISSUED", "BILL_DUE_SOON", "BILL_OVERDUE"]
    overdue = await Notification.get(user_id=user_pk(warga), kind="BILL_OVERDUE")
    assert overdue.title == "Tagihan lewat jatuh tempo"


async def test_a_paid_bill_is_not_reminded(gql):
    _, warga, _ = await saver(gql, deposit=0)
    await Bill.filter(user_id=user_pk(warga)).update(
        status=BillStatus.PAID, due_date=today() - timedelta(days=1)
    )
    await remind_bills(None)
    assert await kinds_of(warga) == ["BILL_ISSUED"]
