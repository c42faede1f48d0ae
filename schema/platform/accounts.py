"""Users, sign-up, login and API keys."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry import relay
from strawberry.types import Info

from models.platform import accounts as m
from resolvers import cooperatives, shops
from resolvers.platform import Forbidden, accounts, password_reset, sessions
from schema.platform.errors import UserError, payload_of
from schema.platform.ids import decode_id
from schema.platform.lazy import later
from schema.platform.nodes import Visible

if TYPE_CHECKING:
    from schema.cooperatives import Cooperative, Membership
    from schema.shops import Shop


@strawberry.enum
class Role(Enum):
    BUYER = "BUYER"
    CITY_ADMIN = "CITY_ADMIN"
    MARKETPLACE_ADMIN = strawberry.enum_value(
        "MARKETPLACE_ADMIN", description="Decides escalated complaints, beside the Dinas."
    )


@strawberry.type(
    description="An account: its name for whoever may see it; its e-mail for the user and the "
    "Dinas, its phone for the user and, through a membership, the pengurus of its cooperative."
)
class User(Visible, relay.Node):
    id: relay.NodeID[int]
    name: str
    roles: list[Role]
    model: strawberry.Private[m.User]
    # Set by a Membership whose phone the viewer may read, for the account it belongs to.
    membership_phone_shown: strawberry.Private[bool] = False
    # The account a sign-in or sign-up payload gives its owner, who has no token yet.
    signing_in: strawberry.Private[bool] = False

    def _reader(self, info: Info) -> m.User | None:
        return self.model if self.signing_in else info.context.viewer

    @strawberry.field
    def email(self, info: Info) -> str:
        if not accounts.can_read_email(self._reader(info), self.model.id):
            raise Forbidden("Hanya pemilik akun dan petugas Dinas yang boleh melihatnya.")
        return self.model.email

    @strawberry.field
    def phone(self, info: Info) -> str | None:
        viewer, shown = self._reader(info), self.membership_phone_shown
        if not accounts.can_read_phone(viewer, self.model.id, membership_phone_shown=shown):
            raise Forbidden("Hanya pemilik akun dan pengurus koperasinya yang boleh melihatnya.")
        return self.model.phone

    @strawberry.field(description="The shops this user owns.")
    async def shops(self) -> list[Annotated[Shop, strawberry.lazy("schema.shops")]]:
        return [later("schema.shops", "Shop").of(s) for s in await shops.shops_of(self.id)]

    @strawberry.field(
        description="This user's cooperative memberships, whatever their status, that the "
        "viewer may see: all of them for the user and the Dinas, a pengurus' own cooperative's."
    )
    async def memberships(
        self, info: Info
    ) -> list[Annotated[Membership, strawberry.lazy("schema.cooperatives")]]:
        return [
            later("schema.cooperatives", "Membership").of(m)
            for m in await cooperatives.memberships_of(info.context.viewer, self.id)
        ]

    @strawberry.field(description="The cooperatives this user is a pengurus of.")
    async def administered_cooperatives(
        self,
    ) -> list[Annotated[Cooperative, strawberry.lazy("schema.cooperatives")]]:
        return [
            later("schema.cooperatives", "Cooperative").of(c)
            for c in await cooperatives.administered_by(self.id)
        ]

    @classmethod
    def of(
        cls, user: m.User, *, membership_phone_shown: bool = False, signing_in: bool = False
    ) -> User:
        return cls(
            id=user.id,
            name=user.name,
            roles=[Role(r) for r in accounts.roles_of(user)],
            model=user,
            membership_phone_shown=membership_phone_shown,
            signing_in=signing_in,
        )


@strawberry.type
class ApiKey(Visible, relay.Node):
    id: relay.NodeID[int]
    name: str
    created_at: datetime

    @classmethod
    def of(cls, key: m.ApiKey) -> ApiKey:
        return cls(id=key.id, name=key.name, created_at=key.created_at)


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
            _signed_in,
        )

    @strawberry.mutation(
        description="A new session. After a few wrong passwords for an email, each further "
        "try must wait longer (LIMIT_EXCEEDED says how long)."
    )
    async def login(self, info: Info, email: str, password: str) -> AuthPayload:
        return await payload_of(
            AuthPayload,
            lambda: accounts.login(email=email, password=password, attempts=info.context.attempts),
            _signed_in,
        )

    @strawberry.mutation(description="Revokes the bearer token the request was sent with.")
    async def logout(self, info: Info) -> OkPayload:
        events = info.context.services.events
        return OkPayload(ok=await sessions.logout(info.context.token, events))

    @strawberry.mutation(
        description="Signs out everywhere: revokes every session of the signed-in user, this "
        "one included, and closes their WebSockets."
    )
    async def logout_everywhere(self, info: Info) -> OkPayload:
        return await payload_of(
            OkPayload,
            lambda: accounts.logout_everywhere(info.context.viewer, info.context.services.events),
            lambda _: OkPayload(ok=True),
        )

    @strawberry.mutation(
        description="Sets a new password; every other session of the user is revoked."
    )
    async def change_password(
        self, info: Info, current_password: str, new_password: str
    ) -> OkPayload:
        context = info.context
        return await payload_of(
            OkPayload,
            lambda: accounts.change_password(
                context.viewer,
                context.token,
                current_password,
                new_password,
                attempts=context.attempts,
                events=context.services.events,
            ),
            lambda _: OkPayload(ok=True),
        )

    @strawberry.mutation(
        description="Sends a one-time code to the account's e-mail, if it has one; the answer "
        "is the same either way. The code is valid for 15 minutes."
    )
    async def request_password_reset(self, info: Info, email: str) -> OkPayload:
        return await payload_of(
            OkPayload,
            lambda: password_reset.request_reset(
                email, notifier=info.context.services.notifier, attempts=info.context.attempts
            ),
            lambda _: OkPayload(ok=True),
        )

    @strawberry.mutation(
        description="Sets a new password with the code from requestPasswordReset and signs "
        "in; every other session of the account is revoked. A code works once."
    )
    async def reset_password(
        self, info: Info, email: str, code: str, new_password: str
    ) -> AuthPayload:
        return await payload_of(
            AuthPayload,
            lambda: password_reset.reset_password(
                email,
                code,
                new_password,
                attempts=info.context.attempts,
                events=info.context.services.events,
            ),
            _signed_in,
        )

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
            lambda: accounts.revoke_api_key(
                info.context.viewer, decode_id(id, "ApiKey"), info.context.services.events
            ),
            lambda _: OkPayload(ok=True),
        )


def _signed_in(session: accounts.Session) -> AuthPayload:
    return AuthPayload(token=session.token, user=User.of(session.user, signing_in=True))
