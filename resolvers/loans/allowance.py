"""The allowance for bad loans (penyisihan piutang tak tertagih) and writing a macet loan off.

A month's allowance: every ACTIVE loan not written off, graded by the cooperative's
kolektibilitas bands on the month's last day (or today, for the running month), its principal
outstanding times its band's rate (`allowance_rates_bps`, in basis points), each rounded to
the nearest rupiah; a loan disbursed after that day is not in it. What it posts is the
required total less the Penyisihan balance before it (Dr Beban Penyisihan Piutang, Cr
Penyisihan; a release the other way round when negative), one ALLOWANCE entry dated the
month's last day (or now); Rp0 posts no entry, and the month counts as posted either way.
The cooperative's row lock queues two postings, so posting a month again, also racing,
posts only what changed since. The outstanding is today's: payments made after a past month
ended are not added back.

A write-off takes a macet loan's principal outstanding out of Piutang Pinjaman Anggota
against the Penyisihan (and Beban Penyisihan Piutang for what it does not cover), one
WRITE_OFF entry; the loan stays ACTIVE and owed, for collection: its denda stops, and what
is paid on its principal afterwards is Pendapatan Lain-lain (resolvers.loans.payments).
"""

from __future__ import annotations

import calendar
import logging
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from fractions import Fraction
from typing import cast

from tortoise.expressions import F
from tortoise.transactions import in_transaction

from models.cooperatives import (
    Cooperative,
    EntryKind,
    JournalEntry,
    KolektibilitasBands,
)
from models.loans import Loan, LoanLossAllowance
from models.platform import User
from resolvers.cooperatives import (
    BEBAN_PENYISIHAN,
    PENYISIHAN_PIUTANG,
    PIUTANG_PINJAMAN,
    Journal,
    Line,
    account_balance,
    acting_pengurus,
    can_view_savings,
    coop_viewer,
    lock_books,
    require_pengurus,
)
from resolvers.loans.arrears import BAND_SETS, Kolektibilitas, kolektibilitas
from resolvers.loans.payments import lock_active_loan
from resolvers.loans.views import active_standings, days_past_due, installments_of_loans
from resolvers.platform import (
    JAKARTA,
    Broker,
    ErrorCode,
    UserError,
    now,
    require_user,
    today,
)
from resolvers.providers import Services

logger = logging.getLogger("satupintu.loans")
PERIOD = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
DEFAULT_RATES = (50, 1000, 5000, 5000, 10000)


def rates_of(text: str) -> tuple[int, ...]:
    """The five rates, in basis points, of kolektibilitas 1-5."""
    found = tuple(int(part) for part in text.split(","))
    return found if len(found) == len(Kolektibilitas) else DEFAULT_RATES


def rupiah_of(amount: int, rate_bps: int) -> int:
    """amount x rate / 10,000 to the nearest rupiah, halves to even."""
    return round(Fraction(amount * rate_bps, 10_000))


@dataclass(frozen=True)
class BandAllowance:
    kolektibilitas: Kolektibilitas
    rate_bps: int
    outstanding: int
    required: int


@dataclass(frozen=True)
class Allowance:
    period: str
    required: int
    previous_balance: int
    posted: int
    bands: list[BandAllowance]
    entry: JournalEntry | None


def _last_day(period: str) -> date:
    year, month = int(period[:4]), int(period[5:])
    return date(year, month, calendar.monthrange(year, month)[1])


def _check_period(period: str) -> None:
    if not PERIOD.match(period):
        raise UserError(ErrorCode.INVALID, "Periode harus berbentuk YYYY-MM.", "period")
    if period > f"{today():%Y-%m}":
        raise UserError(ErrorCode.INVALID, "Periode tidak boleh setelah bulan berjalan.", "period")


async def allowance_balance(cooperative_id: int) -> int:
    """The Penyisihan's balance as a positive amount (its credits less its debits)."""
    return -await account_balance(cooperative_id, PENYISIHAN_PIUTANG)


async def post_allowance(
    cooperative_id: int, period: str, actor_id: int | None, journal: Journal
) -> Allowance:
    """The month's allowance posted, inside the caller's transaction."""
    cooperative = await lock_books(cooperative_id)
    running = period == f"{today():%Y-%m}"
    on = today() if running else _last_day(period)
    rates = rates_of(cooperative.allowance_rates_bps)
    standings = [
        s
        for _, s in await active_standings(
            on,
            membership__cooperative_id=cooperative_id,
            written_off_at__isnull=True,
            disbursed_at__lte=datetime.combine(on, time.max, JAKARTA),
        )
    ]
    bands = []
    for band in Kolektibilitas:
        owed = [s.outstanding for s in standings if s.kolektibilitas == band]
        rate = rates[band.value - 1]
        bands.append(BandAllowance(band, rate, sum(owed), sum(rupiah_of(o, rate) for o in owed)))
    required = sum(b.required for b in bands)
    previous = await allowance_balance(cooperative_id)
    posted = required - previous
    entry = None
    if posted:
        at = now() if running else datetime.combine(on, time(23, 59), JAKARTA)
        sides = (
            (BEBAN_PENYISIHAN, PENYISIHAN_PIUTANG)
            if posted > 0
            else (PENYISIHAN_PIUTANG, BEBAN_PENYISIHAN)
        )
        entry = await journal.post(
            cooperative_id,
            EntryKind.ALLOWANCE,
            f"Penyisihan piutang tak tertagih {period}",
            [Line(sides[0], debit=abs(posted)), Line(sides[1], credit=abs(posted))],
            actor_id=actor_id,
            at=at,
        )
    row, created = await LoanLossAllowance.get_or_create(
        cooperative_id=cooperative_id,
        period=period,
        defaults={"required": required, "posted": posted},
    )
    if not created:
        await LoanLossAllowance.filter(id=row.id).update(
            required=required, posted=F("posted") + posted, posted_at=now()
        )
    return Allowance(period, required, previous, posted, bands, entry)


async def post_loan_loss_allowance(
    viewer: User | None, cooperative_id: int, period: str, events: Broker
) -> Allowance:
    """Its pengurus posts the month's allowance (the rule in the module doc)."""
    user = await acting_pengurus(viewer, cooperative_id)
    _check_period(period)
    journal = Journal()
    async with in_transaction():
        found = await post_allowance(cooperative_id, period, user.id, journal)
    await journal.publish(events)
    return found


async def post_month_end_allowances(services: Services) -> int:
    """The sweep: every cooperative's allowance for the month just ended, once; how many
    cooperatives it posted."""
    ended = f"{today().replace(day=1) - timedelta(days=1):%Y-%m}"
    done = await LoanLossAllowance.filter(period=ended).values_list("cooperative_id", flat=True)
    due = await Cooperative.exclude(id__in=list(done)).values_list("id", flat=True)
    posted = 0
    for cooperative_id in cast(list[int], due):
        journal = Journal()
        try:
            async with in_transaction():
                if await LoanLossAllowance.exists(cooperative_id=cooperative_id, period=ended):
                    continue
                await post_allowance(cooperative_id, ended, None, journal)
        except Exception:
            # One cooperative's trouble stops no other; it is tried again next run.
            logger.exception("allowance %s of cooperative %s failed", ended, cooperative_id)
            continue
        await journal.publish(services.events)
        posted += 1
    return posted


async def write_off_loan(viewer: User | None, loan_id: int, reason: str, events: Broker) -> Loan:
    """Its pengurus writes a macet loan off against the allowance (the module doc)."""
    user = require_user(viewer)
    loan = await Loan.get_or_none(id=loan_id).select_related("membership")
    who = await coop_viewer(user)
    if loan is None or not can_view_savings(who, loan.membership):
        raise UserError(ErrorCode.NOT_FOUND, "Pinjaman tidak ditemukan.", "id")
    require_pengurus(who, loan.membership.cooperative_id)
    if loan.applicant_id == user.id:
        raise UserError(
            ErrorCode.PERMISSION_DENIED,
            "Pinjaman Anda sendiri dihapus buku oleh pengurus lain.",
            "id",
        )
    reason = reason.strip()
    if not reason:
        raise UserError(ErrorCode.REQUIRED, "Alasan hapus buku wajib diisi.", "reason")
    journal = Journal()
    async with in_transaction():
        cooperative = await lock_books(loan.membership.cooperative_id)
        loan = await lock_active_loan(loan_id)
        if loan.written_off_at is not None:
            raise UserError(ErrorCode.INVALID_STATE, "Pinjaman ini sudah dihapus buku.", "id")
        (rows,) = await installments_of_loans([loan.id])
        bands = BAND_SETS[KolektibilitasBands(cooperative.kolektibilitas_bands)]
        if kolektibilitas(days_past_due(rows, today()), bands) != Kolektibilitas.MACET:
            raise UserError(
                ErrorCode.INVALID_STATE,
                "Hanya pinjaman macet (kolektibilitas 5) yang dapat dihapus buku.",
                "id",
            )
        owed = loan.outstanding
        covered = max(0, min(owed, await allowance_balance(cooperative.id)))
        lines = [Line(PIUTANG_PINJAMAN, credit=owed)]
        if covered:
            lines.append(Line(PENYISIHAN_PIUTANG, debit=covered))
        if owed - covered:
            lines.append(Line(BEBAN_PENYISIHAN, debit=owed - covered))
        await Loan.filter(id=loan.id).update(written_off_at=now())
        if owed:
            await journal.post(
                cooperative.id,
                EntryKind.WRITE_OFF,
                "Hapus buku pinjaman macet",
                lines,
                note=reason,
                actor_id=user.id,
                membership_id=loan.membership_id,
            )
    await journal.publish(events)
    return await Loan.get(id=loan_id)
