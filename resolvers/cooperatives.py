"""Cooperatives, their pengurus and memberships: who may see what."""

from __future__ import annotations

from tortoise.expressions import Q, Subquery

from models.accounts import User
from models.cooperatives import Cooperative, CooperativeAdmin, Membership, MembershipStatus
from resolvers import visibility
from resolvers.batching import counts_by, rows_by_ids


async def cooperatives_by_ids(ids: list[int]) -> list[Cooperative | None]:
    return await rows_by_ids(Cooperative, ids)


async def active_member_counts(cooperative_ids: list[int]) -> list[int]:
    active = Membership.filter(status=MembershipStatus.ACTIVE)
    return await counts_by(active, "cooperative_id", cooperative_ids)


async def memberships_of(user_id: int) -> list[Membership]:
    return await Membership.filter(user_id=user_id).order_by("id")


async def administered_by(user_id: int) -> list[Cooperative]:
    return await Cooperative.filter(admins__user_id=user_id).order_by("name", "id")


async def is_admin_of(viewer: User | None, cooperative_id: int) -> bool:
    if viewer is None:
        return False
    return await CooperativeAdmin.exists(user_id=viewer.id, cooperative_id=cooperative_id)


def member_pengurus_or_dinas(viewer: User | None) -> Q | None:
    """Rows with a `user_id` and a `cooperative_id` (a membership, and what hangs from one),
    for the member themself, a pengurus of that cooperative, or the Dinas."""
    if viewer is None:
        return None
    if viewer.is_city_admin:
        return Q()
    administered = CooperativeAdmin.filter(user_id=viewer.id).values("cooperative_id")
    return Q(user_id=viewer.id) | Q(cooperative_id__in=Subquery(administered))


visibility.register("Cooperative", Cooperative, visibility.everyone)
visibility.register("Membership", Membership, member_pengurus_or_dinas)
