"""The demo's standing instructions (autodebet): Budi and every third other ACTIVE member of
the first cooperative have theirs ACTIVE for simpanan wajib and loan installments, so the
daily sweep pays their bills from SUKARELA on their due dates."""

from __future__ import annotations

from models.bills import BillKind, StandingInstruction
from models.cooperatives import Membership, MembershipStatus

KINDS = [BillKind.LOAN_INSTALLMENT.value, BillKind.SIMPANAN_WAJIB.value]


async def seed_standing_instructions(cooperative_id: int) -> int:
    """Inside the seed's transaction; how many it created."""
    members = (
        await Membership.filter(cooperative_id=cooperative_id, status=MembershipStatus.ACTIVE)
        .order_by("number", "id")
        .select_related("user")
    )
    chosen = [m for i, m in enumerate(members) if m.user.email == "budi@satupintu.id" or i % 3 == 2]
    await StandingInstruction.bulk_create(
        [StandingInstruction(membership_id=m.id, kinds=KINDS, live_membership_id=m.id)
         for m in chosen]
    )  # fmt: skip
    return len(chosen)
