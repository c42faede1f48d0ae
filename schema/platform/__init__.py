"""GraphQL types and plumbing every domain uses: accounts, the clock, regions, ids, nodes,
connections, errors, scalars, money, the request context and its DataLoaders, and lazy
references."""

from schema.platform import accounts, clock, notifications, regions
from schema.platform.accounts import OkPayload, User
from schema.platform.connections import Connection, connection
from schema.platform.context import Context
from schema.platform.described import After, First, described_enum
from schema.platform.errors import ERRORS, ErrorCode, UserError, payload_of
from schema.platform.eventually import then
from schema.platform.idempotency import IdempotencyKey
from schema.platform.ids import decode_id, encode_id
from schema.platform.lazy import later
from schema.platform.money import Money
from schema.platform.nodes import Visible, visible_rows
from schema.platform.regions import Kecamatan, Kelurahan
from schema.platform.scalars import SCALAR_OVERRIDES, Rupiah, ScalarInputError
from schema.platform.selection import selected

__all__ = [
    "ERRORS",
    "SCALAR_OVERRIDES",
    "After",
    "Connection",
    "Context",
    "ErrorCode",
    "First",
    "IdempotencyKey",
    "Kecamatan",
    "Kelurahan",
    "Money",
    "OkPayload",
    "Rupiah",
    "ScalarInputError",
    "User",
    "UserError",
    "Visible",
    "accounts",
    "clock",
    "connection",
    "decode_id",
    "described_enum",
    "encode_id",
    "later",
    "notifications",
    "payload_of",
    "regions",
    "selected",
    "then",
    "visible_rows",
]
