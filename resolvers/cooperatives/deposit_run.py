"""The time deposits' daily run: each monthly anniversary's interest, and the maturity.

Interest of one month is principal x annualRateBps / 120 000, rounded down to the rupiah,
booked on each monthly anniversary of the start date (a month without that day: its last
day) as the expense "Beban Jasa Simpanan Berjangka". The final income tax on it (PP 15/2009:
`SavingsInterestTax`) is owed to the tax office ("Utang Pajak"); the net goes to SUKARELA
(MONTHLY) or stays on the deposit until maturity (AT_MATURITY). On the maturity date the
deposit is paid out to SUKARELA or rolled over into a new deposit of the same product.

Each step is one transaction moved by a conditional UPDATE of the deposit's row (the month
booked from n to n + 1; the status from ACTIVE), so overlapping runs never book a month or
close a deposit twice, and an early withdrawal racing the run either wins or is refused. The
member is told 7 days before maturity and at maturity, once each."""

from __future__ import annotations

import logging
from datetime import date, timedelta

from tortoise.expressions import F, Subquery
from tortoise.transactions import in_transaction

from models.cooperatives import (
    EntryKind,
    Membership,
    TimeDeposit,
    TimeDepositInterestPayout,
    TimeDepositMaturity,
    TimeDepositProduct,
    TimeDepositStatus,
)
from models.platform import Notification
from resolvers.cooperatives.books import (
    BEBAN_JASA_BERJANGKA,
    SIMPANAN_BERJANGKA,
    UTANG_PAJAK,
    Journal,
    Line,
)
from resolvers.cooperatives.deposits import SUKARELA, close_deposit, start_deposit
from resolvers.platform import (
    HUNDRED_PERCENT,
    NotificationKind,
    add_months,
    format_rupiah,
    notify,
    tanggal,
    today,
)
from resolvers.providers import SavingsInterestTax, Services

logger = logging.getLogger("satupintu.cooperatives")
MATURING = timedelta(days=7)  # how long before maturity the member is reminded
MONTHS_BPS = 12 * HUNDRED_PERCENT  # a yearly rate in basis points, per month


def monthly_interest(principal: int, annual_rate_bps: int) -> int:
    return principal * annual_rate_bps // MONTHS_BPS


def interest_tax(gross: int, tax: SavingsInterestTax) -> int:
    """PP 15/2009 art. 2: nothing up to the threshold a month, else the rate of the whole."""
    return 0 if gross <= tax.threshold else gross * tax.rate_bps // HUNDRED_PERCENT


async def _book_month(
    deposit: TimeDeposit, cooperative_id: int, tax: SavingsInterestTax, journal: Journal
) -> bool:
    """Inside a transaction: the next anniversary's interest; False when another run or a
    close got there first."""
    gross = monthly_interest(deposit.principal, deposit.annual_rate_bps)
    withheld = interest_tax(gross, tax)
    net = gross - withheld
    monthly = deposit.interest_payout == TimeDepositInterestPayout.MONTHLY
    moved = await TimeDeposit.filter(
        id=deposit.id, status=TimeDepositStatus.ACTIVE, months_accrued=deposit.months_accrued
    ).update(
        months_accrued=F("months_accrued") + 1,
        tax_withheld=F("tax_withheld") + withheld,
        **(
            {"interest_paid": F("interest_paid") + net}
            if monthly
            else {
                "accrued_interest": F("accrued_interest") + gross,
                "accrued_net": F("accrued_net") + net,
                "accrued_tax": F("accrued_tax") + withheld,
            }
        ),
    )
    if not moved or not gross:
        return bool(moved)
    to = (
        Line(SUKARELA, credit=net, membership_id=deposit.membership_id)
        if monthly
        else Line(SIMPANAN_BERJANGKA, credit=net)
    )
    lines = [Line(BEBAN_JASA_BERJANGKA, debit=gross), to]
    if withheld:
        lines.append(Line(UTANG_PAJAK, credit=withheld))
    await journal.post(
        cooperative_id,
        EntryKind.TIME_DEPOSIT_INTEREST,
        "Jasa simpanan berjangka",
        lines,
        membership_id=deposit.membership_id,
    )
    return True


async def _mature(deposit_id: int, cooperative_id: int, journal: Journal) -> bool:
    """Inside a transaction: the deposit paid out or rolled over, as the member chose."""
    found = await TimeDeposit.get(id=deposit_id)
    roll = found.maturity_instruction == TimeDepositMaturity.ROLL_OVER
    deposit = await close_deposit(
        deposit_id, TimeDepositStatus.ROLLED_OVER if roll else TimeDepositStatus.PAID_OUT
    )
    if deposit is None:
        return False
    amount = deposit.principal + deposit.accrued_net
    closed: dict[str, object] = {
        "closing_amount": amount,
        "accrued_interest": 0,
        "accrued_net": 0,
        "accrued_tax": 0,
    }
    if roll:
        # The principal and its net interest are on Simpanan Berjangka already: nothing moves.
        product = await TimeDepositProduct.get(id=deposit.product_id)
        renewed = await start_deposit(
            product,
            deposit.membership_id,
            amount,
            TimeDepositMaturity.ROLL_OVER,
            deposit.maturity_date,
        )
        closed["rolled_over_to_id"] = renewed.id
    else:
        await _pay_out(deposit, cooperative_id, journal)
        closed["interest_paid"] = deposit.interest_paid + deposit.accrued_net
    await TimeDeposit.filter(id=deposit.id).update(**closed)
    what = "diperpanjang otomatis" if roll else "dicairkan ke simpanan sukarela"
    await _tell(
        deposit,
        NotificationKind.TIME_DEPOSIT_MATURED,
        "Simpanan berjangka jatuh tempo",
        f"Simpanan berjangka Anda jatuh tempo hari ini; {format_rupiah(amount)} {what}.",
    )
    return True


async def _tell(deposit: TimeDeposit, kind: NotificationKind, title: str, body: str) -> None:
    member = (await Membership.get(id=deposit.membership_id)).user_id
    await notify(kind, ("TimeDeposit", deposit.id), [member], title, body)


async def remind_maturing() -> int:
    """ACTIVE deposits maturing within 7 days, each told once; how many."""
    day = today()
    told = Notification.filter(
        kind=NotificationKind.TIME_DEPOSIT_MATURING, subject_type="TimeDeposit"
    ).values("subject_id")
    due = await TimeDeposit.filter(
        status=TimeDepositStatus.ACTIVE, maturity_date__gt=day, maturity_date__lte=day + MATURING
    ).exclude(id__in=Subquery(told))
    for deposit in due:
        await _tell(
            deposit,
            NotificationKind.TIME_DEPOSIT_MATURING,
            "Simpanan berjangka segera jatuh tempo",
            f"Simpanan berjangka Anda sebesar {format_rupiah(deposit.principal)} jatuh tempo "
            f"{tanggal(deposit.maturity_date)}.",
        )
    return len(due)


async def _pay_out(deposit: TimeDeposit, cooperative_id: int, journal: Journal) -> None:
    """The principal, then the net interest kept, from the deposit into SUKARELA."""
    paid = [
        (EntryKind.TIME_DEPOSIT, "Pencairan simpanan berjangka jatuh tempo", deposit.principal),
        (EntryKind.TIME_DEPOSIT_INTEREST, "Jasa simpanan berjangka", deposit.accrued_net),
    ]
    for kind, description, amount in paid:
        if amount:
            await journal.post(
                cooperative_id,
                kind,
                description,
                [
                    Line(SIMPANAN_BERJANGKA, debit=amount),
                    Line(SUKARELA, credit=amount, membership_id=deposit.membership_id),
                ],
            )


async def _run_deposit(deposit_id: int, day: date, services: Services) -> int:
    """Every step due on the deposit by `day`, each in its own transaction; how many."""
    done = 0
    while True:
        deposit = await TimeDeposit.get(id=deposit_id)
        if deposit.status != TimeDepositStatus.ACTIVE:
            return done
        cooperative_id = (await Membership.get(id=deposit.membership_id)).cooperative_id
        journal = Journal()
        month = deposit.months_accrued + 1
        async with in_transaction():
            if month <= deposit.term_months and add_months(deposit.start_date, month) <= day:
                moved = await _book_month(
                    deposit, cooperative_id, services.savings_interest_tax, journal
                )
            elif month > deposit.term_months and deposit.maturity_date <= day:
                moved = await _mature(deposit.id, cooperative_id, journal)
            else:
                return done
        await journal.publish(services.events)
        done += 1 if moved else 0


async def run_time_deposits(services: Services) -> int:
    """The sweep: every ACTIVE deposit's anniversaries and maturity due today; how many
    steps it took. One deposit's trouble stops no other; it is tried again next run."""
    day = today()
    due = await TimeDeposit.filter(status=TimeDepositStatus.ACTIVE, start_date__lt=day)
    done = 0
    for deposit in due:
        try:
            done += await _run_deposit(deposit.id, day, services)
        except Exception:
            logger.exception("time deposit %s: the daily run failed", deposit.id)
    return done + await remind_maturing()
