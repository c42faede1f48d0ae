"""What paying a bill credits, and whose business each journal entry records."""

from datetime import date

import pytest

from models.bills import Bill, BillKind
from models.cooperatives.books import EntryKind, JournalEntry
from resolvers.bills.settlement import settlement_of
from resolvers.cooperatives.books import SIMPANAN_POKOK, SIMPANAN_WAJIB, Line
from schema.platform.ids import decode_id
from tests.cooperatives.helpers import Koperasi

pytestmark = pytest.mark.usefixtures("books_balance")


@pytest.mark.parametrize(
    ("kind", "code"),
    [(BillKind.SIMPANAN_POKOK, SIMPANAN_POKOK), (BillKind.SIMPANAN_WAJIB, SIMPANAN_WAJIB)],
)
async def test_a_simpanan_bill_credits_the_members_simpanan(gql, kind, code):
    koperasi = await Koperasi.new(gql)
    _, membership_id = await koperasi.member()
    member = decode_id(membership_id, "Membership")
    bill = await Bill.get(membership_id=member, kind=BillKind.SIMPANAN_POKOK)
    bill.kind, bill.amount = kind, 20000
    found = await settlement_of(bill, date(2026, 12, 1))
    assert found.kind == EntryKind.BILL_PAYMENT
    assert found.credits == [Line(code, credit=20000, membership_id=member)]


async def test_an_entry_records_the_member_its_lines_name(gql):
    koperasi = await Koperasi.new(gql)
    _, membership_id = await koperasi.member()
    await koperasi.deposit(membership_id, 50000)
    entry = await JournalEntry.filter(kind=EntryKind.DEPOSIT).order_by("-id").first()
    assert entry is not None
    assert entry.membership_id == decode_id(membership_id, "Membership")
