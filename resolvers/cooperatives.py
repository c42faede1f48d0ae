"""Cooperatives, their pengurus and memberships: who may see what."""

from __future__ import annotations

from models.accounts import User
from models.cooperatives import Cooperative, CooperativeAdmin, Membership, MembershipStatus
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


async def visible_membership(viewer: User | None, membership_id: int) -> Membership | None:
    """The membership, for the member themself, a pengurus of its cooperative or the Dinas."""
    if viewer is None:
        return None
    membership = await Membership.get_or_none(id=membership_id)
    if membership is None:
        return None
    if membership.user_id == viewer.id or viewer.is_city_admin:
        return membership
    return membership if await is_admin_of(viewer, membership.cooperative_id) else None
