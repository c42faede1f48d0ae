"""IssueMonthlyBills: a cooperative's bills of one month, issued once per (cooperative, period).

Each issuer in `ISSUERS` issues one kind of monthly bill and returns how many it issued; all
of them run in one transaction, after the cooperative's row is locked, so two pengurus
issuing the same month at once issue each bill once (the second finds the first's bills).
A bill is issued once per (membership, kind, period) by the bill table's unique key too.

Simpanan wajib is due on the last day of its month (Asia/Jakarta), and is issued to the
members ACTIVE when the bills are issued who joined in or before that month. Each ACTIVE loan
with an installment due in the month gets its LOAN_INSTALLMENT bill (resolvers.bills.installments).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Awaitable, Callable
from datetime import date, datetime, time

from tortoise.transactions import in_transaction

from models.bills import Bill, BillKind
from models.cooperatives import Cooperative, Membership, MembershipStatus
from models.platform import User
from resolvers.bills.installments import issue_installment_bills
from resolvers.bills.reminders import tell_issued
from resolvers.cooperatives import coop_viewer, require_pengurus
from resolvers.platform import JAKARTA, ErrorCode, UserError, require_user

MONTHS = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)  # fmt: skip
PERIOD = re.compile(r"(\d{4})-(0[1-9]|1[0-2])")
# An issuer: (cooperative id, period YYYY-MM) -> how many bills it issued.
MonthlyIssuer = Callable[[int, str], Awaitable[int]]


def checked_period(text: str) -> tuple[int, int]:
    """(year, month) of a YYYY-MM period, or a UserError."""
    found = PERIOD.fullmatch(text.strip())
    if found is None or not 2000 <= int(found.group(1)) <= 2100:
        raise UserError(ErrorCode.INVALID, "Periode harus berbentuk YYYY-MM.", "period")
    return int(found.group(1)), int(found.group(2))


def period_name(period: str) -> str:
    """ "2026-12" -> "Desember 2026"."""
    year, month = checked_period(period)
    return f"{MONTHS[month - 1]} {year}"


def last_day(period: str) -> date:
    year, month = checked_period(period)
    return date(year, month, calendar.monthrange(year, month)[1])


async def issue_wajib_bills(cooperative_id: int, period: str) -> int:
    """Every active member's simpanan wajib bill for `period`, unless issued already."""
    cooperative = await Cooperative.get(id=cooperative_id)
    if cooperative.wajib_monthly_amount <= 0:
        return 0
    month_end = datetime.combine(last_day(period), time.max, JAKARTA)
    members = await Membership.filter(
        cooperative_id=cooperative_id, status=MembershipStatus.ACTIVE, joined_at__lte=month_end
    ).values_list("id", "user_id")
    billed = set(
        await Bill.filter(
            membership__cooperative_id=cooperative_id, kind=BillKind.SIMPANAN_WAJIB, period=period
        ).values_list("membership_id", flat=True)
    )
    new = [
        Bill(
            user_id=user_id,
            membership_id=membership_id,
            kind=BillKind.SIMPANAN_WAJIB,
            period=period,
            description=f"Simpanan wajib {period_name(period)}",
            amount=cooperative.wajib_monthly_amount,
            due_date=last_day(period),
        )
        for membership_id, user_id in members
        if membership_id not in billed
    ]
    if new:
        await Bill.bulk_create(new)
    return len(new)


ISSUERS: list[MonthlyIssuer] = [issue_wajib_bills, issue_installment_bills]


async def issue_monthly_bills(viewer: User | None, cooperative_id: int, period: str) -> int:
    """A pengurus issues the cooperative's bills of `period`; how many were new."""
    user = require_user(viewer)
    require_pengurus(await coop_viewer(user), cooperative_id, "cooperativeId")
    year, month = checked_period(period)
    period = f"{year:04d}-{month:02d}"
    async with in_transaction():
        # The cooperative's row lock (PostgreSQL; SQLite has one writer): one issue at a time.
        await Cooperative.filter(id=cooperative_id).select_for_update().get()
        issued = sum([await issuer(cooperative_id, period) for issuer in ISSUERS])
        await tell_issued(cooperative_id, period)
        return issued
