"""Relay global ids sent as mutation arguments."""

import strawberry
from strawberry.relay import GlobalID, GlobalIDValueError

from resolvers.platform import ErrorCode, UserError, row_id


def decode_id(value: strawberry.ID | GlobalID, type_name: str, field: str = "id") -> int:
    """The database id behind a global id of `type_name`, or a NOT_FOUND UserError."""
    try:
        global_id = value if isinstance(value, GlobalID) else GlobalID.from_id(value)
        if global_id.type_name != type_name:
            raise ValueError
        number = row_id(global_id.node_id)
        if not number:
            raise ValueError
        return number
    except (GlobalIDValueError, ValueError):
        raise UserError(ErrorCode.NOT_FOUND, "Data tidak ditemukan.", field) from None


def encode_id(type_name: str, pk: int | str) -> str:
    return str(GlobalID(type_name, str(pk)))
