"""The demo cooperative's last year closed: its members' loan interest, its other income and
expenses, the allowance, the close, the RAT, and its SHU shared.

Five members each took a one-month FLAT loan at 12% a year in the last closed year and paid
it off at the teller (interest = principal x 1%), so the year has income on the books and
jasa anggota to share. Administration fees came in and rent, salaries, electricity and
stationery went out through Kas (`CASH_MOVEMENTS`); every month's allowance with loans is
posted, the year is closed (tutup buku) by the pengurus, and the RAT held in February records
that it shares the whole surplus: Cadangan 40%, jasa modal 25%, jasa anggota 25%, the 10% left
to Dana Alokasi SHU; the SHU is then distributed by the same code as `distributeShu`. Loan
schedules and repayments in every method are the loans demo's; these are only last year's
closed loans.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

from models.cooperatives import EntryKind, Membership, SavingsKind
from models.loans import InterestMethod, Loan, LoanInstallment, LoanStatus
from models.platform import User
from resolvers.cooperatives import (
    KAS,
    PENDAPATAN_JASA,
    PIUTANG_PINJAMAN,
    SAVINGS_ACCOUNTS,
    Journal,
    Line,
    book_year,
    rat,
)
from resolvers.loans import add_months, allowance, jakarta_date
from resolvers.platform import JAKARTA, today
from resolvers.shu import ShuInput, post_distribution

PRINCIPALS = (2_000_000, 3_000_000, 5_000_000, 1_500_000, 4_000_000)
ANNUAL_RATE_BPS = 1200
RAT = ShuInput(surplus=0, reserve_percent=40, capital_service_percent=25, member_service_percent=25)
# (month, kind, account code, amount, description) of last year's cash movements.
CASH_MOVEMENTS = [
    *[(m, EntryKind.CASH_RECEIPT, "4-1400", 450_000, "Biaya administrasi pinjaman")
      for m in (2, 5, 8, 11)],
    *[(m, EntryKind.CASH_PAYMENT, "5-1200", 150_000, "Sewa kantor") for m in (1, 7)],
    (6, EntryKind.CASH_PAYMENT, "5-1100", 250_000, "Honor pengelola"),
    (12, EntryKind.CASH_PAYMENT, "5-1100", 250_000, "Honor pengelola"),
    (9, EntryKind.CASH_PAYMENT, "5-1300", 85_000, "Listrik dan air kantor"),
    (10, EntryKind.CASH_PAYMENT, "5-1400", 40_000, "Kertas dan tinta"),
]  # fmt: skip


async def close_last_year(cooperative_id: int, pengurus_id: int) -> None:
    """Inside the seed's transaction, after its year of savings."""
    year = today().year - 1
    opens = datetime(year, 1, 10, 9, tzinfo=JAKARTA)
    closes = datetime(year, 12, 31, 10, tzinfo=JAKARTA)
    members = await Membership.filter(
        cooperative_id=cooperative_id, joined_at__lt=closes - timedelta(days=7)
    ).order_by("number")
    journal = Journal()
    interest_total = 0
    for membership, principal in zip(members, PRINCIPALS, strict=False):
        assert membership.joined_at is not None  # the demo's members have joined
        disbursed = max(membership.joined_at + timedelta(days=2), opens)
        repaid = min(disbursed + timedelta(days=25), closes)
        interest = principal * ANNUAL_RATE_BPS // 10_000 // 12
        loan = await Loan.create(
            membership_id=membership.id, applicant_id=membership.user_id,
            status=LoanStatus.PAID_OFF, principal=principal, tenor_months=1,
            purpose="Modal usaha", method=InterestMethod.FLAT, annual_rate_bps=ANNUAL_RATE_BPS,
            outstanding=0, decided_by_id=pengurus_id, decided_at=disbursed,
            disbursed_by_id=pengurus_id, disbursed_at=disbursed, paid_off_at=repaid,
        )  # fmt: skip
        await LoanInstallment.create(
            loan=loan, number=1, due_date=add_months(jakarta_date(disbursed), 1),
            principal=principal, interest=interest, principal_paid=principal,
            interest_paid=interest, paid_at=repaid,
        )  # fmt: skip
        sukarela = SAVINGS_ACCOUNTS[SavingsKind.SUKARELA]
        await journal.post(
            cooperative_id, EntryKind.LOAN_DISBURSEMENT, "Pencairan pinjaman modal usaha",
            [Line(PIUTANG_PINJAMAN, debit=principal),
             Line(sukarela, credit=principal, membership_id=membership.id)],
            actor_id=pengurus_id, at=disbursed,
        )  # fmt: skip
        await journal.post(
            cooperative_id, EntryKind.WITHDRAWAL, "Penarikan simpanan sukarela",
            [Line(sukarela, debit=principal, membership_id=membership.id),
             Line(KAS, credit=principal)],
            actor_id=pengurus_id, at=disbursed + timedelta(hours=1),
        )  # fmt: skip
        await journal.post(
            cooperative_id, EntryKind.LOAN_REPAYMENT, "Pelunasan pinjaman di kasir",
            [Line(KAS, debit=principal + interest), Line(PIUTANG_PINJAMAN, credit=principal),
             Line(PENDAPATAN_JASA, credit=interest)],
            actor_id=pengurus_id, membership_id=membership.id, at=repaid,
        )  # fmt: skip
        interest_total += interest
    for month, kind, code, amount, description in CASH_MOVEMENTS:
        sides = [Line(KAS, debit=amount), Line(code, credit=amount)]
        if kind == EntryKind.CASH_PAYMENT:
            sides = [Line(code, debit=amount), Line(KAS, credit=amount)]
        await journal.post(
            cooperative_id, kind, description, sides, actor_id=pengurus_id,
            at=datetime(year, month, 20, 10, tzinfo=JAKARTA),
        )  # fmt: skip
    await _close_and_share(journal, cooperative_id, year, pengurus_id)


async def _close_and_share(journal: Journal, cooperative_id: int, year: int, actor: int) -> None:
    """Every month's allowance with loans, the close, the RAT and its SHU."""
    for period in await book_year.months_without_allowance(cooperative_id, year):
        await allowance.post_allowance(cooperative_id, period, actor, journal)
    pengurus = await User.get(id=actor)
    closed = await book_year.close_year(pengurus, cooperative_id, year)
    shared = max(0, closed.surplus or 0)
    held_on = min(date(year + 1, 2, 21), today())
    eligible = await rat.members_eligible(cooperative_id, held_on)
    decision = rat.RatInput(
        held_on=held_on, members_present=eligible * 3 // 4, shu_to_distribute=shared,
        reserve_percent=RAT.reserve_percent, capital_service_percent=RAT.capital_service_percent,
        member_service_percent=RAT.member_service_percent, notes="RAT tahunan di balai warga",
    )  # fmt: skip
    await rat.record_rat(pengurus, cooperative_id, year, decision)
    if shared:
        await post_distribution(journal, cooperative_id, year, replace(RAT, surplus=shared), actor)
