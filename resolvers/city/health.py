"""The Dinas's view of each cooperative's health: is it alive, and does it need help?

Per cooperative: its ACTIVE members, the savings its members hold (every open POKOK, WAJIB
and SUKARELA balance), the principal its ACTIVE loans still owe, its NPL ratio (the principal
of loans in kolektibilitas 3-5 over all of it, resolvers.loans.arrears), and when its journal
last moved. Figures about a cooperative, never about one member; CITY_ADMIN only. A handful of
grouped statements, whatever the number of cooperatives.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from tortoise.functions import Count, Max, Sum

from models.cooperatives import (
    Cooperative,
    JournalEntry,
    Membership,
    MembershipStatus,
    SavingsAccount,
)
from models.platform import User
from resolvers.city.figures import require_dinas
from resolvers.loans import LoanStanding, active_standings, basis_points, npl_ratio
from resolvers.platform import aggregated, today


class HealthSort(StrEnum):
    NAME = "NAME"
    ACTIVE_MEMBERS = "ACTIVE_MEMBERS"
    TOTAL_SAVINGS = "TOTAL_SAVINGS"
    LOANS_OUTSTANDING = "LOANS_OUTSTANDING"
    NPL_RATIO = "NPL_RATIO"
    LAST_TRANSACTION_AT = "LAST_TRANSACTION_AT"


@dataclass(frozen=True)
class CooperativeHealth:
    cooperative: Cooperative
    active_members: int
    total_savings: int
    loans_outstanding: int
    npl_ratio_bps: int
    last_transaction_at: datetime | None


_SORT_KEYS: dict[HealthSort, Callable[[CooperativeHealth], Any]] = {
    HealthSort.NAME: lambda h: h.cooperative.name.casefold(),
    HealthSort.ACTIVE_MEMBERS: lambda h: h.active_members,
    HealthSort.TOTAL_SAVINGS: lambda h: h.total_savings,
    HealthSort.LOANS_OUTSTANDING: lambda h: h.loans_outstanding,
    HealthSort.NPL_RATIO: lambda h: h.npl_ratio_bps,
    # A cooperative whose journal never moved sorts as the least recent.
    HealthSort.LAST_TRANSACTION_AT: lambda h: (
        h.last_transaction_at is not None,
        h.last_transaction_at.timestamp() if h.last_transaction_at else 0,
    ),
}


async def cooperative_health(
    viewer: User | None, sort: HealthSort, descending: bool
) -> list[CooperativeHealth]:
    """Every cooperative's health, sorted by `sort` (ties by name, then registration)."""
    require_dinas(viewer)
    members = await _per_cooperative(
        Membership.filter(status=MembershipStatus.ACTIVE), "cooperative_id", Count("id")
    )
    savings = await _per_cooperative(
        SavingsAccount.filter(is_open=True), "membership__cooperative_id", Sum("balance")
    )
    loans = await _loan_standings()
    last = await _per_cooperative(JournalEntry.all(), "cooperative_id", Max("created_at"))
    found = [
        CooperativeHealth(
            cooperative=cooperative,
            active_members=int(members.get(cooperative.id) or 0),
            total_savings=int(savings.get(cooperative.id) or 0),
            loans_outstanding=sum(s.outstanding for s in loans.get(cooperative.id, [])),
            npl_ratio_bps=basis_points(npl_ratio(loans.get(cooperative.id, []))),
            last_transaction_at=aggregated(last.get(cooperative.id), datetime),
        )
        for cooperative in await Cooperative.all().order_by("id")
    ]
    found.sort(key=lambda h: (h.cooperative.name.casefold(), h.cooperative.id))
    found.sort(key=_SORT_KEYS[sort], reverse=descending)  # stable: ties keep name order
    return found


async def _loan_standings() -> dict[int, list[LoanStanding]]:
    """Every ACTIVE loan's outstanding principal and days past due, by cooperative."""
    found: dict[int, list[LoanStanding]] = defaultdict(list)
    for cooperative_id, standing in await active_standings(today()):
        found[cooperative_id].append(standing)
    return found


async def _per_cooperative(query: Any, key: str, aggregate: Any) -> dict[int, Any]:
    """One grouped statement: {cooperative id: the aggregate over its rows}."""
    rows = await query.group_by(key).annotate(value=aggregate).values_list(key, "value")
    return dict(rows)
