"""What the loan pages read: schedules, arrears and the cooperative's portfolio (for its
pengurus), and the applicant's shops' sales, the capital view.

The capital view: for the shops the applicant owns, per Jakarta month over the last 12
(this one included, oldest first), the revenue (the amounts of orders whose payment is PAID,
as the city's figures count them), those paid orders, the orders CANCELLED, and the average
paid order (revenue / paid orders, rounded down; 0 without any). Months are those the order
was placed in. One grouped statement over the orders, whatever their number.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

from tortoise import connections
from tortoise.expressions import Q, RawSQL
from tortoise.functions import Count, Min, Sum

from models.cooperatives import KolektibilitasBands
from models.loans import Loan, LoanInstallment, LoanStatus
from models.orders import OrderStatus, Payment, PaymentStatus
from resolvers.loans.arrears import (
    BAND_SETS,
    Kolektibilitas,
    LoanStanding,
    basis_points,
    loan_days_past_due,
    npl_ratio,
)
from resolvers.platform import MONTH_SQL, last_months, month_start, rows_grouped_by

SALES_MONTHS = 12


async def installments_of_loans(ids: list[int]) -> list[list[LoanInstallment]]:
    return await rows_grouped_by(LoanInstallment.all().order_by("number"), "loan_id", ids)


def days_past_due(installments: list[LoanInstallment], on: date) -> int:
    return loan_days_past_due([i.due_date for i in installments if i.paid_at is None], on)


@dataclass(frozen=True)
class Band:
    kolektibilitas: Kolektibilitas
    loans: int
    outstanding: int


@dataclass(frozen=True)
class Portfolio:
    outstanding: int
    active_loans: int
    npl_ratio_bps: int
    bands: list[Band]


async def active_standings(on: date, **where: Any) -> list[tuple[int, LoanStanding]]:
    """(cooperative id, standing) of every ACTIVE loan matching `where`; two statements."""
    oldest = dict(
        await LoanInstallment.filter(
            loan__status=LoanStatus.ACTIVE,
            paid_at__isnull=True,
            **{f"loan__{name}": value for name, value in where.items()},
        )
        .group_by("loan_id")
        .annotate(oldest=Min("due_date"))
        .values_list("loan_id", "oldest")
    )
    rows = await Loan.filter(status=LoanStatus.ACTIVE, **where).values_list(
        "id",
        "membership__cooperative_id",
        "outstanding",
        "membership__cooperative__kolektibilitas_bands",
    )
    return [
        (
            cooperative_id,
            LoanStanding(
                owed,
                loan_days_past_due([oldest[i]] if i in oldest else [], on),
                BAND_SETS[KolektibilitasBands(bands)],
            ),
        )
        for i, cooperative_id, owed, bands in rows
    ]


async def portfolio(cooperative_id: int, on: date) -> Portfolio:
    """The cooperative's ACTIVE loans by kolektibilitas, and its NPL ratio; two statements."""
    standings = [
        s for _, s in await active_standings(on, membership__cooperative_id=cooperative_id)
    ]
    loans: Counter[Kolektibilitas] = Counter()
    owed: Counter[Kolektibilitas] = Counter()
    for standing in standings:
        loans[standing.kolektibilitas] += 1
        owed[standing.kolektibilitas] += standing.outstanding
    return Portfolio(
        outstanding=sum(s.outstanding for s in standings),
        active_loans=len(standings),
        npl_ratio_bps=basis_points(npl_ratio(standings)),
        bands=[Band(k, loans[k], owed[k]) for k in Kolektibilitas],
    )


@dataclass(frozen=True)
class SalesMonth:
    month: str  # YYYY-MM, Asia/Jakarta
    revenue: int
    paid_orders: int
    cancelled_orders: int

    @property
    def average_order(self) -> int:
        return self.revenue // self.paid_orders if self.paid_orders else 0


async def shop_sales(owner_id: int, on: date) -> list[SalesMonth]:
    """The capital view of the module doc, for the shops `owner_id` owns."""
    months = last_months(SALES_MONTHS, on)
    start = month_start(months[0])
    dialect = connections.get("default").capabilities.dialect
    # Every order has its payment, made with it at checkout (the same `created_at`).
    paid = Q(status=PaymentStatus.PAID)
    rows = (
        await Payment.filter(order__shop__owner_id=owner_id, created_at__gte=start)
        .annotate(month=RawSQL(MONTH_SQL[dialect].format(column='"payment"."created_at"')))
        .group_by("month")
        .annotate(
            revenue=Sum("amount", _filter=paid),
            paid=Count("id", _filter=paid),
            cancelled=Count("id", _filter=Q(order__status=OrderStatus.CANCELLED)),
        )
        .values("month", "revenue", "paid", "cancelled")
    )
    found = {row["month"]: row for row in rows}
    return [
        SalesMonth(
            month,
            int(found[month]["revenue"] or 0) if month in found else 0,
            int(found[month]["paid"] or 0) if month in found else 0,
            int(found[month]["cancelled"] or 0) if month in found else 0,
        )
        for month in months
    ]
