"""Users, sign-up, login and API keys."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry import relay
from strawberry.types import Info

from models import accounts as m
from resolvers import accounts, cooperatives, shops
from resolvers.lookups import row_id
from schema.errors import UserError, payload_of
from schema.ids import decode_id

if TYPE_CHECKING:
    from schema.cooperatives import Cooperative, Membership
    from schema.shops import Shop


@strawberry.enum
class Role(Enum):
    BUYER = "BUYER"
    CITY_ADMIN = "CITY_ADMIN"


@strawberry.type
class User(relay.Node):
    id: relay.NodeID[int]
    name: str
    email: str
    phone: str | None
    roles: list[Role]

    @strawberry.field(description="The shops this user owns.")
    async def shops(self) -> list[Annotated[Shop, strawberry.lazy("schema.shops")]]:
        from schema.shops import Shop

        return [Shop.of(s) for s in await shops.shops_of(self.id)]

    @strawberry.field(description="This user's cooperative memberships, whatever their status.")
    async def memberships(
        self,
    ) -> list[Annotated[Membership, strawberry.lazy("schema.cooperatives")]]:
        from schema.cooperatives import Membership

        return [Membership.of(m) for m in await cooperatives.memberships_of(self.id)]

    @strawberry.field(description="The cooperatives this user is a pengurus of.")
    async def administered_cooperatives(
        self,
    ) -> list[Annotated[Cooperative, strawberry.lazy("schema.cooperatives")]]:
        from schema.cooperatives import Cooperative

        return [Cooperative.of(c) for c in await cooperatives.administered_by(self.id)]

    @classmethod
    def of(cls, user: m.User) -> User:
        return cls(
            id=user.id,
            name=user.name,
            email=user.email,
            phone=user.phone,
            roles=[Role(r) for r in accounts.roles_of(user)],
        )

    @classmethod
    async def resolve_nodes(
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[User | None]:
        found = [await accounts.visible_user(info.context.viewer, row_id(i)) for i in node_ids]
        return [cls.of(u) if u else None for u in found]


@strawberry.type
class ApiKey(relay.Node):
    id: relay.NodeID[int]
    name: str
    created_at: datetime

    @classmethod
    def of(cls, key: m.ApiKey) -> ApiKey:
        return cls(id=key.id, name=key.name, created_at=key.created_at)

    @classmethod
    async def resolve_nodes(
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[ApiKey | None]:
        viewer = info.context.viewer
        ids = [row_id(i) for i in node_ids]
        found = {k.id: k for k in await accounts.api_keys_of(viewer, ids)}
        return [cls.of(found[i]) if i in found else None for i in ids]


@strawberry.input
class RegisterInput:
    name: str
    email: str
    password: str
    phone: str | None = None


@strawberry.type
class AuthPayload:
    token: str | None = None
    user: User | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class OkPayload:
    ok: bool = False
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class CreateApiKeyPayload:
    key: str | None = strawberry.field(default=None, description="Shown once; store it now.")
    api_key: ApiKey | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class Query:
    @strawberry.field(description="The signed-in user; null when not signed in.")
    def me(self, info: Info) -> User | None:
        viewer = info.context.viewer
        return User.of(viewer) if viewer else None


@strawberry.type
class Mutation:
    @strawberry.mutation
    async def register(self, input: RegisterInput) -> AuthPayload:
        return await payload_of(
            AuthPayload,
            lambda: accounts.register(
                name=input.name, email=input.email, password=input.password, phone=input.phone
            ),
            lambda session: AuthPayload(token=session.token, user=User.of(session.user)),
        )

    @strawberry.mutation
    async def login(self, email: str, password: str) -> AuthPayload:
        return await payload_of(
            AuthPayload,
            lambda: accounts.login(email=email, password=password),
            lambda session: AuthPayload(token=session.token, user=User.of(session.user)),
        )

    @strawberry.mutation(description="Revokes the bearer token the request was sent with.")
    async def logout(self, info: Info) -> OkPayload:
        return OkPayload(ok=await accounts.logout(info.context.token))

    @strawberry.mutation
    async def create_api_key(self, info: Info, name: str) -> CreateApiKeyPayload:
        return await payload_of(
            CreateApiKeyPayload,
            lambda: accounts.create_api_key(info.context.viewer, name),
            lambda made: CreateApiKeyPayload(key=made[0], api_key=ApiKey.of(made[1])),
        )

    @strawberry.mutation
    async def revoke_api_key(self, info: Info, id: strawberry.ID) -> OkPayload:
        return await payload_of(
            OkPayload,
            lambda: accounts.revoke_api_key(info.context.viewer, decode_id(id, "ApiKey")),
            lambda _: OkPayload(ok=True),
        )
