"""Loan schedules (jadwal angsuran): FLAT, EFEKTIF and ANUITAS in whole rupiah, with no I/O.

Rate: the annual rate is in basis points; the monthly rate is exactly the annual rate divided
by 12 (nominal, not compounded): 1,800 bps a year is 1.5% a month, r = bps / 120,000.

Arithmetic is exact (`Fraction`); an amount is rounded only where it becomes rupiah, by
`rupiah()`: to the nearest rupiah, halves to even (Apache Fineract's default rounding mode).

- FLAT: interest on the original principal, the same every month: floor(P x r), the last
  month taking the rest of rupiah(P x r x n), so the interest adds up to P x r x n.
- EFEKTIF (declining balance, equal principal parts): interest rupiah(B x r), B the balance
  the schedule leaves outstanding before the installment.
- ANUITAS (equal installments), as Fineract does: the installment A = rupiah(P r / (1 - (1 +
  r)^-n)) (rupiah(P / n) at 0%); interest rupiah(B x r); principal A - interest; so every
  installment but the last is exactly A, where rounding principal and interest separately
  would make them drift. The last pays the whole remaining balance plus its interest, and so
  absorbs the rounding (a few rupiah). Only when A is a few hundred rupiah can rounding pay
  the balance off before the last month; the principal part then stops where every later
  month keeps Rp1 of principal (the overpayment is folded into the months that follow).

Rounding (the policy's `installmentMultipleOf`, Fineract's installmentAmountInMultiplesOf,
e.g. Rp100 or Rp1.000; 1 is none): every installment but the last is its total (principal
part + interest) rounded to the nearest multiple (halves up), the principal part taking the
difference, kept between Rp1 and what leaves Rp1 for each later month; the last pays the
whole remaining balance plus its interest, and so absorbs the rest.

Principal parts of FLAT and EFEKTIF are P // n (rounded down) and the last takes the rest,
P - (n - 1)(P // n), so in every method the parts add up exactly to P and each interest is
within Rp0.5 of its formula. Due dates are monthly from the disbursement date (Asia/Jakarta),
anchored on its day of the month and clamped to the month's end: 31 January -> 28 or 29
February -> 31 March.

No installment is ever Rp0: the principal must be at least Rp1 for every month of the tenor
(P >= n; a smaller loan is refused by `check_terms` with a coded error rather than folded),
so every FLAT and EFEKTIF part is at least P // n >= 1, and an ANUITAS part leaves Rp1 of
principal for each later month.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from fractions import Fraction

from models.loans import InterestMethod
from resolvers.platform import JAKARTA, ErrorCode, UserError, add_months, format_rupiah

MAX_TENOR_MONTHS = 60
MAX_ANNUAL_RATE_BPS = 10_000  # 100% a year: a sanity bound, not a policy
MAX_INSTALLMENT_MULTIPLE = 100_000


@dataclass(frozen=True)
class Installment:
    number: int
    due_date: date
    principal: int
    interest: int
    balance: int  # principal still owed after this installment is paid

    @property
    def total(self) -> int:
        return self.principal + self.interest


def rupiah(amount: Fraction) -> int:
    """The nearest whole rupiah, halves to even."""
    return round(amount)


def monthly_rate(annual_rate_bps: int) -> Fraction:
    return Fraction(annual_rate_bps, 12 * 10_000)


def check_terms(principal: int, annual_rate_bps: int, tenor_months: int) -> None:
    """Refuse terms no schedule can have; the cooperative's own limits are checked apart."""
    if principal < 1:
        raise UserError(ErrorCode.INVALID, "Pokok pinjaman harus lebih dari Rp0.", "principal")
    if tenor_months < 1:
        raise UserError(ErrorCode.INVALID, "Jangka waktu paling sedikit 1 bulan.", "tenorMonths")
    if tenor_months > MAX_TENOR_MONTHS:
        raise UserError(
            ErrorCode.LIMIT_EXCEEDED,
            f"Jangka waktu paling lama {MAX_TENOR_MONTHS} bulan.",
            "tenorMonths",
        )
    if principal < tenor_months:
        raise UserError(ErrorCode.INVALID, too_small(tenor_months), "principal")
    if not 0 <= annual_rate_bps <= MAX_ANNUAL_RATE_BPS:
        raise UserError(
            ErrorCode.INVALID,
            "Bunga per tahun harus antara 0 dan 10.000 basis poin (0-100%).",
            "annualRateBps",
        )


def too_small(tenor_months: int) -> str:
    """Why a principal under Rp1 a month is refused: it would make installments of Rp0."""
    return (
        f"Pokok pinjaman paling sedikit {format_rupiah(tenor_months)} untuk {tenor_months} "
        "bulan (Rp1 per bulan), agar tidak ada angsuran Rp0."
    )


def jakarta_date(moment: date | datetime) -> date:
    """The calendar date in Jakarta; a `date` is taken as already being one."""
    if isinstance(moment, datetime):
        if moment.tzinfo is None:
            raise ValueError("a disbursement time needs a time zone")
        return moment.astimezone(JAKARTA).date()
    return moment


def due_dates(disbursed: date | datetime, tenor_months: int) -> list[date]:
    start = jakarta_date(disbursed)
    return [add_months(start, number) for number in range(1, tenor_months + 1)]


def annuity_payment(principal: int, rate: Fraction, tenor_months: int) -> int:
    """The equal monthly installment, rounded to whole rupiah."""
    if rate == 0:
        return rupiah(Fraction(principal, tenor_months))
    growth = (1 + rate) ** tenor_months
    return rupiah(principal * rate * growth / (growth - 1))


def schedule(
    principal: int,
    annual_rate_bps: int,
    tenor_months: int,
    method: InterestMethod,
    disbursed: date | datetime,
    multiple: int = 1,
) -> list[Installment]:
    """The installments of a loan disbursed on `disbursed`, by the rules in the module doc;
    every installment but the last a multiple of `multiple` rupiah where the balance allows."""
    check_terms(principal, annual_rate_bps, tenor_months)
    if not 1 <= multiple <= MAX_INSTALLMENT_MULTIPLE:
        raise ValueError("an installment multiple is 1 to 100,000 rupiah")
    method = InterestMethod(method)
    rate = monthly_rate(annual_rate_bps)
    interest_of = _flat_interest(principal, rate, tenor_months)
    if method != InterestMethod.FLAT:
        interest_of = lambda owed, _number: rupiah(owed * rate)  # noqa: E731
    if method == InterestMethod.ANUITAS:
        payment = annuity_payment(principal, rate, tenor_months)

        def part(owed: int, interest: int, later: int) -> int:
            return min(payment - interest, owed - later)
    else:
        equal = principal // tenor_months

        def part(owed: int, interest: int, later: int) -> int:
            return equal

    parts = _parts(principal, tenor_months, interest_of, _rounded(part, multiple))
    installments, balance = [], principal
    for number, (due, (paid, interest)) in enumerate(
        zip(due_dates(disbursed, tenor_months), parts, strict=True), start=1
    ):
        balance -= paid
        installments.append(Installment(number, due, paid, interest, balance))
    return installments


def _flat_interest(principal: int, rate: Fraction, tenor: int) -> Callable[[int, int], int]:
    """FLAT's interest of month `number`: floor(P x r), the last taking the rest of
    rupiah(P x r x n)."""
    monthly = principal * rate
    flat = math.floor(monthly)

    def interest(_owed: int, number: int) -> int:
        return flat if number < tenor else rupiah(monthly * tenor) - flat * (tenor - 1)

    return interest


def round_to_multiple(amount: int, multiple: int) -> int:
    """The nearest multiple of `multiple`, halves up."""
    return (amount + multiple // 2) // multiple * multiple


def _rounded(part: Callable[[int, int, int], int], multiple: int) -> Callable[[int, int, int], int]:
    """`part` moved so that part + interest is a multiple, leaving Rp1 for each later month."""
    if multiple == 1:
        return part

    def rounded(owed: int, interest: int, later: int) -> int:
        total = round_to_multiple(part(owed, interest, later) + interest, multiple)
        return max(1, min(total - interest, owed - later))

    return rounded


def _parts(
    principal: int,
    tenor: int,
    interest_of: Callable[[int, int], int],
    part: Callable[[int, int, int], int],
) -> list[tuple[int, int]]:
    """(principal, interest) per month; the last clears the balance. `interest_of(balance,
    number)` is a month's interest, `part(balance, interest, months after this one)` its
    principal."""
    parts, balance = [], principal
    for number in range(1, tenor + 1):
        interest = interest_of(balance, number)
        paid = balance if number == tenor else part(balance, interest, tenor - number)
        parts.append((paid, interest))
        balance -= paid
    return parts
