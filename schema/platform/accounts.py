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
from resolvers.platform import Forbidden, accounts, notifications, password_reset, sessions
from schema.platform.described import described_enum
from schema.platform.errors import ERRORS, UserError, payload_of
from schema.platform.ids import decode_id
from schema.platform.lazy import later
from schema.platform.nodes import Visible
from schema.platform.notifications import NotificationChannel

if TYPE_CHECKING:
    from schema.cooperatives import Cooperative, Membership
    from schema.shops import Shop


class Role(Enum):
    BUYER = "BUYER"
    CITY_ADMIN = "CITY_ADMIN"
    MARKETPLACE_ADMIN = "MARKETPLACE_ADMIN"


described_enum(
    Role,
    "What an account may do beyond its own things (its shops, memberships and orders).",
    {
        "BUYER": "Every account: buys, and may own shops and join cooperatives.",
        "CITY_ADMIN": "An officer of the Dinas Koperasi dan UKM: registers cooperatives, "
        "verifies shops, records socialisation, and sees every membership.",
        "MARKETPLACE_ADMIN": "Decides escalated complaints, beside the Dinas (who may too).",
    },
)


@strawberry.type(
    description="An account: its name for whoever may see it; its e-mail for the user and the "
    "Dinas, its phone for the user and, through a membership, the pengurus of its cooperative."
)
class User(Visible, relay.Node):
    id: relay.NodeID[int]
    name: str = strawberry.field(description="The name the user gave.")
    roles: list[Role] = strawberry.field(
        description="BUYER for everyone, plus CITY_ADMIN for Dinas officers."
    )
    model: strawberry.Private[m.User]
    # Set by a Membership whose phone the viewer may read, for the account it belongs to.
    membership_phone_shown: strawberry.Private[bool] = False
    # The account a sign-in or sign-up payload gives its owner, who has no token yet.
    signing_in: strawberry.Private[bool] = False

    def _reader(self, info: Info) -> m.User | None:
        return self.model if self.signing_in else info.context.viewer

    @strawberry.field(
        description="The sign-in address, lower case. Only the user and CITY_ADMIN may read "
        "it; anyone else gets a FORBIDDEN error."
    )
    def email(self, info: Info) -> str:
        if not accounts.can_read_email(self._reader(info), self.model.id):
            raise Forbidden("Hanya pemilik akun dan petugas Dinas yang boleh melihatnya.")
        return self.model.email

    @strawberry.field(
        description="The phone number as E.164 (+62...), null if none was given. Only the user "
        "and, through a Membership, the pengurus of that cooperative may read it (not "
        "CITY_ADMIN); anyone else gets a FORBIDDEN error."
    )
    def phone(self, info: Info) -> str | None:
        viewer, shown = self._reader(info), self.membership_phone_shown
        if not accounts.can_read_phone(viewer, self.model.id, membership_phone_shown=shown):
            raise Forbidden("Hanya pemilik akun dan pengurus koperasinya yang boleh melihatnya.")
        return self.model.phone

    @strawberry.field(
        description="The channels this user receives notifications by: IN_APP always, EMAIL "
        "unless switched off, WHATSAPP once chosen. Only the user reads it; null for anyone "
        "else."
    )
    def notification_channels(self, info: Info) -> list[NotificationChannel] | None:
        viewer = self._reader(info)
        if viewer is None or viewer.id != self.model.id:
            return None
        return notifications.channels_of(self.model)

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


@strawberry.type(
    description="A key for a campus-built frontend, sent as `X-Api-Key`. It is not a session: "
    "a request with the key alone is anonymous; its requests count per key owner, at 10x the "
    "per-address rate limit, and may run operations beyond the trusted documents. Beside a "
    "bearer token, the token must be the key owner's. Seen by its owner only."
)
class ApiKey(Visible, relay.Node):
    id: relay.NodeID[int]
    name: str = strawberry.field(description="The owner's label for it.")
    created_at: datetime = strawberry.field(description="When it was made.")

    @classmethod
    def of(cls, key: m.ApiKey) -> ApiKey:
        return cls(id=key.id, name=key.name, created_at=key.created_at)


@strawberry.input(description="A new account.")
class RegisterInput:
    name: str = strawberry.field(description="Required, at most 120 characters.")
    email: str = strawberry.field(
        description="A valid address, at most 254 characters, not yet registered (DUPLICATE)."
    )
    password: str = strawberry.field(description="8 to 256 characters.")
    phone: str | None = strawberry.field(
        default=None,
        description="An Indonesian number in any common form (0812..., +62812..., 62812...), "
        "stored as E.164.",
    )


@strawberry.type(description="The answer to a sign-up or sign-in.")
class AuthPayload:
    token: str | None = strawberry.field(
        default=None,
        description="The new session's opaque bearer token, for `Authorization: Bearer "
        "<token>`; null when `errors` is not empty.",
    )
    user: User | None = strawberry.field(
        default=None, description="The signed-in account; null when `errors` is not empty."
    )
    errors: list[UserError] = strawberry.field(default_factory=list, description=ERRORS)


@strawberry.type(description="The answer to a mutation that changes nothing it could show.")
class OkPayload:
    ok: bool = strawberry.field(default=False, description="Whether it was done.")
    errors: list[UserError] = strawberry.field(default_factory=list, description=ERRORS)


@strawberry.type(description="The answer to createApiKey.")
class CreateApiKeyPayload:
    key: str | None = strawberry.field(
        default=None,
        description="The key itself, shown once (only its hash is kept): store it now.",
    )
    api_key: ApiKey | None = strawberry.field(default=None, description="The key's record.")
    errors: list[UserError] = strawberry.field(default_factory=list, description=ERRORS)


@strawberry.type
class Query:
    @strawberry.field(description="The signed-in user; null when not signed in.")
    def me(self, info: Info) -> User | None:
        viewer = info.context.viewer
        return User.of(viewer) if viewer else None


@strawberry.type
class Mutation:
    @strawberry.mutation(
        description="Creates an account and signs it in. Errors: REQUIRED, INVALID (name, "
        "email, phone, password), DUPLICATE (email)."
    )
    async def register(
        self,
        input: Annotated[RegisterInput, strawberry.argument(description="The new account.")],
    ) -> AuthPayload:
        return await payload_of(
            AuthPayload,
            lambda: accounts.register(
                name=input.name, email=input.email, password=input.password, phone=input.phone
            ),
            _signed_in,
        )

    @strawberry.mutation(
        description="A new session. A wrong email or password is INVALID (the same either "
        "way). After five wrong passwords for an email, each further try must wait longer, 1, "
        "2, 4, ... seconds up to 15 minutes (LIMIT_EXCEEDED says how long)."
    )
    async def login(
        self,
        info: Info,
        email: Annotated[str, strawberry.argument(description="The account's e-mail address.")],
        password: Annotated[str, strawberry.argument(description="Its password.")],
    ) -> AuthPayload:
        return await payload_of(
            AuthPayload,
            lambda: accounts.login(email=email, password=password, attempts=info.context.attempts),
            _signed_in,
        )

    @strawberry.mutation(
        description="Revokes the bearer token the request was sent with; `ok` is false without one."
    )
    async def logout(self, info: Info) -> OkPayload:
        events = info.context.services.events
        return OkPayload(ok=await sessions.logout(info.context.token, events))

    @strawberry.mutation(
        description="Signs out everywhere: revokes every session of the signed-in user, this "
        "one included, and closes their WebSockets. Errors: UNAUTHENTICATED."
    )
    async def logout_everywhere(self, info: Info) -> OkPayload:
        return await payload_of(
            OkPayload,
            lambda: accounts.logout_everywhere(info.context.viewer, info.context.services.events),
            lambda _: OkPayload(ok=True),
        )

    @strawberry.mutation(
        description="Sets a new password; every other session of the user is revoked. Errors: "
        "UNAUTHENTICATED, INVALID (a wrong current password, a new one outside 8 to 256 "
        "characters), LIMIT_EXCEEDED (wrong passwords wait as in login)."
    )
    async def change_password(
        self,
        info: Info,
        current_password: Annotated[
            str, strawberry.argument(description="The password now, checked like login's.")
        ],
        new_password: Annotated[str, strawberry.argument(description="8 to 256 characters.")],
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
        description="Sends an 8-digit one-time code to the account's e-mail, if there is such "
        "an account; the answer is the same either way. The code is valid for 15 minutes and "
        "spends any earlier one. Requests count as tries: LIMIT_EXCEEDED after five."
    )
    async def request_password_reset(
        self,
        info: Info,
        email: Annotated[str, strawberry.argument(description="The account's e-mail address.")],
    ) -> OkPayload:
        return await payload_of(
            OkPayload,
            lambda: password_reset.request_reset(
                email, notifier=info.context.services.notifier, attempts=info.context.attempts
            ),
            lambda _: OkPayload(ok=True),
        )

    @strawberry.mutation(
        description="Sets a new password with the code from requestPasswordReset and signs "
        "in; every other session of the account is revoked. A code works once; five wrong "
        "tries spend it. Errors: INVALID (a wrong or spent code, a bad new password), "
        "LIMIT_EXCEEDED (wrong codes wait as wrong passwords do in login)."
    )
    async def reset_password(
        self,
        info: Info,
        email: Annotated[str, strawberry.argument(description="The account's e-mail address.")],
        code: Annotated[str, strawberry.argument(description="The 8-digit code that was sent.")],
        new_password: Annotated[str, strawberry.argument(description="8 to 256 characters.")],
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

    @strawberry.mutation(
        description="A new API key for the signed-in user. Errors: UNAUTHENTICATED, INVALID "
        "(name), LIMIT_EXCEEDED (5 active keys already)."
    )
    async def create_api_key(
        self,
        info: Info,
        name: Annotated[
            str, strawberry.argument(description="A label for it, 1 to 80 characters.")
        ],
    ) -> CreateApiKeyPayload:
        return await payload_of(
            CreateApiKeyPayload,
            lambda: accounts.create_api_key(info.context.viewer, name),
            lambda made: CreateApiKeyPayload(key=made[0], api_key=ApiKey.of(made[1])),
        )

    @strawberry.mutation(
        description="Revokes one of the signed-in user's API keys at once, closing the "
        "WebSockets opened with it. Errors: UNAUTHENTICATED, NOT_FOUND (not one of theirs)."
    )
    async def revoke_api_key(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="The ApiKey's id.")],
    ) -> OkPayload:
        return await payload_of(
            OkPayload,
            lambda: accounts.revoke_api_key(
                info.context.viewer, decode_id(id, "ApiKey"), info.context.services.events
            ),
            lambda _: OkPayload(ok=True),
        )


def _signed_in(session: accounts.Session) -> AuthPayload:
    return AuthPayload(token=session.token, user=User.of(session.user, signing_in=True))
