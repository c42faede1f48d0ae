"""A pengurus leaving office."""

from __future__ import annotations

from tortoise.expressions import F
from tortoise.transactions import in_transaction

from models.cooperatives import Cooperative, CooperativeAdmin
from models.platform import User
from resolvers.cooperatives.cooperative import coop_viewer, require_pengurus
from resolvers.cooperatives.feed import rights_changed
from resolvers.platform import Broker, ErrorCode, UserError, require_user


async def leave_office(viewer: User | None, cooperative_id: int, events: Broker) -> Cooperative:
    """The pengurus resigns their post, unless they are its last pengurus; their live feed
    of the cooperative, on every worker, ends or loses what only the pengurus see."""
    user = require_user(viewer)
    cooperative = await Cooperative.get_or_none(id=cooperative_id)
    if cooperative is None:
        raise UserError(ErrorCode.NOT_FOUND, "Koperasi tidak ditemukan.", "cooperativeId")
    require_pengurus(await coop_viewer(user), cooperative_id, "cooperativeId")
    async with in_transaction():
        # The cooperative's row lock: two pengurus leaving at once count one after the other.
        await Cooperative.filter(id=cooperative_id).update(name=F("name"))
        if await CooperativeAdmin.filter(cooperative_id=cooperative_id).count() < 2:
            raise UserError(
                ErrorCode.INVALID_STATE,
                "Pengurus terakhir tidak bisa berhenti: tambahkan pengurus lain dahulu.",
                "cooperativeId",
            )
        await CooperativeAdmin.filter(cooperative_id=cooperative_id, user_id=user.id).delete()
    await rights_changed(events, cooperative_id, user.id)
    return cooperative
