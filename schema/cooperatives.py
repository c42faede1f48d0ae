"""Cooperatives (koperasi) and memberships."""

from __future__ import annotations

from datetime import datetime
from enum import Enum

import strawberry
from strawberry import relay
from strawberry.types import Info

from models import cooperatives as m
from resolvers import regions
from schema.nodes import Visible
from schema.regions import Kelurahan


@strawberry.enum(description="The kind of koperasi by its business.")
class CooperativeType(Enum):
    SIMPAN_PINJAM = "SIMPAN_PINJAM"
    KONSUMEN = "KONSUMEN"
    PRODUSEN = "PRODUSEN"
    PEMASARAN = "PEMASARAN"
    JASA = "JASA"


@strawberry.enum
class MembershipStatus(Enum):
    PENDING = "PENDING"
    ACTIVE = "ACTIVE"
    REJECTED = "REJECTED"
    ENDED = "ENDED"


@strawberry.type
class Cooperative(Visible, relay.Node):
    id: relay.NodeID[int]
    slug: str
    name: str
    type: CooperativeType
    legal_number: str = strawberry.field(description="The badan hukum number (AHU-...).")
    is_digital: bool
    model: strawberry.Private[m.Cooperative]

    @classmethod
    def of(cls, cooperative: m.Cooperative) -> Cooperative:
        return cls(
            id=cooperative.id,
            slug=cooperative.slug,
            name=cooperative.name,
            type=CooperativeType(cooperative.type),
            legal_number=cooperative.legal_number,
            is_digital=cooperative.is_digital,
            model=cooperative,
        )

    @strawberry.field
    async def kelurahan(self) -> Kelurahan:
        found = await regions.kelurahan(self.model.kelurahan_id)
        assert found is not None  # the foreign key guarantees it
        return Kelurahan.of(found)

    @strawberry.field(description="Number of active members.")
    async def member_count(self, info: Info) -> int:
        return await info.context.loaders.member_count.load(self.model.id)


@strawberry.type(description="Seen only by the member, the cooperative's pengurus and the Dinas.")
class Membership(Visible, relay.Node):
    id: relay.NodeID[int]
    number: int | None = strawberry.field(description="The member number, given on approval.")
    status: MembershipStatus
    joined_at: datetime | None
    model: strawberry.Private[m.Membership]

    @classmethod
    def of(cls, membership: m.Membership) -> Membership:
        return cls(
            id=membership.id,
            number=membership.number,
            status=MembershipStatus(membership.status),
            joined_at=membership.joined_at,
            model=membership,
        )

    @strawberry.field
    async def cooperative(self, info: Info) -> Cooperative:
        found = await info.context.loaders.cooperative.load(self.model.cooperative_id)
        assert found is not None  # the foreign key guarantees it
        return Cooperative.of(found)
