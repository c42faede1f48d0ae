"""Arrears (tunggakan): days past due, kolektibilitas 1-5 and the NPL ratio, with no I/O.

A loan's days past due are counted from the due date of its oldest installment that is not
fully paid, in Jakarta calendar days; 0 while none is past its due date. The bands are the
payment-punctuality (ketepatan pembayaran) bands of the bank asset-quality rules (PBI
14/15/PBI/2012, now POJK 40/POJK.03/2019), which koperasi simpan pinjam commonly adopt for
their pinjaman; Kemenkop's health assessment of simpan pinjam (Peraturan Deputi Bidang
Pengawasan No. 06/Per/Dep.6/IV/2016) counts the last three as pinjaman bermasalah:

| kolektibilitas | days past due |
| --- | --- |
| 1 lancar | 0 |
| 2 dalam perhatian khusus | 1-90 |
| 3 kurang lancar | 91-120 |
| 4 diragukan | 121-180 |
| 5 macet | more than 180 |

These are a cooperative's default (`BANK`). A cooperative may grade by the cooperative
ministry's four classes instead (`MINISTRY`: kolektibilitas pinjaman of the KSP health
assessment, Permenkop UKM 14/2009 and its successors), where arrears are counted in months:
lancar up to 1 month (30 days) late, kurang lancar up to 6 months (180 days), diragukan up to
12 months (360 days), macet beyond; the four classes are levels 1, 3, 4 and 5 here, so NPL and
the allowance rates read them alike.

The NPL ratio (non-performing loans) is the outstanding principal of loans in kolektibilitas
3-5 over the outstanding principal of all loans, as an exact fraction; 0 with none.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import IntEnum
from fractions import Fraction

from models.cooperatives import KolektibilitasBands


class Kolektibilitas(IntEnum):
    LANCAR = 1
    DALAM_PERHATIAN_KHUSUS = 2
    KURANG_LANCAR = 3
    DIRAGUKAN = 4
    MACET = 5

    @property
    def label(self) -> str:
        return self.name.replace("_", " ").lower()


Bands = tuple[tuple[int, Kolektibilitas], ...]
# The most days past due of each band but the last.
BANK_BANDS: Bands = (
    (0, Kolektibilitas.LANCAR),
    (90, Kolektibilitas.DALAM_PERHATIAN_KHUSUS),
    (120, Kolektibilitas.KURANG_LANCAR),
    (180, Kolektibilitas.DIRAGUKAN),
)
MINISTRY_BANDS: Bands = (
    (30, Kolektibilitas.LANCAR),
    (180, Kolektibilitas.KURANG_LANCAR),
    (360, Kolektibilitas.DIRAGUKAN),
)
BAND_SETS: dict[KolektibilitasBands, Bands] = {
    KolektibilitasBands.BANK: BANK_BANDS,
    KolektibilitasBands.MINISTRY: MINISTRY_BANDS,
}
NON_PERFORMING = frozenset(
    {Kolektibilitas.KURANG_LANCAR, Kolektibilitas.DIRAGUKAN, Kolektibilitas.MACET}
)


@dataclass(frozen=True)
class LoanStanding:
    outstanding: int  # principal still owed
    days_past_due: int
    bands: Bands = BANK_BANDS

    @property
    def kolektibilitas(self) -> Kolektibilitas:
        return kolektibilitas(self.days_past_due, self.bands)


def days_past_due(due_date: date, on: date) -> int:
    return max(0, (on - due_date).days)


def loan_days_past_due(unpaid_due_dates: Iterable[date], on: date) -> int:
    """Days since the oldest installment not fully paid fell due; 0 with none past due."""
    return max((days_past_due(due, on) for due in unpaid_due_dates), default=0)


def kolektibilitas(days: int, bands: Bands = BANK_BANDS) -> Kolektibilitas:
    for most, band in bands:
        if days <= most:
            return band
    return Kolektibilitas.MACET


def npl_ratio(loans: Iterable[LoanStanding]) -> Fraction:
    total = bad = 0
    for loan in loans:
        total += loan.outstanding
        if loan.kolektibilitas in NON_PERFORMING:
            bad += loan.outstanding
    return Fraction(bad, total) if total else Fraction(0)


def basis_points(ratio: Fraction) -> int:
    """A ratio in basis points (1/10,000), to the nearest, halves to even."""
    return round(ratio * 10_000)
