"""Repayment rules: denda (late fees), where a payment goes, and early payoff, with no I/O.

Denda: an installment more than `grace_days` past its due date owes, for every day past due
beyond the grace days, `rate_bps_per_day` basis points of what is still owed on it
(principal + interest): floor(owed x rate x days / 10,000), rounded down to the rupiah (in
the member's favour), less the denda already paid on it (never below 0). Paid within the
grace days, it owes none. Paying part of an installment lowers the base for its whole delay.
With a cap (`cap_bps`), an installment's denda, paid and owed together, is at most cap_bps
basis points of its scheduled principal and interest (rounded down). A written-off loan owes
no denda from then on (its policy's rate is 0).

Allocation: a payment goes to the open installments oldest due date first (so past-due ones
before the rest) and, within each, to denda, then interest, then principal; what no
installment can take is returned as `unapplied`. The caller passes the installments that
are payable now (those past due and the ones billed).

Early payoff on a date: the principal still owed on every installment, plus the interest
still owed on those due by that date, plus the running month's interest pro rata by days
(floor(interest x days run / days in the month), rounded down), plus their denda; the
interest of months not yet begun is waived. For FLAT, whose interest is on the original
principal every month, this means the member pays the flat interest of the months that have
run (the running one by days), not that of the whole tenor.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from resolvers.loans.arrears import days_past_due
from resolvers.loans.schedule import add_months, jakarta_date


@dataclass(frozen=True)
class DendaPolicy:
    rate_bps_per_day: int  # of what is still owed on the installment, per day
    grace_days: int
    cap_bps: int | None = None  # of the installment's scheduled principal and interest


@dataclass(frozen=True)
class OpenInstallment:
    """What is still owed on one installment."""

    number: int
    due_date: date
    principal: int
    interest: int
    denda_paid: int = 0
    scheduled: int = 0  # its principal and interest as scheduled, the base of the cap


@dataclass(frozen=True)
class Allocation:
    number: int
    denda: int
    interest: int
    principal: int

    @property
    def total(self) -> int:
        return self.denda + self.interest + self.principal


@dataclass(frozen=True)
class Repayment:
    allocations: list[Allocation]  # oldest first; installments that get nothing are left out
    unapplied: int


@dataclass(frozen=True)
class Payoff:
    principal: int
    interest: int
    denda: int

    @property
    def total(self) -> int:
        return self.principal + self.interest + self.denda


def denda_due(installment: OpenInstallment, on: date, policy: DendaPolicy) -> int:
    charged_days = days_past_due(installment.due_date, on) - policy.grace_days
    if charged_days <= 0:
        return 0
    owed = installment.principal + installment.interest
    accrued = owed * policy.rate_bps_per_day * charged_days // 10_000
    if policy.cap_bps is not None:
        accrued = min(accrued, installment.scheduled * policy.cap_bps // 10_000)
    return max(0, accrued - installment.denda_paid)


def allocate(
    amount: int, installments: Iterable[OpenInstallment], on: date, policy: DendaPolicy
) -> Repayment:
    """Where `amount` goes on `on`, by the rule in the module doc."""
    if amount < 0:
        raise ValueError("a payment cannot be negative")
    allocations, left = [], amount
    for installment in oldest_first(installments):
        if not left:
            break
        denda = min(denda_due(installment, on, policy), left)
        interest = min(installment.interest, left - denda)
        principal = min(installment.principal, left - denda - interest)
        left -= denda + interest + principal
        if denda or interest or principal:
            allocations.append(Allocation(installment.number, denda, interest, principal))
    return Repayment(allocations, left)


def payoff(
    installments: Iterable[OpenInstallment],
    disbursed: date | datetime,
    on: date,
    policy: DendaPolicy,
) -> Payoff:
    """What pays the loan off on `on`; `installments` are all that are still open."""
    start = jakarta_date(disbursed)
    principal = interest = denda = 0
    for installment in installments:
        principal += installment.principal
        denda += denda_due(installment, on, policy)
        period_start = add_months(start, installment.number - 1)
        if installment.due_date <= on:
            interest += installment.interest
        elif period_start < on:
            days_run, days = (on - period_start).days, (installment.due_date - period_start).days
            interest += installment.interest * days_run // days
    return Payoff(principal, interest, denda)


def oldest_first(installments: Iterable[OpenInstallment]) -> list[OpenInstallment]:
    return sorted(installments, key=lambda installment: (installment.due_date, installment.number))
